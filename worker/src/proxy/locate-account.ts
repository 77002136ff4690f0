import type { Provider } from '../amazon/regions.ts'
import { getAccount } from '../db/accounts.ts'
import type { Db } from '../db/supabase.ts'

/** Which grant an account belongs to and what it is: facts that never change for an account id. */
export type AccountLocation = { grantId: string; provider: Provider }

/** Bounds the isolate's memory: a location is 100 bytes or so. */
const MAX_LOCATIONS = 10_000

const locations = new Map<string, AccountLocation>()

/**
 * Where an account's AccountSession is. Only a hint: the session checks ownership and existence on
 * every call, so the cache may be shared by all callers of this isolate. A miss asks the database as
 * the caller (row-level security: someone else's account is not found).
 */
export async function locateAccount(db: () => Db, accountId: string): Promise<AccountLocation | 'not_found' | 'no_grant'> {
  const known = locations.get(accountId)
  if (known) return known
  const account = await getAccount(db(), accountId)
  if (!account) return 'not_found'
  if (!account.grant_id) return 'no_grant'
  const location = { grantId: account.grant_id, provider: account.provider }
  if (locations.size >= MAX_LOCATIONS) locations.delete(locations.keys().next().value!)
  locations.set(accountId, location)
  return location
}

/** A session that no longer knows the account: the hint was stale (a reconnect moved it, or it is gone). */
export function forgetLocation(accountId: string): void {
  locations.delete(accountId)
}
