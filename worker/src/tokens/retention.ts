import { check, DatabaseError, type Db } from '../db/supabase.ts'

/**
 * Retention: what the database keeps, and for how long. The ages live in prune_expired()
 * (supabase/migrations/20261201000100_integrity.sql), which the Cron Trigger calls once a tick:
 *
 *   table           deleted when                       why
 *   oauth_states    1 day after expires_at             a connect attempt is useless 10 minutes after it starts
 *   webhook_events  7 days after received_at           Svix stops retrying about 27.6 hours after the first
 *                                                      attempt; a later manual replay is harmless anyway
 *                                                      (older Clerk events are ignored, deleted users stay deleted)
 *   account_events  400 days after created_at          a year of history (Amazon's yearly re-authorization) and a month
 */

/** Rows deleted per table per tick, at most: 1,000 a minute is 1.4 M a day, far above what accrues. */
export const PRUNE_BATCH_SIZE = 1000

export type Pruned = { oauthStates: number; webhookEvents: number; accountEvents: number }

/** Deletes one bounded batch of expired rows per table (service role); returns how many went from each. */
export async function pruneExpired(db: Db, limit = PRUNE_BATCH_SIZE): Promise<Pruned> {
  const rows = check('prune expired rows', await db.rpc('prune_expired', { p_limit: limit }))
  const row = rows?.[0]
  if (!row) throw new DatabaseError('prune expired rows')
  return { oauthStates: row.oauth_states, webhookEvents: row.webhook_events, accountEvents: row.account_events }
}
