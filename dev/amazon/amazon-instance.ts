import type { Region } from '../../worker/src/amazon/regions.ts'
import { type AdsAccount, type AdsAccountSeed, DEFAULT_ADS_ACCOUNTS, adsAccountFromSeed } from './ads-accounts.ts'
import { AdsRateLimiter } from './ads-rate-limits.ts'
import { type GrantSubject, Authorizations } from './authorizations.ts'
import { Clock } from '../clock.ts'
import { FaultInjector } from './faults.ts'
import { Latency } from './latency.ts'
import { type LwaClientSeed, LwaClients } from './lwa-clients.ts'
import { type RateLimit, RateLimiter, type SpApiOperation } from './rate-limits.ts'
import { RequestLog } from './request-log.ts'
import { RestrictedDataTokens } from './restricted-data-tokens.ts'
import { Roster } from './roster.ts'
import { DEFAULT_SP_API_SELLERS, type SpApiSeller, type SpApiSellerSeed, spApiSellerFromSeed } from './sp-api-sellers.ts'

export type AmazonInstanceOptions = {
  clients: LwaClientSeed[]
  sellers?: SpApiSellerSeed[]
  adsAccounts?: AdsAccountSeed[]
  now?: () => number
  accessTokenLifetimeSeconds?: number
  authorizationCodeLifetimeSeconds?: number
  rateLimits?: Partial<Record<SpApiOperation, RateLimit>>
  /** The Amazon Ads plan every profile's bucket follows (default: ads-rate-limits.ts). */
  adsRateLimit?: RateLimit
}

export type RevokeTarget = { sellingPartnerId: string } | { adsAccountId: string }

/** Seeds first; a built-in default fills every region the seeds leave empty. */
function withDefaults<Item extends { region: Region }>(seeded: Item[], defaults: Item[]): Item[] {
  return [...seeded, ...defaults.filter((item) => !seeded.some((seed) => seed.region === item.region))]
}

/**
 * Everything the stand-in knows and does, independent of HTTP: registered apps, sellers and
 * advertisers, grants and tokens (Restricted Data Tokens too), rate-limit buckets, pending faults,
 * standing latency and the request log. The HTTP routes and the programmatic controls both act on
 * this, so they cannot drift apart.
 */
export class AmazonInstance {
  readonly clock: Clock
  readonly clients: LwaClients
  readonly sellers: Roster<SpApiSeller>
  readonly adsAccounts: Roster<AdsAccount>
  readonly authorizations = new Authorizations()
  readonly restrictedDataTokens = new RestrictedDataTokens()
  readonly faults = new FaultInjector()
  readonly latency = new Latency()
  readonly rateLimiter: RateLimiter
  readonly adsRateLimiter: AdsRateLimiter
  readonly requests = new RequestLog()
  readonly accessTokenLifetimeSeconds: number
  readonly authorizationCodeLifetimeMs: number
  #rotations = { remaining: 0, keepOld: false }
  /** Generated orders are dated relative to this instant (the start, or the last reset). */
  ordersAnchor: number

  constructor(options: AmazonInstanceOptions) {
    this.clock = new Clock(options.now)
    this.clients = new LwaClients(options.clients)
    this.sellers = new Roster(
      withDefaults((options.sellers ?? []).map(spApiSellerFromSeed), DEFAULT_SP_API_SELLERS.map(spApiSellerFromSeed)),
      (seller) => seller.sellingPartnerId,
    )
    this.adsAccounts = new Roster(
      withDefaults((options.adsAccounts ?? []).map(adsAccountFromSeed), DEFAULT_ADS_ACCOUNTS.map(adsAccountFromSeed)),
      (account) => account.accountId,
    )
    this.rateLimiter = new RateLimiter(this.clock, options.rateLimits)
    this.adsRateLimiter = new AdsRateLimiter(this.clock, options.adsRateLimit)
    this.accessTokenLifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3600
    // Both SP-API's spapi_oauth_code and LWA's code are valid for five minutes.
    this.authorizationCodeLifetimeMs = (options.authorizationCodeLifetimeSeconds ?? 300) * 1000
    this.ordersAnchor = this.clock.now()
  }

  /** The seller who approves the next SP-API consent (any region). */
  nextSeller(seed: SpApiSellerSeed): SpApiSeller {
    return structuredClone(this.sellers.enqueue(spApiSellerFromSeed(seed)))
  }

  /** The advertiser who approves the next Amazon Ads consent (any region). */
  nextAdsAccount(seed: AdsAccountSeed): AdsAccount {
    return structuredClone(this.adsAccounts.enqueue(adsAccountFromSeed(seed)))
  }

  /** The seller withdraws consent: refresh tokens get `invalid_grant`, access tokens are refused. */
  revoke(target: RevokeTarget): number {
    const subject: GrantSubject =
      'sellingPartnerId' in target
        ? { provider: 'sp_api', sellingPartnerId: target.sellingPartnerId }
        : { provider: 'ads', adsAccountId: target.adsAccountId }
    return this.authorizations.revoke(subject)
  }

  /** Every access token and Restricted Data Token issued so far expires now. Returns how many there are. */
  expireAccessTokens(): number {
    const now = this.clock.now()
    return this.authorizations.expireAccessTokens(now) + this.restrictedDataTokens.expireAll(now)
  }

  /** The next `count` refresh grants also return a new refresh token (the old one dies unless keepOld). */
  rotateRefreshTokens({ count = 1, keepOld = false }: { count?: number; keepOld?: boolean } = {}): void {
    this.#rotations = { remaining: count, keepOld }
  }

  /** Called by a successful refresh grant: whether to rotate this time. */
  takeRotation(): { keepOld: boolean } | undefined {
    if (this.#rotations.remaining <= 0) return undefined
    this.#rotations.remaining--
    return { keepOld: this.#rotations.keepOld }
  }

  /**
   * A refresh token as if the seller had just consented and the code been exchanged: for tests of
   * code that starts from a stored refresh token (the token-refresh job). Never exposed over HTTP.
   */
  issueRefreshToken(input: { clientId: string } & RevokeTarget): string {
    const client = this.clients.byClientId(input.clientId)
    if (!client) throw new Error(`Unknown LWA client ${input.clientId}`)
    if ('sellingPartnerId' in input) {
      const seller = this.sellers.get(input.sellingPartnerId)
      if (!seller) throw new Error(`Unknown seller ${input.sellingPartnerId}`)
      const subject: GrantSubject = { provider: 'sp_api', sellingPartnerId: seller.sellingPartnerId }
      return this.authorizations.createGrant({ clientId: client.clientId, region: seller.region, subject }).refreshToken
    }
    const account = this.adsAccounts.get(input.adsAccountId)
    if (!account) throw new Error(`Unknown Ads account ${input.adsAccountId}`)
    const subject: GrantSubject = { provider: 'ads', adsAccountId: account.accountId }
    return this.authorizations.createGrant({ clientId: client.clientId, region: account.region, subject }).refreshToken
  }

  /** Back to the state right after start: seeds only, no grants, faults, latency, requests or clock offset. */
  reset(): void {
    this.clock.reset()
    this.sellers.reset()
    this.adsAccounts.reset()
    this.authorizations.clear()
    this.restrictedDataTokens.clear()
    this.faults.clear()
    this.latency.clear()
    this.rateLimiter.reset()
    this.adsRateLimiter.reset()
    this.requests.clear()
    this.#rotations = { remaining: 0, keepOld: false }
    this.ordersAnchor = this.clock.now()
  }
}
