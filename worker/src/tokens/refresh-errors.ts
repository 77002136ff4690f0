import type { RefreshErrorClass } from '../db/database-types.ts'

/**
 * Why a refresh failed, by whose fault it is — the table the README repeats. The SQL side
 * (fail_grant_refresh) applies the status rules; this is what callers are told.
 *
 * | class           | whose    | grant and accounts                          | retry                         |
 * |-----------------|----------|---------------------------------------------|-------------------------------|
 * | invalid_grant   | seller   | reauth_required, an event per account       | never: a new consent clears it |
 * | invalid_client  | ours     | unchanged; /api/health: credentials rejected | backoff, cap 1 h              |
 * | invalid_request | ours     | unchanged                                   | backoff, cap 1 h              |
 * | key_missing     | ours     | unchanged (no FERNET_KEYS key decrypts it)  | backoff, cap 1 h              |
 * | unavailable     | Amazon   | error after 8 in a row, an event per account | backoff with full jitter, 30 s → 1 h |
 * | throttled       | Amazon   | as unavailable                              | as unavailable                |
 */
export type RefreshFailure =
  /** The seller revoked the app, or the grant is gone: only a new consent helps. */
  | 'reauth_required'
  /** Amazon refused sellersync's own app credentials (LWA client id/secret). */
  | 'credentials_rejected'
  /** LWA found our token request malformed: a bug on our side. */
  | 'request_rejected'
  /** No configured Fernet key decrypts the stored token: a FERNET_KEYS mistake. */
  | 'key_missing'
  /** Amazon failed, throttled or timed out: retried with backoff. */
  | 'amazon_unavailable'
  /** Another refresher holds the grant's lease right now. */
  | 'refresh_in_progress'
  /** Our database did not answer: nothing was changed. */
  | 'database_unavailable'
  /** The grant no longer exists (the accounts were disconnected). */
  | 'not_found'

export function failureOf(errorClass: RefreshErrorClass): RefreshFailure {
  switch (errorClass) {
    case 'invalid_grant':
      return 'reauth_required'
    case 'invalid_client':
      return 'credentials_rejected'
    case 'invalid_request':
      return 'request_rejected'
    case 'key_missing':
      return 'key_missing'
    case 'unavailable':
    case 'throttled':
      return 'amazon_unavailable'
  }
}

/** What the API answers for each failure: status, code and a message that says whose move it is. */
export const refreshFailureResponses = {
  reauth_required: { status: 409, code: 'reauth_required', message: 'Amazon no longer accepts this authorization; reconnect the account.' },
  not_found: { status: 409, code: 'reauth_required', message: 'This account has no stored authorization; reconnect it.' },
  credentials_rejected: {
    status: 503,
    code: 'amazon_credentials_rejected',
    message: 'Amazon refused sellersync’s own app credentials. Your account is fine and needs nothing from you; we retry automatically.',
  },
  request_rejected: { status: 503, code: 'amazon_request_rejected', message: 'Amazon refused sellersync’s token request. Your account is fine; we retry automatically.' },
  key_missing: {
    status: 503,
    code: 'token_key_missing',
    message: 'sellersync cannot read this account’s stored authorization: an encryption key is missing from its configuration. Your account is fine.',
  },
  amazon_unavailable: { status: 503, code: 'amazon_unavailable', message: 'Amazon did not answer as expected; try again shortly.' },
  refresh_in_progress: { status: 503, code: 'refresh_in_progress', message: 'The account’s token is being renewed right now; try again in a few seconds.' },
  database_unavailable: { status: 503, code: 'database_unavailable', message: 'The database is unavailable; try again shortly.' },
} as const satisfies Record<RefreshFailure, { status: 409 | 503; code: string; message: string }>
