import { z } from 'zod'
import { AmazonUnavailableError, fetchAmazon } from './amazon-fetch.ts'

/** What the LWA token endpoint answered with: why a grant failed, by what the caller should do. */
export type LwaErrorKind =
  /** The code or refresh token is unknown, used, expired or revoked: the seller must consent again. */
  | 'invalid_grant'
  /** Our client id/secret were refused: a configuration problem. */
  | 'invalid_client'
  /** LWA found the request malformed (or another 4xx error we do not expect). */
  | 'invalid_request'
  /** LWA throttled us (429). */
  | 'throttled'
  /** 5xx, timeout or network failure: try again later. */
  | 'unavailable'

export class LwaError extends Error {
  override readonly name = 'LwaError'
  readonly kind: LwaErrorKind
  readonly status: number | undefined
  constructor(kind: LwaErrorKind, status?: number) {
    super(`LWA token request failed: ${kind}${status ? ` (HTTP ${status})` : ''}`)
    this.kind = kind
    this.status = status
  }
}

export type LwaTokens = {
  accessToken: string
  /** Present for the authorization_code grant; for refresh only when LWA rotated it. */
  refreshToken: string | undefined
  /** When the access token stops working. */
  expiresAt: Date
}

export type LwaClient = { tokenUrl: string; clientId: string; clientSecret: string }

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
})

const errorResponseSchema = z.object({ error: z.string() })

/** Redeems an authorization code (SP-API `spapi_oauth_code` or Ads `code`) for tokens. */
export function exchangeCode(client: LwaClient, code: string, redirectUri: string): Promise<LwaTokens> {
  return requestTokens(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri })
}

/** Gets a new access token for a stored refresh token. */
export function refreshAccessToken(client: LwaClient, refreshToken: string): Promise<LwaTokens> {
  return requestTokens(client, { grant_type: 'refresh_token', refresh_token: refreshToken })
}

async function requestTokens(client: LwaClient, grant: Record<string, string>): Promise<LwaTokens> {
  const body = new URLSearchParams({ ...grant, client_id: client.clientId, client_secret: client.clientSecret })
  let response: Response
  try {
    response = await fetchAmazon('LWA', client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    })
  } catch (error) {
    if (error instanceof AmazonUnavailableError) throw new LwaError('unavailable')
    throw error
  }
  const json = await response.json().catch(() => undefined)
  if (response.ok) {
    const tokens = tokenResponseSchema.safeParse(json)
    if (!tokens.success) throw new LwaError('unavailable', response.status)
    return {
      accessToken: tokens.data.access_token,
      refreshToken: tokens.data.refresh_token,
      expiresAt: new Date(Date.now() + tokens.data.expires_in * 1000),
    }
  }
  throw new LwaError(errorKind(response.status, errorResponseSchema.safeParse(json).data?.error), response.status)
}

function errorKind(status: number, error: string | undefined): LwaErrorKind {
  if (status >= 500) return 'unavailable'
  if (status === 429) return 'throttled'
  if (error === 'invalid_grant') return 'invalid_grant'
  if (error === 'invalid_client' || error === 'unauthorized_client' || status === 401) return 'invalid_client'
  return 'invalid_request'
}
