import { z } from 'zod'
import { AmazonApiError, apiErrorKind } from './amazon-api-error.ts'
import { AmazonUnavailableError, fetchAmazon } from './amazon-fetch.ts'
import { amazonUrl } from './amazon-url.ts'
import { spApiHost, type Region } from './regions.ts'

const participationsSchema = z.object({
  payload: z.array(
    z.object({
      marketplace: z.object({ id: z.string().min(1) }),
      participation: z.object({ isParticipating: z.boolean() }),
      storeName: z.string().optional(),
    }),
  ),
})

export type SellerParticipations = {
  /** Marketplace ids the seller participates in. */
  marketplaceIds: string[]
  /** The store name Amazon reports, a sensible default display name. */
  storeName: string | undefined
}

/** `GET /sellers/v1/marketplaceParticipations` on the region's SP-API host: which marketplaces the seller sells in. */
export async function getMarketplaceParticipations(
  amazonBaseUrl: string | undefined,
  region: Region,
  accessToken: string,
): Promise<SellerParticipations> {
  let response: Response
  try {
    response = await fetchAmazon('SP-API', amazonUrl(amazonBaseUrl, spApiHost(region), '/sellers/v1/marketplaceParticipations'), {
      headers: { 'x-amz-access-token': accessToken, accept: 'application/json' },
    })
  } catch (error) {
    if (error instanceof AmazonUnavailableError) throw new AmazonApiError('SP-API', 'unavailable')
    throw error
  }
  if (!response.ok) throw new AmazonApiError('SP-API', apiErrorKind(response.status), response.status)
  const parsed = participationsSchema.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) throw new AmazonApiError('SP-API', 'unexpected', response.status)
  const participating = parsed.data.payload.filter((entry) => entry.participation.isParticipating)
  return {
    marketplaceIds: [...new Set(participating.map((entry) => entry.marketplace.id))],
    storeName: parsed.data.payload.find((entry) => entry.storeName)?.storeName,
  }
}
