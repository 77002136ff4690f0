import { DurableObject } from 'cloudflare:workers'
import type { RateLimitPolicy } from '../rate-limit-policy.ts'

/** The outcome of one consume() call, in the terms of the IETF RateLimit header fields. */
export type RateLimitDecision = {
  allowed: boolean
  limit: number
  /** Units left in the current window after this call. */
  remaining: number
  /** Whole seconds until the current window ends and the full limit is available again (>= 1). */
  resetSeconds: number
  /** Only when refused: whole seconds to wait before the same call can succeed. */
  retryAfterSeconds?: number
}

/** One policy's current window, as persisted. A window keeps the length it started with. */
type StoredWindow = { endsAt: number; used: number }

const WINDOW_PREFIX = 'window:'

function assertValid(policy: RateLimitPolicy, cost: number): void {
  if (typeof policy.name !== 'string' || policy.name === '' || policy.name.length > 64) {
    throw new RangeError('policy.name must be a non-empty string of at most 64 characters')
  }
  if (!Number.isSafeInteger(policy.limit) || policy.limit < 1) throw new RangeError('policy.limit must be a positive integer')
  if (!Number.isSafeInteger(policy.windowSeconds) || policy.windowSeconds < 1) {
    throw new RangeError('policy.windowSeconds must be a positive integer')
  }
  if (!Number.isSafeInteger(cost) || cost < 1 || cost > policy.limit) {
    throw new RangeError('cost must be a positive integer no greater than policy.limit')
  }
}

/**
 * Fixed-window rate limiter for one caller: one object per user id (or per client IP), one window per
 * policy name, so route groups are counted separately. A window opens at the caller's first request
 * rather than on the wall-clock minute, which spreads resets out instead of releasing every client at
 * :00 (the thundering herd the RateLimit draft warns about).
 *
 * Exactness: consume() reads, decides and writes with the synchronous KV API and never awaits, so no
 * other call can interleave and exactly `limit` units are admitted per window however many arrive at
 * once. The write lands in SQLite storage before the reply leaves (output gate), so eviction or a
 * restart loses nothing. Trade-off of fixed windows: a caller can spend a full window at its very end
 * and another right after it; per-window accounting stays exact and the headers stay truthful.
 */
export class UserRateLimiter extends DurableObject {
  /** When the cleanup alarm we last set fires; unknown after a restart, which only costs one extra setAlarm. */
  #cleanupAt: number | undefined

  consume(policy: RateLimitPolicy, cost = 1): RateLimitDecision {
    assertValid(policy, cost)
    const now = Date.now()
    const key = WINDOW_PREFIX + policy.name
    const stored = this.ctx.storage.kv.get<StoredWindow>(key)
    const current: StoredWindow =
      stored !== undefined && now < stored.endsAt ? stored : { endsAt: now + policy.windowSeconds * 1000, used: 0 }
    const resetSeconds = Math.ceil((current.endsAt - now) / 1000)

    if (current.used + cost > policy.limit) {
      return {
        allowed: false,
        limit: policy.limit,
        remaining: Math.max(0, policy.limit - current.used),
        resetSeconds,
        retryAfterSeconds: resetSeconds,
      }
    }

    const used = current.used + cost
    this.ctx.storage.kv.put<StoredWindow>(key, { endsAt: current.endsAt, used })
    if (current !== stored) this.#scheduleCleanup(current.endsAt)
    return { allowed: true, limit: policy.limit, remaining: policy.limit - used, resetSeconds }
  }

  /** Deletes the windows that have ended, so an idle caller leaves no storage behind. */
  override alarm(): void {
    this.#cleanupAt = undefined
    const now = Date.now()
    let latestEnd: number | undefined
    for (const [key, window] of [...this.ctx.storage.kv.list<StoredWindow>({ prefix: WINDOW_PREFIX })]) {
      if (window.endsAt <= now) this.ctx.storage.kv.delete(key)
      else latestEnd = Math.max(latestEnd ?? 0, window.endsAt)
    }
    if (latestEnd !== undefined) this.#scheduleCleanup(latestEnd)
  }

  // #-private, not TS-private: every public method of a Durable Object is callable over RPC.
  /** Keeps one alarm at or after the end of the latest open window (set once per new window, not per call). */
  #scheduleCleanup(endsAt: number): void {
    if (this.#cleanupAt !== undefined && this.#cleanupAt >= endsAt) return
    this.#cleanupAt = endsAt
    // Not awaited, so consume() stays free of awaits: the output gate still holds our reply until the
    // alarm is durably set, and a failed storage write resets the object rather than passing silently.
    void this.ctx.storage.setAlarm(endsAt)
  }
}
