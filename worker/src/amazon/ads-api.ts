import { z } from 'zod'
import { AmazonApiError, apiErrorKind } from './amazon-api-error.ts'
import { AmazonUnavailableError, fetchAmazon } from './amazon-fetch.ts'
import { amazonUrl } from './amazon-url.ts'
import { adsHosts, type Region } from './regions.ts'

const profilesSchema = z.array(
  z.object({
    profileId: z.number().int(),
    countryCode: z.string(),
    accountInfo: z.object({ marketplaceStringId: z.string().min(1), id: z.string(), type: z.string(), name: z.string().optional() }),
  }),
)

/** One Amazon Ads profile: an advertiser in one marketplace. Each becomes its own connected account. */
export type AdsProfile = { profileId: string; marketplaceId: string; name: string }

/** `GET /v2/profiles` on the region's Ads API host: the profiles the consenting Amazon user can manage there. */
export async function listAdsProfiles(
  amazonBaseUrl: string | undefined,
  region: Region,
  clientId: string,
  accessToken: string,
): Promise<AdsProfile[]> {
  let response: Response
  try {
    response = await fetchAmazon('Ads API', amazonUrl(amazonBaseUrl, adsHosts(region).apiHost, '/v2/profiles'), {
      headers: { authorization: `Bearer ${accessToken}`, 'amazon-advertising-api-clientid': clientId, accept: 'application/json' },
    })
  } catch (error) {
    if (error instanceof AmazonUnavailableError) throw new AmazonApiError('Ads API', 'unavailable')
    throw error
  }
  if (!response.ok) throw new AmazonApiError('Ads API', apiErrorKind(response.status), response.status)
  // Profile ids exceed 2^53 in principle; Amazon's are below it today, and JSON.parse is what we have.
  const parsed = profilesSchema.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) throw new AmazonApiError('Ads API', 'unexpected', response.status)
  return parsed.data.map((profile) => ({
    profileId: String(profile.profileId),
    marketplaceId: profile.accountInfo.marketplaceStringId,
    name: `${profile.accountInfo.name ?? 'Amazon Ads'} (${profile.countryCode})`,
  }))
}
