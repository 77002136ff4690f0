import { z } from 'zod'
import { fetchAmazon } from '../amazon/amazon-fetch.ts'
import { amazonUrl } from '../amazon/amazon-url.ts'
import { spApiHost, type Region } from '../amazon/regions.ts'

/** One entry of the Tokens API's `restrictedResources`. */
export type RestrictedResource = { method: string; path: string; dataElements?: string[] }

/** Amazon's own refusal, passed on to the caller as Amazon sent it (status and body carry no token). */
export type AmazonRefusal = { status: number; body: string; contentType: string | null; requestId: string | null }

export type Minted = { ok: true; token: string; expiresAt: number } | { ok: false; refusal: AmazonRefusal }

const answerSchema = z.object({ restrictedDataToken: z.string().min(1), expiresIn: z.number().int().positive() })

export const CREATE_RDT_PATH = '/tokens/2021-03-01/restrictedDataToken'

/**
 * `createRestrictedDataToken` for one resource, with the grant's access token. Amazon unreachable throws
 * AmazonUnavailableError (fetchAmazon); any answer other than the token is returned as a refusal.
 */
export async function createRestrictedDataToken(
  amazonBaseUrl: string | undefined,
  region: Region,
  accessToken: string,
  resource: RestrictedResource,
  now: () => number = Date.now,
): Promise<Minted> {
  const response = await fetchAmazon('SP-API', amazonUrl(amazonBaseUrl, spApiHost(region), CREATE_RDT_PATH), {
    method: 'POST',
    headers: { 'x-amz-access-token': accessToken, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ restrictedResources: [resource] }),
  })
  const text = await response.text()
  const parsed = response.ok ? answerSchema.safeParse(safeJson(text)) : undefined
  if (parsed?.success) return { ok: true, token: parsed.data.restrictedDataToken, expiresAt: now() + parsed.data.expiresIn * 1000 }
  return {
    ok: false,
    // A 2xx we cannot read is Amazon misbehaving, not the caller's fault.
    refusal: { status: response.ok ? 502 : response.status, body: response.ok ? '' : text, contentType: response.headers.get('content-type'), requestId: response.headers.get('x-amzn-requestid') },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
