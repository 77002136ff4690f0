import type { AccountEventRow, AmazonGrantRow, UserAccountRow } from './database-types.ts'
import { check, DatabaseError, type Db } from './supabase.ts'

/**
 * What the API reads of an account: everything on user_accounts except the owner and updated_at, and
 * the health columns of its grant (users may read those of their own grants, never the tokens).
 */
const ACCOUNT_COLUMNS =
  'id, provider, region, external_id, marketplaces, display_name, status, is_default, authorized_at, last_sync_at, last_error, created_at, grant_id, grant:amazon_grants(status, access_token_expires_at, next_refresh_at, refresh_attempts, last_error_class, last_refreshed_at)'

export type GrantHealth = Pick<
  AmazonGrantRow,
  'status' | 'access_token_expires_at' | 'next_refresh_at' | 'refresh_attempts' | 'last_error_class' | 'last_refreshed_at'
>

export type Account = Pick<
  UserAccountRow,
  | 'id'
  | 'provider'
  | 'region'
  | 'external_id'
  | 'marketplaces'
  | 'display_name'
  | 'status'
  | 'is_default'
  | 'authorized_at'
  | 'last_sync_at'
  | 'last_error'
  | 'created_at'
  | 'grant_id'
> & { grant: GrantHealth | null }

/**
 * PostgREST's answer when rename_account, set_default_account or disconnect_account raise PT404: no such
 * account, or not the caller's (the functions check the owner against the token's `sub`).
 */
const NOT_FOUND_CODES = new Set(['PT404', 'P0002'])

/** The caller's accounts, default first then oldest first. User client: RLS shows only their rows. */
export async function listAccounts(db: Db): Promise<Account[]> {
  const rows = check(
    'list accounts',
    await db.from('user_accounts').select(ACCOUNT_COLUMNS).order('is_default', { ascending: false }).order('created_at').order('id'),
  )
  return rows ?? []
}

/** One account; null when it does not exist or belongs to someone else (RLS). */
export async function getAccount(db: Db, id: string): Promise<Account | null> {
  return check('read account', await db.from('user_accounts').select(ACCOUNT_COLUMNS).eq('id', id).maybeSingle())
}

/**
 * The answer of one of the user's account functions, each a change and its audit event in one
 * transaction: the account row, or null when it is not the caller's (PT404).
 */
function changed(operation: string, result: { data: UserAccountRow | null; error: { code: string } | null }): UserAccountRow | null {
  if (result.error && NOT_FOUND_CODES.has(result.error.code)) return null
  if (result.error) throw new DatabaseError(operation, result.error.code)
  return result.data
}

/**
 * Renames the caller's account (null clears the name) and records a `renamed` event, in one transaction
 * (rename_account); an unchanged name writes nothing. Null when not theirs. User client.
 */
export async function renameAccount(db: Db, id: string, displayName: string | null): Promise<UserAccountRow | null> {
  return changed('rename account', await db.rpc('rename_account', { p_account_id: id, p_display_name: displayName }))
}

/**
 * Makes the account the caller's one default with a `default_changed` event, in one transaction
 * (set_default_account); nothing when it already is. Null when not theirs. User client.
 */
export async function setDefaultAccount(db: Db, id: string): Promise<UserAccountRow | null> {
  return changed('set default account', await db.rpc('set_default_account', { p_account_id: id }))
}

/**
 * Deletes the caller's account (its grant too, when no other account uses it) and records a
 * `disconnected` event, in one transaction (disconnect_account). Returns the deleted row, null when not
 * theirs. User client.
 */
export async function disconnectAccount(db: Db, id: string): Promise<UserAccountRow | null> {
  return changed('disconnect account', await db.rpc('disconnect_account', { p_account_id: id }))
}

/**
 * Saves every account one consent opens (an SP-API seller, or each Ads profile) with the grant's
 * encrypted tokens, in one transaction: all or nothing. Returns the rows in the same order. Service role.
 */
export async function saveConnectedAccounts(
  db: Db,
  input: {
    userId: string
    provider: UserAccountRow['provider']
    region: UserAccountRow['region']
    accounts: Array<{ externalId: string; marketplaces: string[]; displayName: string | null }>
    refreshToken: string
    accessToken: string
    accessTokenExpiresAt: string
    fernetKeyId: string
  },
): Promise<UserAccountRow[]> {
  const accounts = check(
    'save connected accounts',
    await db.rpc('save_connected_accounts', {
      p_user_id: input.userId,
      p_provider: input.provider,
      p_region: input.region,
      p_accounts: input.accounts.map((a) => ({ external_id: a.externalId, marketplaces: a.marketplaces, display_name: a.displayName })),
      p_refresh_token: input.refreshToken,
      p_access_token: input.accessToken,
      p_access_token_expires_at: input.accessTokenExpiresAt,
      p_fernet_key_id: input.fernetKeyId,
    }),
  )
  if (accounts?.length !== input.accounts.length) throw new DatabaseError('save connected accounts')
  return accounts
}

/**
 * What a sync learned, with its audit event, in one transaction (record_account_sync): the marketplaces
 * read, or the failure code when Amazon's API refused. Service role; the caller checked ownership.
 */
export async function recordAccountSync(db: Db, id: string, result: { marketplaces: string[] } | { error: string }): Promise<void> {
  check(
    'record account sync',
    await db.rpc('record_account_sync', {
      p_account_id: id,
      p_marketplaces: 'marketplaces' in result ? result.marketplaces : null,
      p_error: 'error' in result ? result.error : null,
    }),
  )
}

/** The account's newest audit events, newest first. User client: RLS shows only the caller's. */
export async function listAccountEvents(db: Db, accountId: string, limit: number): Promise<Array<Pick<AccountEventRow, 'id' | 'kind' | 'detail' | 'created_at'>>> {
  const rows = check(
    'list account events',
    await db.from('account_events').select('id, kind, detail, created_at').eq('account_id', accountId).order('id', { ascending: false }).limit(limit),
  )
  return rows ?? []
}
