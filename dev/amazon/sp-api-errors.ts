import { requestId } from './amazon-ids.ts'
import { json, type Reply } from './http-io.ts'

/** One entry of the SP-API error body `{ errors: [{ code, message, details? }] }`. */
export type SpApiErrorEntry = { code: string; message: string; details?: string }

export function spApiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-amzn-RequestId': requestId(), ...extra }
}

/** A success: the operation's own body (`{ payload }` in the v0 APIs, bare in the dated ones). */
export function spApiOk(body: unknown): Reply {
  return json(200, body, spApiHeaders())
}

export function spApiError(status: number, entry: SpApiErrorEntry, headers: Record<string, string> = {}): Reply {
  return json(status, { errors: [entry] }, spApiHeaders(headers))
}

/** The `details` texts SP-API sends with a 403 `Unauthorized`. */
export const accessTokenProblems = {
  missing: 'Access token is missing in the request header.',
  invalid: 'The access token you provided is revoked, malformed or invalid.',
  expired: 'The access token you provided has expired.',
  /** A valid token, but not for this resource (another region's host, or an Ads token). */
  denied: '',
} as const

export function unauthorized(details: string): Reply {
  return spApiError(403, { code: 'Unauthorized', message: 'Access to requested resource is denied.', details })
}

/** Amazon no longer sends `x-amzn-RateLimit-Limit` with a 429 (the models mark it "deprecated and no longer returned"). */
export function quotaExceeded(): Reply {
  return spApiError(429, { code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' })
}

export function invalidInput(details: string, message = 'Invalid Input'): Reply {
  return spApiError(400, { code: 'InvalidInput', message, details })
}

export function resourceNotFound(details = ''): Reply {
  return spApiError(404, { code: 'NotFound', message: 'Resource not found', details })
}

export function spApiFault(status: 500 | 503): Reply {
  return status === 503
    ? spApiError(503, { code: 'ServiceUnavailable', message: 'Service temporarily unavailable. Please try again later.', details: '' })
    : spApiError(500, { code: 'InternalFailure', message: 'We encountered an internal error. Please try again.', details: '' })
}
