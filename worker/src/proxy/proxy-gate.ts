import type { TokenResult } from '../tokens/account-session.ts'
import type { RefreshFailure } from '../tokens/refresh-errors.ts'
import type { AccountDirectory, Ownership, ProxyAccount } from './account-directory.ts'
import { RdtCache } from './rdt-cache.ts'
import type { AmazonRefusal, Minted, RestrictedResource } from './restricted-data-token.ts'
import { type BucketState, TokenBucket, type UsagePlan } from './token-bucket.ts'
import { type AccountUsage, type CallOutcome, countCall } from './usage.ts'

/** The operation a call is for: its id and Amazon's usage plan (null for the Ads API, whose limits are dynamic). */
export type OperationRef = { id: string; plan: UsagePlan | null }

export type Admission = {
  grantId: string
  userId: string
  accountId: string
  operation: OperationRef
  /** How long the caller lets us wait for the operation's bucket (and an RDT's), in milliseconds. */
  maxWaitMs: number
  /** Set when the call needs a Restricted Data Token for this resource. */
  restricted?: RestrictedResource
}

export type Admitted = { ok: true; token: string; account: ProxyAccount; waitMs: number; bucket: BucketState }

export type NotAdmitted =
  | { ok: false; reason: 'account_not_found' | 'account_reauth_required' }
  | { ok: false; reason: 'rate_limited'; operationId: string; retryAfterMs: number; bucket: BucketState }
  | { ok: false; reason: 'token'; failure: RefreshFailure }
  | { ok: false; reason: 'rdt_refused'; refusal: AmazonRefusal }

/** What the gate needs from its AccountSession. */
export type GateHost = {
  directory: AccountDirectory
  accessToken: (grantId: string) => Promise<TokenResult>
  mintRdt: (account: ProxyAccount, accessToken: string, resource: RestrictedResource) => Promise<Minted>
  storage: { get<T>(key: string): T | undefined; put(key: string, value: unknown): void }
  now: () => number
}

/** Amazon's usage plan for createRestrictedDataToken (Tokens API 2021-03-01). */
const CREATE_RDT: OperationRef = { id: 'createRestrictedDataToken', plan: { rate: 1, burst: 10 } }

const usageKey = (accountId: string) => `usage:${accountId}`

/**
 * The proxy's side of a grant's AccountSession: who may call (ownership from the directory), when (a
 * token bucket per selling partner and operation), and with what (the access token, or an RDT minted
 * once per resource). Buckets and RDTs live in memory: after an eviction the buckets start full, and
 * the first 429 Amazon answers drains them again.
 */
export class ProxyGate {
  readonly #host: GateHost
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #rdts = new RdtCache<Extract<Minted, { ok: true }> | NotAdmitted>()

  constructor(host: GateHost) {
    this.#host = host
  }

  authorize(grantId: string, userId: string, accountId: string): Promise<Ownership> {
    return this.#host.directory.check(grantId, userId, accountId, this.#host.now())
  }

  async admit(admission: Admission): Promise<Admitted | NotAdmitted> {
    const owned = await this.authorize(admission.grantId, admission.userId, admission.accountId)
    if (!owned.ok) return owned
    const { account } = owned
    const bucket = this.#bucket(account.externalId, admission.operation)
    const take = bucket.take(this.#host.now(), admission.maxWaitMs)
    if (!take.granted) return this.#rateLimited(admission.operation.id, take.retryAfterMs, bucket)

    const token = await this.#host.accessToken(admission.grantId)
    if (!token.ok) {
      bucket.giveBack(this.#host.now())
      return { ok: false, reason: 'token', failure: token.failure }
    }
    if (!admission.restricted) return { ok: true, token: token.accessToken, account, waitMs: take.waitMs, bucket: bucket.state(this.#host.now()) }

    const minted = await this.#restrictedDataToken(account, token.accessToken, admission.restricted, admission.maxWaitMs - take.waitMs)
    if (!minted.ok) {
      bucket.giveBack(this.#host.now())
      return minted
    }
    return { ok: true, token: minted.token, account, waitMs: take.waitMs, bucket: bucket.state(this.#host.now()) }
  }

  /** Amazon answered 429: its bucket is empty (and, with a Retry-After, closed until then). The new state. */
  throttled(externalId: string, operation: OperationRef, retryAfterMs: number | null): BucketState {
    const now = this.#host.now()
    const bucket = this.#bucket(externalId, operation)
    bucket.drain(now)
    if (retryAfterMs !== null) bucket.pause(now + retryAfterMs)
    return bucket.state(now)
  }

  /** Counts a finished call; a rate Amazon stated on a success corrects the bucket. */
  record(outcome: CallOutcome, learned: { externalId: string; operation: OperationRef; rate: number } | null): void {
    const now = this.#host.now()
    if (learned) this.#bucket(learned.externalId, learned.operation).learn(learned.rate, now)
    const key = usageKey(outcome.accountId)
    this.#host.storage.put(key, countCall(this.#host.storage.get<AccountUsage>(key), outcome, new Date(now)))
  }

  usage(accountId: string, externalId: string): AccountUsage & { buckets: Record<string, BucketState> } {
    const now = this.#host.now()
    const buckets: Record<string, BucketState> = {}
    const prefix = `${externalId}|`
    for (const [key, bucket] of this.#buckets) if (key.startsWith(prefix)) buckets[key.slice(prefix.length)] = bucket.state(now)
    const stored = this.#host.storage.get<AccountUsage>(usageKey(accountId))
    return { since: stored?.since ?? null, operations: stored?.operations ?? {}, buckets }
  }

  /**
   * Disconnect or reconnect: the accounts may have changed, and RDTs were minted with tokens that may be
   * gone. Buckets describe Amazon's side and stay.
   */
  invalidate(): void {
    this.#host.directory.clear()
    this.#rdts.clear()
  }

  async #restrictedDataToken(
    account: ProxyAccount,
    accessToken: string,
    resource: RestrictedResource,
    budgetMs: number,
  ): Promise<Extract<Minted, { ok: true }> | NotAdmitted> {
    const key = JSON.stringify([account.externalId, resource.method, resource.path, [...(resource.dataElements ?? [])].sort()])
    return this.#rdts.get(key, this.#host.now(), async () => {
      const bucket = this.#bucket(account.externalId, CREATE_RDT)
      const take = bucket.take(this.#host.now(), Math.max(0, budgetMs))
      if (!take.granted) return this.#rateLimited(CREATE_RDT.id, take.retryAfterMs, bucket)
      if (take.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, take.waitMs))
      const result = await this.#host.mintRdt(account, accessToken, resource)
      if (result.ok) return result
      if (result.refusal.status === 429) bucket.drain(this.#host.now())
      return { ok: false, reason: 'rdt_refused', refusal: result.refusal }
    })
  }

  #rateLimited(operationId: string, retryAfterMs: number, bucket: TokenBucket): NotAdmitted {
    return { ok: false, reason: 'rate_limited', operationId, retryAfterMs, bucket: bucket.state(this.#host.now()) }
  }

  #bucket(externalId: string, operation: OperationRef): TokenBucket {
    const key = `${externalId}|${operation.id}`
    let bucket = this.#buckets.get(key)
    if (!bucket) this.#buckets.set(key, (bucket = new TokenBucket(operation.plan, this.#host.now())))
    return bucket
  }
}
