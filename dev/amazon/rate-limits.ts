import { z } from 'zod'
import type { Clock } from './clock.ts'

/** The SP-API operations the stand-in serves. */
export const spApiOperations = ['getMarketplaceParticipations', 'getOrders'] as const
export type SpApiOperation = (typeof spApiOperations)[number]

export const rateLimitSchema = z.object({
  /** Requests per second restored to the bucket (the value of `x-amzn-RateLimit-Limit`). */
  rate: z.number().positive().max(1000),
  /** Bucket size: how many requests may go out back to back. */
  burst: z.int().min(1).max(10_000),
})
export type RateLimit = z.infer<typeof rateLimitSchema>

/**
 * Amazon's documented usage plans: Sellers API getMarketplaceParticipations 0.016 rps, burst 15;
 * Orders API getOrders 0.0167 rps, burst 20. Tests override them to empty a bucket quickly.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<SpApiOperation, RateLimit>> = Object.freeze({
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
  getOrders: { rate: 0.0167, burst: 20 },
})

/**
 * SP-API token buckets, one per selling partner, application and operation (the granularity of
 * Amazon's usage plans). Full when first used; refilled continuously by the stand-in's clock.
 */
export class RateLimiter {
  readonly #clock: Clock
  readonly #initial: Record<SpApiOperation, RateLimit>
  #limits: Record<SpApiOperation, RateLimit>
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>()

  constructor(clock: Clock, overrides: Partial<Record<SpApiOperation, RateLimit>> = {}) {
    this.#clock = clock
    this.#initial = { ...DEFAULT_RATE_LIMITS, ...overrides }
    this.#limits = { ...this.#initial }
  }

  limit(operation: SpApiOperation): RateLimit {
    return this.#limits[operation]
  }

  /** Changes an operation's plan; its buckets start over full. */
  set(operation: SpApiOperation, limit: RateLimit): void {
    this.#limits[operation] = rateLimitSchema.parse(limit)
    for (const key of this.#buckets.keys()) if (key.endsWith(`|${operation}`)) this.#buckets.delete(key)
  }

  /** Takes one token from the caller's bucket; false when it is empty (a 429). */
  take(callerKey: string, operation: SpApiOperation): boolean {
    const { rate, burst } = this.#limits[operation]
    const key = `${callerKey}|${operation}`
    const now = this.#clock.now()
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updatedAt: now }
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * rate)
    bucket.updatedAt = now
    this.#buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  reset(): void {
    this.#limits = { ...this.#initial }
    this.#buckets.clear()
  }
}
