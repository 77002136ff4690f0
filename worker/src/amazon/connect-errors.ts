import { AmazonApiError } from './amazon-api-error.ts'
import { LwaError } from './lwa-client.ts'

/**
 * The `connect_error` codes the callback redirects with; the dashboard turns each into a message.
 * None of them carries request data.
 */
export type ConnectErrorCode =
  /** The seller clicked Deny on Amazon's consent page. */
  | 'access_denied'
  /** Amazon redirected back with another OAuth error (invalid_scope, server_error, …). */
  | 'authorization_failed'
  /** The callback lacks the state, the code or the selling partner id. */
  | 'missing_parameters'
  /** Unknown, expired or already used state, or the nonce cookie is missing or from another browser. */
  | 'state_invalid'
  /** LWA refused the code (used, expired, or for another redirect URI). */
  | 'grant_invalid'
  /** LWA refused our client credentials or request: a configuration problem on our side. */
  | 'amazon_rejected'
  /** LWA, SP-API or Ads answered 5xx/429, timed out or was unreachable. */
  | 'amazon_unavailable'
  /** The Amazon user has no Ads profile in the region. */
  | 'no_profiles'
  /** Our database failed; nothing was saved. */
  | 'database_unavailable'

export class ConnectError extends Error {
  override readonly name = 'ConnectError'
  readonly code: ConnectErrorCode
  constructor(code: ConnectErrorCode, cause?: string) {
    super(cause ? `${code}: ${cause}` : code)
    this.code = code
  }
}

/** The connect error code for a failed LWA or Amazon API call. */
export function connectErrorOf(error: LwaError | AmazonApiError): ConnectError {
  if (error instanceof LwaError) {
    if (error.kind === 'invalid_grant') return new ConnectError('grant_invalid', error.message)
    if (error.kind === 'unavailable' || error.kind === 'throttled') return new ConnectError('amazon_unavailable', error.message)
    return new ConnectError('amazon_rejected', error.message)
  }
  if (error.kind === 'unavailable' || error.kind === 'throttled') return new ConnectError('amazon_unavailable', error.message)
  return new ConnectError('amazon_rejected', error.message)
}
