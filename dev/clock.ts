/**
 * A stand-in's time: the injected `now` (Date.now by default) plus an offset the tests push forward over
 * HTTP (the Amazon stand-in's `POST /__control/clock`, the Clerk stand-in's `POST /__dev/api-keys/clock`),
 * so expiry and rate-limit buckets can be exercised without waiting. Each stand-in has its own clock: Clerk's
 * moves only API keys (session tokens keep real time, since the Worker and PostgREST verify them in real time).
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
