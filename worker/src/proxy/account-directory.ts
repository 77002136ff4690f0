import type { GrantAccount } from '../db/grants.ts'
import type { Provider, Region } from '../amazon/regions.ts'

/** What the proxy needs of an account to reach Amazon for it. */
export type ProxyAccount = { provider: Provider; region: Region; externalId: string }

export type Ownership = { ok: true; account: ProxyAccount } | { ok: false; reason: 'account_not_found' | 'account_reauth_required' }

/** The durable object's synchronous storage (SQLite-backed: local to the object, no network). */
export type DirectoryStorage = { get<T>(key: string): T | undefined; put(key: string, value: unknown): void; delete(key: string): boolean }

type Snapshot = { loadedAt: number; accounts: GrantAccount[] }

/**
 * How long the grant's account list is trusted without asking the database again. Disconnect and
 * reconnect clear it at once (the routes call invalidate()); this bounds staleness from paths that
 * cannot, such as a user deleted through Clerk's webhook.
 */
const DIRECTORY_TTL_MS = 5 * 60_000
const STORAGE_KEY = 'directory'

/**
 * The accounts one grant opens and who owns them, held by the grant's AccountSession so the proxy's
 * warm path checks ownership without a database round trip. Kept in the object's storage as well as in
 * memory: an idle object loses its memory within seconds, its storage survives. Concurrent cold callers
 * share one load.
 */
export class AccountDirectory {
  readonly #load: (grantId: string) => Promise<GrantAccount[]>
  readonly #storage: DirectoryStorage
  #entries: Promise<Map<string, GrantAccount>> | undefined
  #loadedAt = 0

  constructor(load: (grantId: string) => Promise<GrantAccount[]>, storage: DirectoryStorage) {
    this.#load = load
    this.#storage = storage
  }

  async check(grantId: string, userId: string, accountId: string, now: number): Promise<Ownership> {
    if (!this.#entries || now - this.#loadedAt > DIRECTORY_TTL_MS) this.#entries = this.#snapshot(grantId, now)
    const account = (await this.#entries).get(accountId)
    // Someone else's account reads exactly like no account: its existence is not ours to reveal.
    if (!account || account.user_id !== userId) return { ok: false, reason: 'account_not_found' }
    if (account.status === 'reauth_required' || account.status === 'disconnected') return { ok: false, reason: 'account_reauth_required' }
    return { ok: true, account: { provider: account.provider, region: account.region, externalId: account.external_id } }
  }

  clear(): void {
    this.#entries = undefined
    this.#storage.delete(STORAGE_KEY)
  }

  /** The stored list while it is fresh, else one load from the database (a failed load is not kept). */
  #snapshot(grantId: string, now: number): Promise<Map<string, GrantAccount>> {
    const stored = this.#storage.get<Snapshot>(STORAGE_KEY)
    if (stored && now - stored.loadedAt <= DIRECTORY_TTL_MS) {
      this.#loadedAt = stored.loadedAt
      return Promise.resolve(byId(stored.accounts))
    }
    this.#loadedAt = now
    const loading = this.#load(grantId).then((accounts) => {
      if (this.#entries === loading) this.#storage.put(STORAGE_KEY, { loadedAt: now, accounts } satisfies Snapshot)
      return byId(accounts)
    })
    loading.catch(() => {
      if (this.#entries === loading) this.#entries = undefined
    })
    return loading
  }
}

const byId = (accounts: GrantAccount[]) => new Map(accounts.map((account) => [account.id, account]))
