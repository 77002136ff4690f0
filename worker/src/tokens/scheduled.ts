import { encryptingKeyId } from '../crypto/token-cipher.ts'
import { reencryptCredentials } from '../crypto/reencrypt-credentials.ts'
import { supabaseGrantCipherStore } from '../db/grant-cipher-store.ts'
import { claimDueGrants, tokenEngineHealth } from '../db/grants.ts'
import { serviceDb } from '../db/supabase.ts'
import { type Bindings, parseAmazonConfig, parseConfig } from '../env.ts'
import type { RefreshMessage } from './refresh-message.ts'
import { type Pruned, pruneExpired } from './retention.ts'

/** Grants per claim and per sendBatch (a Queues batch holds at most 100 messages). */
export const CLAIM_PAGE_SIZE = 100
/** At most this many pages per tick: 200 × 100 = 20,000 grants a minute, 1.2 M an hour. */
export const MAX_CLAIM_PAGES = 200
/**
 * How long a claim may wait in the queue before another tick may claim the grant again: the 5 minutes
 * a due token has left. A backlog longer than one tick (bench:refresh saw 120 s run out under a local,
 * one-batch-at-a-time queue) then does not re-claim grants whose messages are still coming; a message
 * still undelivered after it only finds its lease gone, and the AccountSession treats it as stale.
 */
export const CLAIM_LEASE_SECONDS = 300
/** Grants re-encrypted per tick during a key rotation. */
export const REENCRYPT_BATCH_SIZE = 200

export type TickSummary = {
  claimed: number
  /** Time spent claiming (database) and waiting for sendBatch (queue), for the log line and bench:refresh. */
  claimMs: number
  enqueueMs: number
  reencrypted: number
  grantsOnOlderKeys: number
  spApiClient: string | null
  adsClient: string | null
  /** Expired rows deleted this tick (retention.ts), one bounded batch per table. */
  pruned: Pruned
}

/**
 * The Cron Trigger, every minute: claim the grants due within 5 minutes and hand them to the queue,
 * move a batch of grants onto the newest Fernet key, prune a batch of expired rows (retention.ts), and
 * write one log line (one per tick, however many grants failed) — an error line when Amazon refused our
 * own LWA credentials.
 */
export async function runScheduledTick(env: Bindings): Promise<TickSummary> {
  const db = serviceDb(parseConfig(env))
  const amazon = parseAmazonConfig(env)
  const { claimed, claimMs, enqueueMs } = await enqueueDueGrants(env, db)
  const keyId = await encryptingKeyId(amazon)
  const rotation = await reencryptCredentials(amazon.fernet, keyId, supabaseGrantCipherStore(db), { batchSize: REENCRYPT_BATCH_SIZE, maxBatches: 1 })
  const health = await tokenEngineHealth(db, keyId)
  // Last: the refreshes matter more than the housekeeping.
  const pruned = await pruneExpired(db)
  const summary: TickSummary = {
    claimed,
    claimMs,
    enqueueMs,
    reencrypted: rotation.rotated,
    grantsOnOlderKeys: health.grants_on_older_keys,
    spApiClient: health.sp_api_client,
    adsClient: health.ads_client,
    pruned,
  }
  const rejected = [summary.spApiClient, summary.adsClient].includes('invalid_client')
  const line = JSON.stringify({ event: 'token_refresh_tick', ...summary })
  if (rejected) console.error(`${line} — Amazon refused sellersync's LWA client credentials: check LWA_CLIENT_ID/SECRET (or ADS_*)`)
  else console.log(line)
  return summary
}

/** Claims due grants page by page; each page goes to the queue while the next one is claimed. */
async function enqueueDueGrants(env: Bindings, db: ReturnType<typeof serviceDb>) {
  let claimed = 0
  let claimMs = 0
  let enqueueMs = 0
  let sending: Promise<unknown> = Promise.resolve()
  const waitForSend = async () => {
    const waited = Date.now()
    await sending
    enqueueMs += Date.now() - waited
  }
  for (let page = 0; page < MAX_CLAIM_PAGES; page++) {
    const claimStarted = Date.now()
    const rows = await claimDueGrants(db, CLAIM_PAGE_SIZE, CLAIM_LEASE_SECONDS)
    claimMs += Date.now() - claimStarted
    await waitForSend()
    if (rows.length > 0) {
      const messages = rows.map((row): { body: RefreshMessage } => ({ body: { grantId: row.grant_id, leaseOwner: row.lease_owner } }))
      sending = env.TOKEN_REFRESH_QUEUE.sendBatch(messages)
    }
    claimed += rows.length
    if (rows.length < CLAIM_PAGE_SIZE) break
  }
  await waitForSend()
  return { claimed, claimMs, enqueueMs }
}
