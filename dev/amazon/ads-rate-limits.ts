import type { Clock } from '../clock.ts'
import { type RateLimit, rateLimitSchema, TokenBuckets, type Take } from './token-bucket.ts'

/**
 * The stand-in's Amazon Ads plan. Amazon publishes no numbers ("rate limits are dynamic"), only that
 * a throttled call gets 429 with Retry-After; this default is generous, and tests set their own.
 */
export const DEFAULT_ADS_RATE_LIMIT: RateLimit = Object.freeze({ rate: 10, burst: 10 })

/** Amazon Ads throttling: one token bucket per advertising profile (the Amazon-Advertising-API-Scope). */
export class AdsRateLimiter {
  readonly #buckets: TokenBuckets
  readonly #initial: RateLimit
  #limit: RateLimit

  constructor(clock: Clock, initial: RateLimit = DEFAULT_ADS_RATE_LIMIT) {
    this.#buckets = new TokenBuckets(clock)
    this.#initial = rateLimitSchema.parse(initial)
    this.#limit = this.#initial
  }

  limit(): RateLimit {
    return this.#limit
  }

  /** Changes the plan; every profile's bucket starts over full. */
  set(limit: RateLimit): void {
    this.#limit = rateLimitSchema.parse(limit)
    this.#buckets.clear()
  }

  take(profileId: string): Take {
    return this.#buckets.take(profileId, this.#limit)
  }

  reset(): void {
    this.#limit = this.#initial
    this.#buckets.clear()
  }
}
