import { adsRequestId, requestId } from './amazon-ids.ts'
import { json, type Reply } from './http-io.ts'

/** The Amazon Ads API error body: `{ code, details, requestId }`. */
export function adsError(status: number, code: string, details: string, headers: Record<string, string> = {}): Reply {
  return json(status, { code, details, requestId: adsRequestId() }, { 'x-amzn-RequestId': requestId(), ...headers })
}

export function adsFault(status: 500 | 503): Reply {
  return status === 503
    ? adsError(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable, please try again later.')
    : adsError(500, 'INTERNAL_ERROR', 'Internal error, please try again later.')
}

/** 429 with Retry-After in whole seconds: when the caller may try again. */
export function adsThrottled(retryAfterSeconds = 1): Reply {
  return adsError(429, 'TOO_MANY_REQUESTS', 'Request was throttled.', { 'retry-after': String(retryAfterSeconds) })
}

/** Amazon Ads' 401 texts ("Errors" page of the Ads API reference). */
export const adsUnauthorized = {
  token: 'HTTP 401 Unauthorized',
  clientId: 'Invalid Amazon-Advertising-API-ClientId',
  notAds: 'The access token does not grant Amazon Ads access',
  scopeMissing: 'Scope header is missing',
  noAdvertiser: 'No matching advertiser found for scope',
  notAuthorized: 'Not authorized to access scope',
} as const
