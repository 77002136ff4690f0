import { amazonUrl } from '../amazon/amazon-url.ts'
import { adsHosts, spApiHost } from '../amazon/regions.ts'
import type { AmazonConfig } from '../env.ts'
import type { ProxyAccount } from './account-directory.ts'

/**
 * The caller's headers that reach Amazon. An allowlist: never the caller's Authorization, cookies, or
 * our steering headers; Amazon's own auth headers are set from the grant.
 */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'prefer']

/**
 * Amazon's headers that reach the caller: the payload's type, Amazon's request id and rate limit, and
 * the few that Ads uses for caching and created resources. Everything else (cookies, hop-by-hop,
 * encodings the runtime already undid) stays behind.
 */
const RETURNED_RESPONSE_HEADERS = ['content-type', 'content-language', 'x-amzn-requestid', 'x-amzn-ratelimit-limit', 'x-amz-request-id', 'location', 'etag', 'last-modified']

export type UpstreamRequest = { url: string; init: RequestInit }

/** The request to Amazon for one proxied call: the account's regional host, the grant's credentials. */
export function upstreamRequest(
  config: AmazonConfig,
  account: ProxyAccount,
  call: { method: string; pathAndQuery: string; headers: Headers; body: ArrayBuffer | undefined; defaultAccept: string },
  token: string,
): UpstreamRequest {
  const headers = new Headers()
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = call.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  if (!headers.has('accept')) headers.set('accept', call.defaultAccept)
  let host: string
  if (account.provider === 'sp_api') {
    host = spApiHost(account.region)
    headers.set('x-amz-access-token', token)
  } else {
    host = adsHosts(account.region).apiHost
    headers.set('authorization', `Bearer ${token}`)
    headers.set('amazon-advertising-api-clientid', config.adsClientId)
    // The profile id exactly as stored: a string of digits, past 2^53 for many profiles.
    headers.set('amazon-advertising-api-scope', account.externalId)
  }
  return { url: amazonUrl(config.amazonBaseUrl, host, call.pathAndQuery), init: { method: call.method, headers, body: call.body } }
}

/** The headers of Amazon's answer that the caller gets. */
export function returnedHeaders(upstream: Headers): Headers {
  const headers = new Headers()
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const value = upstream.get(name)
    if (value !== null) headers.set(name, value)
  }
  return headers
}

/** The rate Amazon states on a successful SP-API answer (`x-amzn-RateLimit-Limit`), if it is a usable number. */
export function statedRate(headers: Headers): number | null {
  const value = Number(headers.get('x-amzn-ratelimit-limit') ?? Number.NaN)
  return Number.isFinite(value) && value > 0 ? value : null
}

/** An Ads 429's `Retry-After` in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after')
  if (value === null) return null
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/**
 * Whether Amazon refused the access token itself (revoked or expired before its time), as opposed to
 * refusing this caller the resource: SP-API says so in the 403's details, Ads answers 401.
 */
export function refusedAccessToken(account: ProxyAccount, status: number, body: string): boolean {
  if (account.provider === 'ads') return status === 401
  return status === 403 && /access token you provided (is revoked|has expired)/i.test(body)
}
