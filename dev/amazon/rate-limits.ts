import { SP_API_OPERATIONS } from '../../worker/src/amazon/operations/sp-api-operations.generated.ts'
import type { Clock } from '../clock.ts'
import { SERVED_SP_API_OPERATIONS, type ServedOperation, type SpApiOperation } from './sp-api-operations.ts'
import { type RateLimit, rateLimitSchema, TokenBuckets, type Take } from './token-bucket.ts'

export { rateLimitSchema, type RateLimit } from './token-bucket.ts'
export { spApiOperations, type SpApiOperation } from './sp-api-operations.ts'

/** An operation's default usage plan, from the table generated from Amazon's API models. */
function documentedPlan({ operationId, method, path }: ServedOperation): RateLimit {
  const spec = SP_API_OPERATIONS.find((candidate) => candidate.method === method && candidate.path === path)
  if (!spec || spec.rate === null || spec.burst === null) throw new Error(`The SP-API operation table has no usage plan for ${operationId} (${method} ${path})`)
  return { rate: spec.rate, burst: spec.burst }
}

/**
 * Amazon's documented default usage plan of every served operation (the "Usage Plan" table of each
 * operation's reference). Tests override them to empty a bucket quickly.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<SpApiOperation, RateLimit>> = Object.freeze(
  Object.fromEntries(SERVED_SP_API_OPERATIONS.map((operation) => [operation.operationId, documentedPlan(operation)])) as Record<SpApiOperation, RateLimit>,
)

/**
 * SP-API token buckets, one per application, selling partner and operation: the granularity of
 * Amazon's usage plans ("Usage Plans and Rate Limits").
 */
export class RateLimiter {
  readonly #buckets: TokenBuckets
  readonly #initial: Record<SpApiOperation, RateLimit>
  #limits: Record<SpApiOperation, RateLimit>

  constructor(clock: Clock, overrides: Partial<Record<SpApiOperation, RateLimit>> = {}) {
    this.#buckets = new TokenBuckets(clock)
    this.#initial = { ...DEFAULT_RATE_LIMITS, ...overrides }
    this.#limits = { ...this.#initial }
  }

  limit(operation: SpApiOperation): RateLimit {
    return this.#limits[operation]
  }

  /** Changes an operation's plan; its buckets start over full. */
  set(operation: SpApiOperation, limit: RateLimit): void {
    this.#limits[operation] = rateLimitSchema.parse(limit)
    this.#buckets.clear(`|${operation}`)
  }

  /** Takes one token from the caller's bucket (`{application}|{selling partner}`). */
  take(callerKey: string, operation: SpApiOperation): Take {
    return this.#buckets.take(`${callerKey}|${operation}`, this.#limits[operation])
  }

  reset(): void {
    this.#limits = { ...this.#initial }
    this.#buckets.clear()
  }
}
