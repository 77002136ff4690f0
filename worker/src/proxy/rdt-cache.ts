/** An RDT is reused until this long before Amazon's expiry, so no call goes out with one about to lapse. */
export const RDT_EXPIRY_MARGIN_MS = 60_000

/**
 * Restricted Data Tokens of one grant, by (method, path, data elements). Concurrent callers that need
 * the same RDT share one mint; a refused mint is not kept, so the next caller asks Amazon again. In
 * memory only: an RDT is a bearer credential for buyer data and never touches storage.
 */
export class RdtCache<Result extends { ok: true; expiresAt: number } | { ok: false }> {
  readonly #entries = new Map<string, Promise<Result>>()

  get(key: string, now: number, mint: () => Promise<Result>): Promise<Result> {
    const cached = this.#entries.get(key)
    if (cached) {
      return cached.then((result) => (result.ok && result.expiresAt - RDT_EXPIRY_MARGIN_MS > now ? result : this.#mint(key, mint, cached)))
    }
    return this.#mint(key, mint, undefined)
  }

  clear(): void {
    this.#entries.clear()
  }

  #mint(key: string, mint: () => Promise<Result>, replacing: Promise<Result> | undefined): Promise<Result> {
    // Another caller may already have replaced the expired entry: share its mint.
    const current = this.#entries.get(key)
    if (current && current !== replacing) return current
    const minting = mint()
    this.#entries.set(key, minting)
    const forget = () => {
      if (this.#entries.get(key) === minting) this.#entries.delete(key)
    }
    minting.then((result) => result.ok || forget(), forget)
    return minting
  }
}
