/**
 * What an API key may do. A Clerk session (the dashboard) may do everything its user may; a key only
 * what its scopes name. `amazon:proxy:pii` is needed on top of `amazon:proxy` for calls that return
 * buyer data (those that take a Restricted Data Token).
 */
export const API_KEY_SCOPES = {
  'accounts:read': 'List and read your connected accounts, their events and proxy usage',
  'accounts:write': 'Rename, make default, sync and disconnect accounts',
  'amazon:proxy': 'Call Amazon through /api/amazon/{accountId}/…',
  'amazon:proxy:pii': 'Call Amazon operations that return buyer data (Restricted Data Tokens)',
} as const

export type Scope = keyof typeof API_KEY_SCOPES

/** OpenAPI `security` for a route: a Clerk session, or an API key with `scope` (any valid key when omitted). */
export function callerSecurity(scope?: Scope): Array<Record<string, string[]>> {
  return [{ clerkSession: [] }, { apiKey: scope ? [scope] : [] }]
}
