import type { OAuthStateRow } from './database-types.ts'
import { check, DatabaseError, type Db } from './supabase.ts'

/** PostgreSQL foreign_key_violation: the users row the state points at does not exist (yet). */
const FOREIGN_KEY_VIOLATION = '23503'

export type NewOAuthState = Pick<OAuthStateRow, 'state_hash' | 'nonce_hash' | 'user_id' | 'provider' | 'region' | 'marketplace_id'>

/**
 * Records a connect attempt (hashes only; expiry is the schema's 10-minute default). Service role.
 * 'user_not_synced' when Clerk's webhook has not created the user's row yet.
 */
export async function createOAuthState(db: Db, state: NewOAuthState): Promise<'created' | 'user_not_synced'> {
  const { error } = await db.from('oauth_states').insert(state)
  if (error?.code === FOREIGN_KEY_VIOLATION) return 'user_not_synced'
  if (error) throw new DatabaseError('create oauth state', error.code)
  return 'created'
}

/**
 * Consumes the state in one statement: returns it only if unconsumed, unexpired and the nonce hash
 * matches; null otherwise (unknown, expired, replayed or another browser). Service role.
 */
export async function consumeOAuthState(db: Db, stateHash: string, nonceHash: string): Promise<OAuthStateRow | null> {
  const rows = check('consume oauth state', await db.rpc('consume_oauth_state', { p_state_hash: stateHash, p_nonce_hash: nonceHash }))
  return rows?.[0] ?? null
}
