/**
 * The time API keys live by: `Date.now()` (or an injected `now`) plus an offset tests push forward
 * (`POST /__dev/api-keys/clock`), so expiry can be exercised without waiting. Only API keys read it:
 * session tokens keep real time, since the verifiers they go to (the Worker, PostgREST) use real time.
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
}
