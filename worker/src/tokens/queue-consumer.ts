import type { Bindings } from '../env.ts'
import type { ClaimOutcome } from './account-session.ts'
import { refreshMessageSchema } from './refresh-message.ts'
import { accountSession } from './session-stub.ts'

/** Redelivery delay when the outcome could not be settled (database down, a write parked): seconds. */
const RETRY_DELAY_SECONDS = 10

/**
 * The token-refresh queue's consumer: every claim in the batch goes to its grant's AccountSession at
 * once. A message is acknowledged when its outcome is settled in the database (refreshed, failed and
 * recorded, or stale) and retried otherwise, so new tokens are written before the message is gone.
 * One log line per batch.
 */
export async function consumeRefreshBatch(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const started = Date.now()
  const counts: Partial<Record<ClaimOutcome | 'malformed' | 'error', number>> = {}
  const count = (outcome: keyof typeof counts) => (counts[outcome] = (counts[outcome] ?? 0) + 1)
  // Summed over the batch's messages: time in the AccountSessions, and within it at LWA and the database.
  const totals = { sessionMs: 0, lwaMs: 0, databaseMs: 0 }
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = refreshMessageSchema.safeParse(message.body)
      if (!parsed.success) {
        count('malformed')
        return message.ack() // no retry can make it readable
      }
      const { grantId, leaseOwner } = parsed.data
      try {
        const called = Date.now()
        const { outcome, timings } = await accountSession(env, grantId).refreshClaimed(grantId, leaseOwner)
        totals.sessionMs += Date.now() - called
        totals.lwaMs += timings.lwaMs
        totals.databaseMs += timings.databaseMs
        count(outcome)
        if (outcome === 'write_pending') message.retry({ delaySeconds: RETRY_DELAY_SECONDS })
        else message.ack()
      } catch {
        count('error')
        message.retry({ delaySeconds: RETRY_DELAY_SECONDS })
      }
    }),
  )
  console.log(JSON.stringify({ event: 'token_refresh_batch', queue: batch.queue, messages: batch.messages.length, ...counts, ms: Date.now() - started, ...totals }))
}
