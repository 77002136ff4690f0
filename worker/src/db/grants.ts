import type { AmazonGrantRow, GrantStatus, RefreshErrorClass, StartedGrant, UserAccountRow } from './database-types.ts'
import { check, DatabaseError, type Db } from './supabase.ts'

/**
 * The grant functions of supabase/migrations/20261201000000_amazon_grants.sql, the only way tokens are
 * written. Service role: the token columns are closed to every other role.
 */
export interface GrantStore {
  /** Takes the lease (adopting `claimedOwner`, the cron's claim, when given); null when it cannot. */
  start(grantId: string, owner: string, claimedOwner: string | null): Promise<StartedGrant | null>
  /** The stored access token and status, without taking a lease. */
  read(grantId: string): Promise<Pick<AmazonGrantRow, 'status' | 'access_token' | 'access_token_expires_at'> | null>
  /** Writes new ciphertexts while `owner` holds the lease; false when it lost it. */
  complete(grantId: string, owner: string, tokens: CompletedTokens): Promise<boolean>
  /** Records a failed attempt while `owner` holds the lease; the grant's new status, null when it lost it. */
  fail(grantId: string, owner: string, errorClass: RefreshErrorClass): Promise<GrantStatus | null>
  /** Gives back a lease that was not needed. */
  release(grantId: string, owner: string): Promise<void>
  /** The accounts the grant opens and who owns them: what the proxy checks every call against. */
  accounts(grantId: string): Promise<GrantAccount[]>
}

export type GrantAccount = Pick<UserAccountRow, 'id' | 'user_id' | 'provider' | 'region' | 'external_id' | 'status'>

export type CompletedTokens = {
  /** Ciphertexts under `fernetKeyId`; `refreshToken` null keeps the stored one (it must be under the same key). */
  accessToken: string
  accessTokenExpiresAt: string
  refreshToken: string | null
  fernetKeyId: string
}

/** How long a started refresh holds the lease: well past the LWA timeout, short enough to recover fast. */
export const REFRESH_LEASE_SECONDS = 60

export function supabaseGrantStore(db: Db): GrantStore {
  return {
    async start(grantId, owner, claimedOwner) {
      const rows = check(
        'start grant refresh',
        await db.rpc('start_grant_refresh', { p_grant_id: grantId, p_owner: owner, p_claimed_owner: claimedOwner, p_lease_seconds: REFRESH_LEASE_SECONDS }),
      )
      return rows?.[0] ?? null
    },
    async read(grantId) {
      return check(
        'read grant',
        await db.from('amazon_grants').select('status, access_token, access_token_expires_at').eq('id', grantId).maybeSingle(),
      )
    },
    async complete(grantId, owner, tokens) {
      const won = check(
        'complete grant refresh',
        await db.rpc('complete_grant_refresh', {
          p_grant_id: grantId,
          p_owner: owner,
          p_access_token: tokens.accessToken,
          p_access_token_expires_at: tokens.accessTokenExpiresAt,
          p_refresh_token: tokens.refreshToken,
          p_fernet_key_id: tokens.fernetKeyId,
        }),
      )
      return won === true
    },
    async fail(grantId, owner, errorClass) {
      return check('fail grant refresh', await db.rpc('fail_grant_refresh', { p_grant_id: grantId, p_owner: owner, p_error_class: errorClass }))
    },
    async release(grantId, owner) {
      check('release grant', await db.rpc('release_grant', { p_grant_id: grantId, p_owner: owner }))
    },
    async accounts(grantId) {
      return check('read grant accounts', await db.from('user_accounts').select('id, user_id, provider, region, external_id, status').eq('grant_id', grantId)) ?? []
    },
  }
}

/** A page of due grants, leased to the caller (the cron). */
export async function claimDueGrants(db: Db, limit: number, leaseSeconds: number) {
  return check('claim due grants', await db.rpc('claim_due_grants', { p_limit: limit, p_lease_seconds: leaseSeconds })) ?? []
}

/** For /api/health: grants on older Fernet keys, and the last LWA outcome per provider. */
export async function tokenEngineHealth(db: Db, currentKeyId: string) {
  const health = check('token engine health', await db.rpc('token_engine_health', { p_current_key_id: currentKeyId }))
  if (!health) throw new DatabaseError('token engine health')
  return health
}
