import type { GrantAccount } from '../db/grants.ts'
import type { Provider, Region } from '../amazon/regions.ts'

/** What the proxy needs of an account to reach Amazon for it. */
export type ProxyAccount = { provider: Provider; region: Region; externalId: string }

export type Ownership = { ok: true; account: ProxyAccount } | { ok: false; reason: 'account_not_found' | 'account_reauth_required' }

/**
 * How long the grant's account list is trusted without asking the database again. Disconnect and
 * reconnect clear it at once (the routes call invalidate()); this bounds staleness from paths that
 * cannot, such as a user deleted through Clerk's webhook.
 */
const DIRECTORY_TTL_MS = 5 * 60_000

/**
 * The accounts one grant opens and who owns them, held by the grant's AccountSession so the proxy's
 * warm path checks ownership without a database round trip. Concurrent cold callers share one load.
 */
export class AccountDirectory {
  readonly #load: (grantId: string) => Promise<GrantAccount[]>
  #entries: Promise<Map<string, GrantAccount>> | undefined
  #loadedAt = 0

  constructor(load: (grantId: string) => Promise<GrantAccount[]>) {
    this.#load = load
  }

  async check(grantId: string, userId: string, accountId: string, now: number): Promise<Ownership> {
    if (!this.#entries || now - this.#loadedAt > DIRECTORY_TTL_MS) {
      this.#loadedAt = now
      const loading = this.#load(grantId).then((accounts) => new Map(accounts.map((account) => [account.id, account])))
      // A failed load is not kept: the next caller tries again.
      loading.catch(() => {
        if (this.#entries === loading) this.#entries = undefined
      })
      this.#entries = loading
    }
    const account = (await this.#entries).get(accountId)
    // Someone else's account reads exactly like no account: its existence is not ours to reveal.
    if (!account || account.user_id !== userId) return { ok: false, reason: 'account_not_found' }
    if (account.status === 'reauth_required' || account.status === 'disconnected') return { ok: false, reason: 'account_reauth_required' }
    return { ok: true, account: { provider: account.provider, region: account.region, externalId: account.external_id } }
  }

  clear(): void {
    this.#entries = undefined
  }
}
