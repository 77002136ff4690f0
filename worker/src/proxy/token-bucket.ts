/** A usage plan: `burst` tokens, refilled at `rate` per second (Amazon's SP-API model). */
export type UsagePlan = { rate: number; burst: number }

/** A bucket as the usage API and the RateLimit headers report it. */
export type BucketState = {
  /** Null when Amazon publishes no plan (the Ads API's limits are dynamic): only Amazon's Retry-After applies. */
  plan: (UsagePlan & { available: number; source: 'default' | 'amazon' }) | null
  /** Milliseconds until one token is free for a new caller. */
  nextTokenMs: number
  /** Milliseconds until the bucket is full again. */
  fullMs: number
}

export type Take = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number }

/**
 * Added to every wait for a refill: Amazon's bucket started when our first call reached it, a little
 * after ours, and each call arrives a little after it leaves. Without it the first waiter can land a
 * few milliseconds before Amazon's token does.
 */
export const REFILL_MARGIN_MS = 100

/**
 * Amazon's usage-plan model, mirrored. A caller who may wait reserves the next token (the count goes
 * below zero) and is told how long to sleep, so concurrent callers queue in order instead of racing for
 * the same refill. Amazon may also say "stop until T" (an Ads Retry-After) or "empty" (a 429 showing our
 * count was too generous): pause() and drain() record it.
 */
export class TokenBucket {
  #plan: UsagePlan | null
  #source: 'default' | 'amazon' = 'default'
  #tokens: number
  #updatedAt: number
  #pausedUntil = 0

  constructor(plan: UsagePlan | null, now: number) {
    this.#plan = plan
    this.#tokens = plan?.burst ?? 0
    this.#updatedAt = now
  }

  take(now: number, maxWaitMs: number): Take {
    this.#refill(now)
    const waitMs = this.#waitForOne(now)
    if (waitMs > maxWaitMs) return { granted: false, retryAfterMs: waitMs }
    if (this.#plan) this.#tokens -= 1
    return { granted: true, waitMs }
  }

  /** A taken token that was never used (the call stopped before Amazon). */
  giveBack(now: number): void {
    if (!this.#plan) return
    this.#refill(now)
    this.#tokens = Math.min(this.#plan.burst, this.#tokens + 1)
  }

  /** Amazon's `x-amzn-RateLimit-Limit` on a successful answer: the rate that actually applies. */
  learn(rate: number, now: number): void {
    if (!this.#plan || !(rate > 0) || !Number.isFinite(rate)) return
    this.#refill(now)
    this.#plan = { ...this.#plan, rate }
    this.#source = 'amazon'
  }

  /** Amazon answered 429: its bucket is empty, whatever our count says. */
  drain(now: number): void {
    this.#refill(now)
    this.#tokens = Math.min(this.#tokens, 0)
  }

  /** No call before `until` (Amazon's Retry-After). */
  pause(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until)
  }

  state(now: number): BucketState {
    this.#refill(now)
    const paused = Math.max(0, this.#pausedUntil - now)
    const plan = this.#plan
    if (!plan) return { plan: null, nextTokenMs: paused, fullMs: paused }
    return {
      plan: { ...plan, available: Math.max(0, Math.floor(this.#tokens)), source: this.#source },
      nextTokenMs: this.#waitForOne(now),
      fullMs: Math.max(paused, Math.ceil(((plan.burst - this.#tokens) / plan.rate) * 1000)),
    }
  }

  #waitForOne(now: number): number {
    const deficit = this.#plan ? 1 - this.#tokens : 0
    const refillMs = deficit > 0 ? Math.ceil((deficit / this.#plan!.rate) * 1000) + REFILL_MARGIN_MS : 0
    return Math.max(refillMs, this.#pausedUntil - now, 0)
  }

  #refill(now: number): void {
    if (this.#plan && now > this.#updatedAt) {
      this.#tokens = Math.min(this.#plan.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#plan.rate)
    }
    this.#updatedAt = Math.max(this.#updatedAt, now)
  }
}
