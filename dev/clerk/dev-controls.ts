// Test controls of the Clerk stand-in: injected faults (Clerk failing or out of reach) and the count of
// API key verifications the Backend API received. Reached over HTTP under `/__dev/…` (http-api.ts), for
// callers that cannot hold the stand-in object (Worker tests in workerd), and as methods of the object.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { ApiKeyRefusal } from './api-keys.ts'

/** Which requests a fault hits: every Backend API call, every Frontend API call, or one exact path. */
const faultTargetSchema = z.union([
  z.enum(['backend_api', 'frontend_api']),
  z.string().regex(/^\/[^\s?#]*$/, 'a path target starts with "/" and has no query'),
])

const common = {
  target: faultTargetSchema,
  /** Only `POST /v1/api_keys/verify` calls whose secret is this key's: isolates a test on a shared stand-in. */
  api_key_id: z.string().regex(/^ak_[0-9a-f]{32}$/).optional(),
  /** How many matching requests it hits; omitted: every one until the fault is deleted. */
  count: z.int().min(1).optional(),
}

export const faultSpecSchema = z.discriminatedUnion('kind', [
  /** Answer with a 5xx in Clerk's error shape. */
  z.strictObject({ kind: z.literal('error'), ...common, status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(503) }),
  /** Answer Clerk's 429 (rate limited) with `Retry-After`. */
  z.strictObject({ kind: z.literal('throttle'), ...common, retry_after_seconds: z.int().min(0).max(3600).default(10) }),
  /** Close the connection without an answer, as when Clerk cannot be reached (fetch rejects). */
  z.strictObject({ kind: z.literal('unreachable'), ...common }),
  /** Hold the request `ms`, then answer normally; without `ms` until the fault is deleted (or the stand-in stops). */
  z.strictObject({ kind: z.literal('hang'), ...common, ms: z.int().min(0).max(3_600_000).optional() }),
])
export type FaultSpec = z.input<typeof faultSpecSchema>
export type Fault = z.output<typeof faultSpecSchema> & { id: string }

/** What a request offers a fault to match: which API it went to, its path, and for verify calls the key. */
export type FaultContext = { api: 'backend_api' | 'frontend_api'; path: string; apiKeyId: string | null }

/** Pending faults; each request takes the oldest that matches it. */
export class FaultInjector {
  #pending: Array<{ fault: Fault; remaining: number | null }> = []
  /** Requests a `hang` fault holds, by fault id (also after the fault's count ran out). */
  readonly #held = new Map<string, Set<() => void>>()

  add(spec: unknown): Fault {
    const fault: Fault = { ...faultSpecSchema.parse(spec), id: `flt_${randomBytes(8).toString('hex')}` }
    this.#pending.push({ fault, remaining: fault.count ?? null })
    return fault
  }

  /** The fault this request gets, if any (counted off). */
  take(context: FaultContext): Fault | undefined {
    const entry = this.#pending.find(({ fault }) => matches(fault, context))
    if (!entry) return undefined
    if (entry.remaining !== null && --entry.remaining === 0) this.#pending.splice(this.#pending.indexOf(entry), 1)
    return entry.fault
  }

  /** A `hang` fault's wait: its `ms`, or until the fault is deleted. */
  hold(fault: Fault): Promise<void> {
    const ms = fault.kind === 'hang' ? fault.ms : undefined
    const held = this.#held.get(fault.id) ?? new Set<() => void>()
    this.#held.set(fault.id, held)
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer)
        held.delete(release)
        resolve()
      }
      const timer = ms === undefined ? undefined : setTimeout(release, ms)
      held.add(release)
    })
  }

  pending(): Array<Fault & { remaining: number | null }> {
    return this.#pending.map(({ fault, remaining }) => ({ ...fault, remaining }))
  }

  /** Deletes one fault (by id) or all, and lets the requests they hold go on. Whether there was one. */
  delete(id?: string): boolean {
    const existed = this.#pending.some((entry) => id === undefined || entry.fault.id === id) || (id !== undefined && this.#held.has(id))
    this.#pending = this.#pending.filter((entry) => id !== undefined && entry.fault.id !== id)
    for (const [faultId, held] of this.#held) {
      if (id !== undefined && faultId !== id) continue
      for (const release of [...held]) release()
      this.#held.delete(faultId)
    }
    return existed
  }
}

function matches(fault: Fault, context: FaultContext): boolean {
  const target = fault.target === context.api || fault.target === context.path
  return target && (fault.api_key_id === undefined || fault.api_key_id === context.apiKeyId)
}

/** How a `POST /v1/api_keys/verify` call ended. */
export type VerificationOutcome = 'valid' | ApiKeyRefusal | 'bad_request' | 'unauthorized' | 'fault'

/** `count`: calls received; `outcomes`: how they ended. */
export type VerificationCounts = { count: number; outcomes: Record<VerificationOutcome, number> }

/** Every verify call the Backend API received: when, for which key (if the secret matched one), how it ended. */
export class VerificationLog {
  #calls: Array<{ at: number; apiKeyId: string | null; outcome: VerificationOutcome }> = []

  record(apiKeyId: string | null, outcome: VerificationOutcome): void {
    this.#calls.push({ at: Date.now(), apiKeyId, outcome })
  }

  counts(filter: { apiKeyId?: string } = {}): VerificationCounts {
    const outcomes: Record<VerificationOutcome, number> = { valid: 0, unknown: 0, revoked: 0, expired: 0, bad_request: 0, unauthorized: 0, fault: 0 }
    const calls = this.#calls.filter((call) => filter.apiKeyId === undefined || call.apiKeyId === filter.apiKeyId)
    for (const call of calls) outcomes[call.outcome]++
    return { count: calls.length, outcomes }
  }

  clear(): void {
    this.#calls = []
  }
}
