import { DurableObject } from 'cloudflare:workers'
import { LwaError, refreshAccessToken } from '../amazon/lwa-client.ts'
import { lwaClientFor } from '../amazon/oauth-endpoints.ts'
import { InvalidToken } from '../crypto/fernet.ts'
import { decryptToken, encryptingKeyId, encryptToken } from '../crypto/token-cipher.ts'
import { type CompletedTokens, type GrantStore, supabaseGrantStore } from '../db/grants.ts'
import { DatabaseError, serviceDb } from '../db/supabase.ts'
import { type AmazonConfig, type Bindings, parseAmazonConfig, parseConfig } from '../env.ts'
import { AccountDirectory, type Ownership } from '../proxy/account-directory.ts'
import { type Admission, type Admitted, type NotAdmitted, type OperationRef, ProxyGate } from '../proxy/proxy-gate.ts'
import { createRestrictedDataToken } from '../proxy/restricted-data-token.ts'
import type { BucketState } from '../proxy/token-bucket.ts'
import type { AccountUsage, CallOutcome } from '../proxy/usage.ts'
import { failureOf, type RefreshFailure } from './refresh-errors.ts'

/** A cached access token is handed out while more than this remains (the cron refreshes at the same mark). */
export const MIN_REMAINING_MS = 5 * 60_000

/** The access token's ciphertext and expiry in the object's storage: an idle object loses its memory, not its storage. */
const KEPT_TOKEN_KEY = 'access'
type KeptToken = { ciphertext: string; expiresAt: number }

/** Waits between tries of a token write before it is parked in storage for the alarm. */
const WRITE_RETRY_DELAYS_MS = [0, 250, 1_000]
const PENDING_RETRY_MS = 10_000

export type TokenResult = { ok: true; accessToken: string; expiresAt: string } | { ok: false; failure: RefreshFailure }

/** What became of a claim the cron queued. Every outcome but write_pending lets the message be acknowledged. */
export type ClaimOutcome =
  /** LWA answered with a new token and it is stored. */
  | 'refreshed'
  /** The session already had a token with more than 5 minutes left; the lease was given back. */
  | 'already_fresh'
  /** The claim was taken over or the grant is gone or needs reauth: nothing to do. */
  | 'stale'
  /** The attempt failed and the failure is recorded (status and retry time). */
  | 'failed'
  /** LWA answered, but the database write failed: the new tokens wait, encrypted, in storage. Retry the message. */
  | 'write_pending'

/** A completed refresh whose write failed: ciphertexts only, never a plaintext token. */
type PendingWrite = { grantId: string; owner: string; baseRefreshToken: string; tokens: CompletedTokens }

/** Where a refresh spent its time, for the consumer's log line and bench:refresh. */
export type RefreshTimings = { databaseMs: number; lwaMs: number }

export type ClaimResult = { outcome: ClaimOutcome; timings: RefreshTimings }

type Refreshed = { result: TokenResult; outcome: ClaimOutcome; timings: RefreshTimings }

/**
 * One per grant (named by grant id): the only code that refreshes or writes the grant's tokens.
 * Sync, the proxy and the cron's queue all ask it; concurrent callers share one in-flight refresh,
 * and the access token lives in memory only. Every write goes through the lease-checked SQL
 * functions, so if this object is restarted mid-refresh, the one that replaces it cannot be
 * overwritten by the old one.
 */
export class AccountSession extends DurableObject<Bindings> {
  #cached: { accessToken: string; expiresAt: number } | undefined
  #inFlight: Promise<Refreshed> | undefined
  /** One read of the stored token for every caller that finds none in memory. */
  #loading: Promise<TokenResult | undefined> | undefined
  #gate: ProxyGate | undefined
  /** The database side; tests replace it to make writes fail. */
  store: GrantStore | undefined

  /** A valid access token: the cached one while more than 5 minutes remain, else one shared refresh. */
  accessToken(grantId: string): Promise<TokenResult> {
    return databaseFailureAsResult(async () => {
      const cached = this.#usable()
      if (cached) return cached
      if (!this.#inFlight) {
        this.#loading ??= this.#loadStored(grantId).finally(() => {
          this.#loading = undefined
        })
        const stored = await this.#loading
        if (stored) return stored
      }
      // A refresh may have finished while the stored row was read.
      return this.#usable() ?? (await this.#refreshOnce(grantId, null)).result
    })
  }

  /**
   * Refreshes now (Amazon refused `staleToken` before its expiry), unless the session already holds
   * a different, usable token: then another caller refreshed meanwhile and that one is returned.
   */
  forceRefresh(grantId: string, staleToken?: string): Promise<TokenResult> {
    return databaseFailureAsResult(async () => {
      const cached = this.#usable()
      if (cached?.ok && staleToken !== undefined && cached.accessToken !== staleToken) return cached
      return (await this.#refreshOnce(grantId, null)).result
    })
  }

  /** The cron claimed this grant (lease `leaseOwner`) and the queue delivered the claim. */
  async refreshClaimed(grantId: string, leaseOwner: string): Promise<ClaimResult> {
    const none = { databaseMs: 0, lwaMs: 0 }
    const pending = await this.#flushPending()
    if (pending === 'write_pending') return { outcome: pending, timings: none }
    if (this.#inFlight) {
      await this.#inFlight
      await this.#grants().release(grantId, leaseOwner)
      return { outcome: 'stale', timings: none }
    }
    if (this.#usable()) {
      await this.#grants().release(grantId, leaseOwner)
      return { outcome: 'already_fresh', timings: none }
    }
    const { outcome, timings } = await this.#refreshOnce(grantId, leaseOwner)
    return { outcome, timings }
  }

  /** Disconnect and reconnect: the cached token, the accounts and any RDT may belong to a consent that is gone. */
  async invalidate(): Promise<void> {
    this.#forget()
    this.#gate?.invalidate()
  }

  /** The proxy, per call: ownership, the operation's bucket, and the token (or RDT) to send. */
  admit(admission: Admission): Promise<Admitted | NotAdmitted> {
    return this.#proxyGate().admit(admission)
  }

  /** The proxy, for an answer it already has (an edge-cache hit): only whether the caller owns the account. */
  authorize(grantId: string, userId: string, accountId: string): Promise<Ownership> {
    return this.#proxyGate().authorize(grantId, userId, accountId)
  }

  /** The proxy: Amazon answered 429. */
  async throttled(externalId: string, operation: OperationRef, retryAfterMs: number | null): Promise<BucketState> {
    return this.#proxyGate().throttled(externalId, operation, retryAfterMs)
  }

  /** The proxy: a call of the owner's finished (a rate Amazon stated on a success corrects the bucket). */
  async record(outcome: CallOutcome, learned: { externalId: string; operation: OperationRef; rate: number } | null): Promise<void> {
    this.#proxyGate().record(outcome, learned)
  }

  async usage(accountId: string, externalId: string): Promise<AccountUsage & { buckets: Record<string, BucketState> }> {
    return this.#proxyGate().usage(accountId, externalId)
  }

  /** Retries a parked token write. */
  override async alarm(): Promise<void> {
    if ((await this.#flushPending()) === 'write_pending') await this.ctx.storage.setAlarm(Date.now() + PENDING_RETRY_MS)
  }

  /** Holds the token in memory, and its ciphertext in storage for after an eviction. */
  #remember(accessToken: string, expiresAt: number, ciphertext: string): void {
    this.#cached = { accessToken, expiresAt }
    this.ctx.storage.kv.put(KEPT_TOKEN_KEY, { ciphertext, expiresAt } satisfies KeptToken)
  }

  #forget(): void {
    this.#cached = undefined
    this.ctx.storage.kv.delete(KEPT_TOKEN_KEY)
  }

  #usable(): TokenResult | undefined {
    if (!this.#cached || this.#cached.expiresAt - Date.now() <= MIN_REMAINING_MS) return undefined
    return { ok: true, accessToken: this.#cached.accessToken, expiresAt: new Date(this.#cached.expiresAt).toISOString() }
  }

  /**
   * After the object lost its memory: the access token it kept in storage, else the database's, if it
   * still has more than 5 minutes; a known dead end; or undefined (refresh).
   */
  async #loadStored(grantId: string): Promise<TokenResult | undefined> {
    const kept = this.ctx.storage.kv.get<KeptToken>(KEPT_TOKEN_KEY)
    if (kept && kept.expiresAt - Date.now() > MIN_REMAINING_MS) {
      try {
        this.#cached = { accessToken: await decryptToken(this.#config(), kept.ciphertext), expiresAt: kept.expiresAt }
        return this.#usable()
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error // its key was retired: read the database's
      }
    }
    const stored = await this.#grants().read(grantId)
    if (!stored) return { ok: false, failure: 'not_found' }
    if (stored.status === 'reauth_required') return { ok: false, failure: 'reauth_required' }
    const expiresAt = stored.access_token_expires_at ? Date.parse(stored.access_token_expires_at) : 0
    if (!stored.access_token || expiresAt - Date.now() <= MIN_REMAINING_MS) return undefined
    try {
      this.#remember(await decryptToken(this.#config(), stored.access_token), expiresAt, stored.access_token)
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error
      return undefined // the refresh path records key_missing if the refresh token cannot be read either
    }
    return this.#usable()
  }

  #refreshOnce(grantId: string, claimedOwner: string | null): Promise<Refreshed> {
    this.#inFlight ??= this.#refresh(grantId, claimedOwner).finally(() => {
      this.#inFlight = undefined
    })
    return this.#inFlight
  }

  async #refresh(grantId: string, claimedOwner: string | null): Promise<Refreshed> {
    if ((await this.#flushPending()) === 'write_pending') throw new DatabaseError('write pending tokens')
    const config = this.#config()
    const grants = this.#grants()
    const timings: RefreshTimings = { databaseMs: 0, lwaMs: 0 }
    const owner = crypto.randomUUID()
    const grant = await timed(timings, 'databaseMs', grants.start(grantId, owner, claimedOwner))
    // A queued claim that no longer holds: the grant was served meanwhile. Nothing to read or say.
    if (!grant && claimedOwner !== null) return { result: { ok: false, failure: 'refresh_in_progress' }, outcome: 'stale', timings }
    if (!grant) {
      const stored = await grants.read(grantId)
      const failure = !stored ? 'not_found' : stored.status === 'reauth_required' ? 'reauth_required' : 'refresh_in_progress'
      return { result: { ok: false, failure }, outcome: 'stale', timings }
    }

    let refreshToken: string
    try {
      refreshToken = await decryptToken(config, grant.refresh_token)
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error
      return this.#failed(grantId, owner, 'key_missing', timings)
    }

    let tokens
    try {
      tokens = await timed(timings, 'lwaMs', refreshAccessToken(lwaClientFor(config, grant.provider, grant.region), refreshToken))
    } catch (error) {
      if (!(error instanceof LwaError)) throw error
      return this.#failed(grantId, owner, error.kind, timings)
    }

    this.#cached = { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt.getTime() }
    const keyId = await encryptingKeyId(config)
    // The refresh token is written again when LWA rotated it, or to move it onto the current key.
    const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== refreshToken ? tokens.refreshToken : undefined
    const newRefreshToken = rotated ?? (keyId !== grant.fernet_key_id ? refreshToken : undefined)
    const completed: CompletedTokens = {
      accessToken: await encryptToken(config, tokens.accessToken),
      accessTokenExpiresAt: tokens.expiresAt.toISOString(),
      refreshToken: newRefreshToken === undefined ? null : await encryptToken(config, newRefreshToken),
      fernetKeyId: keyId,
    }
    const result: TokenResult = { ok: true, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt.toISOString() }
    const written = await timed(timings, 'databaseMs', this.#write({ grantId, owner, baseRefreshToken: grant.refresh_token, tokens: completed }))
    return { result, outcome: written === 'won' ? 'refreshed' : written === 'lost' ? 'stale' : 'write_pending', timings }
  }

  async #failed(grantId: string, owner: string, errorClass: Parameters<GrantStore['fail']>[2], timings: RefreshTimings): Promise<Refreshed> {
    await timed(timings, 'databaseMs', this.#grants().fail(grantId, owner, errorClass))
    const failure = failureOf(errorClass)
    if (failure === 'reauth_required') this.#forget()
    return { result: { ok: false, failure }, outcome: 'failed', timings }
  }

  /**
   * Writes the new ciphertexts while the lease is ours. A database failure is retried; if it persists
   * the write is parked in storage (ciphertexts only) and the alarm and the next caller retry it, so a
   * refresh token LWA rotated is never dropped.
   */
  async #write(pending: PendingWrite): Promise<'won' | 'lost' | 'pending'> {
    for (const delay of WRITE_RETRY_DELAYS_MS) {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay))
      try {
        const won = await this.#grants().complete(pending.grantId, pending.owner, pending.tokens)
        // Lost: a reconnect replaced the tokens, or the lease expired and was claimed again.
        if (won && this.#cached) this.#remember(this.#cached.accessToken, this.#cached.expiresAt, pending.tokens.accessToken)
        if (!won) this.#forget()
        return won ? 'won' : 'lost'
      } catch (error) {
        if (!(error instanceof DatabaseError)) throw error
      }
    }
    await this.ctx.storage.put('pending', pending)
    await this.ctx.storage.setAlarm(Date.now() + PENDING_RETRY_MS)
    return 'pending'
  }

  /**
   * Stores a parked write: under its own lease if nobody took it, else under a new one unless the
   * grant's refresh token has changed since (a reconnect): then the parked tokens belong to a consent
   * that was replaced and are dropped.
   */
  async #flushPending(): Promise<'none' | 'written' | 'write_pending'> {
    const pending = await this.ctx.storage.get<PendingWrite>('pending')
    if (!pending) return 'none'
    const grants = this.#grants()
    try {
      // Still our lease: nobody has touched the grant since.
      if (await grants.complete(pending.grantId, pending.owner, pending.tokens)) return this.#pendingDone('written')
      const owner = crypto.randomUUID()
      const grant = await grants.start(pending.grantId, owner, null)
      if (!grant) {
        // Busy: try later. Gone or revoked meanwhile: the parked tokens serve nobody.
        const stored = await grants.read(pending.grantId)
        return stored && stored.status !== 'reauth_required' ? 'write_pending' : this.#pendingDone('none')
      }
      if ((await this.#sameSecret(grant.refresh_token, pending.baseRefreshToken)) && (await grants.complete(pending.grantId, owner, pending.tokens))) {
        return this.#pendingDone('written')
      }
      await grants.release(pending.grantId, owner)
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error
      return 'write_pending'
    }
    this.#forget() // a reconnect replaced the consent: the parked tokens are not its
    return this.#pendingDone('none')
  }

  async #pendingDone<Outcome>(outcome: Outcome): Promise<Outcome> {
    await this.ctx.storage.delete('pending')
    return outcome
  }

  /** Whether two ciphertexts hold the same token (they differ after a key rotation even when it did not change). */
  async #sameSecret(a: string, b: string): Promise<boolean> {
    if (a === b) return true
    const config = this.#config()
    try {
      return (await decryptToken(config, a)) === (await decryptToken(config, b))
    } catch (error) {
      if (error instanceof InvalidToken) return false
      throw error
    }
  }

  #proxyGate(): ProxyGate {
    this.#gate ??= new ProxyGate({
      directory: new AccountDirectory((grantId) => this.#grants().accounts(grantId), this.ctx.storage.kv),
      accessToken: (grantId) => this.accessToken(grantId),
      mintRdt: (account, accessToken, resource) => createRestrictedDataToken(this.#config().amazonBaseUrl, account.region, accessToken, resource),
      storage: this.ctx.storage.kv,
      now: Date.now,
    })
    return this.#gate
  }

  #config(): AmazonConfig {
    return parseAmazonConfig(this.env)
  }

  #grants(): GrantStore {
    this.store ??= supabaseGrantStore(serviceDb(parseConfig(this.env)))
    return this.store
  }
}

/** Errors do not keep their class across an RPC boundary: a database failure is answered as a result. */
async function databaseFailureAsResult(run: () => Promise<TokenResult>): Promise<TokenResult> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof DatabaseError) return { ok: false, failure: 'database_unavailable' }
    throw error
  }
}

async function timed<T>(timings: RefreshTimings, stage: keyof RefreshTimings, work: Promise<T>): Promise<T> {
  const started = Date.now()
  try {
    return await work
  } finally {
    timings[stage] += Date.now() - started
  }
}
