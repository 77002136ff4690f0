import { z } from 'zod'
import { AmazonApiError, apiErrorKind } from './amazon-api-error.ts'
import { AmazonUnavailableError, fetchAmazon } from './amazon-fetch.ts'
import { amazonUrl } from './amazon-url.ts'
import { adsHosts, type Region } from './regions.ts'

const profilesSchema = z.array(
  z.object({
    // A string of digits once quoteProfileIds has run (or if Amazon ever sends it as a string).
    profileId: z.string().regex(/^\d{1,20}$/),
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
  const parsed = profilesSchema.safeParse(parseProfiles(await response.text().catch(() => '')))
  if (!parsed.success) throw new AmazonApiError('Ads API', 'unexpected', response.status)
  return parsed.data.map((profile) => ({
    profileId: profile.profileId,
    marketplaceId: profile.accountInfo.marketplaceStringId,
    name: `${profile.accountInfo.name ?? 'Amazon Ads'} (${profile.countryCode})`,
  }))
}

/** The `/v2/profiles` JSON with every profileId kept exactly (see quoteProfileIds); undefined when it is not JSON. */
function parseProfiles(text: string): unknown {
  try {
    return JSON.parse(quoteProfileIds(text))
  } catch {
    return undefined
  }
}

/**
 * Rewrites every `"profileId": <integer>` in a JSON text as `"profileId": "<integer>"`.
 *
 * Amazon Ads profile ids are 64-bit integers sent as JSON numbers, and they exceed 2^53: JSON.parse would
 * turn 3999999999999999999 into 4000000000000000000, a different profile (and a different account
 * external_id). Quoting the digits first keeps them exact, as a string, end to end. A scanner rather than a
 * regular expression: it knows where strings begin and end, so text inside a string value (a profile name
 * that happens to read `"profileId": 1`) is never touched; anything that is not valid JSON is left for
 * JSON.parse to reject.
 */
export function quoteProfileIds(text: string): string {
  let out = ''
  let copiedUpTo = 0
  /** The raw text of the last string token, while it may still be a key (nothing but `:` after it). */
  let lastString: string | null = null
  /** The key whose value comes next (set by a `:`). */
  let key: string | null = null
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '"') {
      const start = i++
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
      i++
      lastString = text.slice(start, i)
      key = null
    } else if (ch === ':') {
      key = lastString
      lastString = null
      i++
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const start = i
      while (i < text.length && /[-+.eE0-9]/.test(text[i]!)) i++
      const number = text.slice(start, i)
      if (key === '"profileId"' && /^(0|[1-9]\d*)$/.test(number)) {
        out += `${text.slice(copiedUpTo, start)}"${number}"`
        copiedUpTo = i
      }
      key = null
      lastString = null
    } else {
      // Whitespace keeps what came before; anything else (`{ } [ ] ,`, literals) ends it.
      if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
        key = null
        lastString = null
      }
      i++
    }
  }
  return out + text.slice(copiedUpTo)
}
