/**
 * The token engine's log lines, read from `wrangler dev`'s output: one `token_refresh_tick` per cron
 * tick and one `token_refresh_batch` per queue batch (worker/src/tokens/). Everything else that looks
 * like an error is kept, so the report can show it.
 */
export type TickLine = { event: 'token_refresh_tick'; claimed: number; claimMs: number; enqueueMs: number; [key: string]: unknown }
export type BatchLine = {
  event: 'token_refresh_batch'
  messages: number
  ms: number
  sessionMs: number
  lwaMs: number
  databaseMs: number
  [outcome: string]: unknown
}

export class WorkerLog {
  readonly ticks: Array<TickLine & { at: number }> = []
  readonly batches: Array<BatchLine & { at: number }> = []
  readonly errors: string[] = []
  lines = 0
  readonly #echo: boolean

  /** @param echo print every line wrangler writes (BENCH_VERBOSE=1) */
  constructor(echo = false) {
    this.#echo = echo
  }

  onLine = (raw: string): void => {
    this.lines++
    if (this.#echo) console.log(`[wrangler] ${raw}`)
    // Strip ANSI colours; the JSON starts at the first brace (wrangler may prefix the line).
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '')
    const brace = line.indexOf('{"event":')
    if (brace >= 0) {
      try {
        const parsed = JSON.parse(line.slice(brace).replace(/\s+—.*$/, '')) as { event?: string }
        if (parsed.event === 'token_refresh_tick') this.ticks.push({ ...(parsed as TickLine), at: Date.now() })
        else if (parsed.event === 'token_refresh_batch') this.batches.push({ ...(parsed as BatchLine), at: Date.now() })
        if (parsed.event?.startsWith('token_refresh')) {
          // The tick's console.error form: the JSON, then " — " and what is wrong (Amazon refused our LWA client).
          if (/\}\s+—/.test(line) || /✘|\[ERROR\]/.test(line)) this.errors.push(line)
          return
        }
      } catch {
        // not one of ours: fall through
      }
    }
    if (/error|exception|uncaught|✘|failed|dead letter|dropped/i.test(line)) this.errors.push(line)
  }

  /** Sum of a batch field (outcome counts and timings). */
  batchTotal(field: string): number {
    return this.batches.reduce((sum, batch) => sum + (typeof batch[field] === 'number' ? (batch[field] as number) : 0), 0)
  }

  /** Outcome counts over all batches: refreshed, stale, failed, already_fresh, write_pending, malformed, error. */
  outcomes(): Record<string, number> {
    const known = new Set(['event', 'queue', 'messages', 'ms', 'sessionMs', 'lwaMs', 'databaseMs', 'at'])
    const totals: Record<string, number> = {}
    for (const batch of this.batches) {
      for (const [key, value] of Object.entries(batch)) if (!known.has(key) && typeof value === 'number') totals[key] = (totals[key] ?? 0) + value
    }
    return totals
  }
}
