import { requestId } from './amazon-ids.ts'
import { json, type Reply } from './http-io.ts'

/** The `error` values of the LWA token endpoint (Login with Amazon "Access Token Errors"). */
export type LwaErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'too_many_requests'

const STATUS: Record<LwaErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  server_error: 500,
  temporarily_unavailable: 503,
  too_many_requests: 429,
}

/** Headers of every token endpoint answer: JSON, never cached (RFC 6749 §5.1). */
export function lwaHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-amzn-RequestId': requestId(),
  }
}

/** `{ error, error_description }` with LWA's status for the code. Descriptions never echo input values. */
export function lwaError(error: LwaErrorCode, description: string, headers: Record<string, string> = {}): Reply {
  return json(STATUS[error], { error_description: description, error }, { ...lwaHeaders(), ...headers })
}

export const lwaDescriptions = {
  missing: (parameter: string) => `The request is missing a required parameter : ${parameter}`,
  repeated: (parameter: string) => `The request has a repeated parameter : ${parameter}`,
  invalidGrant: (parameter: 'code' | 'redirect_uri') => `The request has an invalid grant parameter : ${parameter}`,
  revokedRefreshToken:
    "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
  contentType: 'The request has an invalid parameter : Content-Type must be application/x-www-form-urlencoded',
  clientAuthentication: 'Client authentication failed',
  unsupportedGrantType: 'The authorization grant type is not supported by the authorization server',
  unauthorizedClient: 'The client is not authorized for the requested operation',
} as const

/** A 5xx from an injected fault. */
export function lwaFault(status: 500 | 503): Reply {
  return status === 503
    ? lwaError('temporarily_unavailable', 'The service is temporarily unavailable. Please try again later.')
    : lwaError('server_error', 'The server encountered a runtime error.')
}

/** A 429 from an injected fault (LWA documents no throttling body; this one is the stand-in's). */
export function lwaThrottled(): Reply {
  return lwaError('too_many_requests', 'The request was throttled. Please retry later.', { 'retry-after': '1' })
}
