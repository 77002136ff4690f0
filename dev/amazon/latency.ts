import { z } from 'zod'
import type { ServiceKind } from './faults.ts'

export const latencySchema = z.object({
  /** Added to every answer of the target service; 0 removes it. */
  ms: z.int().min(0).max(60_000),
  target: z.enum(['lwa', 'sp_api', 'ads', 'consent']).default('sp_api'),
})
export type LatencySetting = z.input<typeof latencySchema>

/**
 * A standing delay per service, for benchmarks that need Amazon's answers to take time (a `hang`
 * fault delays a counted number of requests; this delays all of them until changed).
 */
export class Latency {
  #ms: Partial<Record<ServiceKind, number>> = {}

  set(setting: LatencySetting): void {
    const { ms, target } = latencySchema.parse(setting)
    if (ms === 0) delete this.#ms[target]
    else this.#ms[target] = ms
  }

  of(kind: ServiceKind): number {
    return this.#ms[kind] ?? 0
  }

  all(): Partial<Record<ServiceKind, number>> {
    return { ...this.#ms }
  }

  clear(): void {
    this.#ms = {}
  }
}
