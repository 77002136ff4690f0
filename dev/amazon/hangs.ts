/**
 * Requests held by a `hang` fault. A hang with a duration resolves after it; one without never
 * does, and its socket is closed by stop(). stop() cancels every timer so nothing keeps the
 * process alive.
 */
export class Hangs {
  readonly #timers = new Set<NodeJS.Timeout>()
  #stopped = false

  hold(ms: number | undefined): Promise<void> {
    if (this.#stopped || ms === undefined) return new Promise<void>(() => {})
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        resolve()
      }, ms)
      this.#timers.add(timer)
    })
  }

  stop(): void {
    this.#stopped = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
  }
}
