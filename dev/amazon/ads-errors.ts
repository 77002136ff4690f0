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

export function adsThrottled(): Reply {
  return adsError(429, 'TOO_MANY_REQUESTS', 'Request was throttled.', { 'retry-after': '1' })
}
