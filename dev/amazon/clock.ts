/**
 * The stand-in's time: the injected `now` (Date.now by default) plus an offset the tests can push
 * forward, over HTTP too (`POST /__control/clock`), so code expiry, access-token expiry and the
 * rate-limit buckets can be exercised without waiting.
 */
export class Clock {
  readonly #now: () => number
  #offsetMs = 0

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  now(): number {
    return this.#now() + this.#offsetMs
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward')
    this.#offsetMs += ms
  }

  reset(): void {
    this.#offsetMs = 0
  }
}

/** Amazon's timestamps: ISO 8601, UTC, whole seconds (`2026-11-20T12:00:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
