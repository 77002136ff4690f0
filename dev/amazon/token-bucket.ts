import { z } from 'zod'
import type { Clock } from '../clock.ts'

export const rateLimitSchema = z.object({
  /** Requests per second restored to the bucket (SP-API reports it as `x-amzn-RateLimit-Limit`). */
  rate: z.number().positive().max(1000),
  /** Bucket size: how many requests may go out back to back. */
  burst: z.int().min(1).max(10_000),
})
export type RateLimit = z.infer<typeof rateLimitSchema>

export type Take = { allowed: true } | { allowed: false; retryAfterMs: number }

/**
 * Token buckets by key, full when first used and refilled continuously by the stand-in's clock: the
 * model both Amazon's SP-API usage plans and the Ads API's throttling follow.
 */
export class TokenBuckets {
  readonly #clock: Clock
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Takes one token from the key's bucket; when it is empty, how long until one is back. */
  take(key: string, { rate, burst }: RateLimit): Take {
    const now = this.#clock.now()
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updatedAt: now }
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * rate)
    bucket.updatedAt = now
    this.#buckets.set(key, bucket)
    if (bucket.tokens < 1) return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / rate) * 1000) }
    bucket.tokens -= 1
    return { allowed: true }
  }

  /** Forgets the buckets whose key ends with `suffix` (all without one): they start over full. */
  clear(suffix?: string): void {
    if (suffix === undefined) return this.#buckets.clear()
    for (const key of this.#buckets.keys()) if (key.endsWith(suffix)) this.#buckets.delete(key)
  }
}
