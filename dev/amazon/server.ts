import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { amazonUrl } from '../../worker/src/amazon/amazon-url.ts'
import type { AdsAccount, AdsAccountSeed } from './ads-accounts.ts'
import { AmazonInstance, type AmazonInstanceOptions, type RevokeTarget } from './amazon-instance.ts'
import type { Fault, FaultSpec, FaultTarget } from './faults.ts'
import { Hangs } from './hangs.ts'
import { createRequestHandler } from './http-api.ts'
import type { LatencySetting } from './latency.ts'
import type { RateLimit, SpApiOperation } from './rate-limits.ts'
import type { RequestFilter, RequestRecord } from './request-log.ts'
import type { SpApiSeller, SpApiSellerSeed } from './sp-api-sellers.ts'
import { countThrottles, type ThrottleCount } from './throttle-counts.ts'

export type { AdsAccount, AdsAccountSeed, AdsProfile } from './ads-accounts.ts'
export { DEFAULT_ADS_ACCOUNTS } from './ads-accounts.ts'
export { DEFAULT_ADS_RATE_LIMIT } from './ads-rate-limits.ts'
export type { RevokeTarget } from './amazon-instance.ts'
export type { Fault, FaultSpec, FaultTarget } from './faults.ts'
export type { LatencySetting } from './latency.ts'
export type { LwaClientSeed } from './lwa-clients.ts'
export { DEFAULT_RATE_LIMITS, type RateLimit, type SpApiOperation } from './rate-limits.ts'
export type { RequestFilter, RequestRecord } from './request-log.ts'
export { DEFAULT_SP_API_SELLERS, type SpApiSeller, type SpApiSellerSeed } from './sp-api-sellers.ts'
export type { ThrottleCount } from './throttle-counts.ts'
export { amazonUrl } from '../../worker/src/amazon/amazon-url.ts'

/** The instance's options (clients, seed sellers and advertisers, clock, lifetimes, SP-API and Ads plans) plus the server's. */
export type AmazonStandInOptions = AmazonInstanceOptions & {
  /** 0 or omitted: any free port. Always bound to 127.0.0.1. */
  port?: number
  /** Receives one line per request (never a token); silent by default. */
  log?: (line: string) => void
}

type FaultOptions = { count?: number }

export type AmazonStandIn = {
  /** Base URL, e.g. `http://127.0.0.1:41234`; an Amazon URL maps to `${url}/{host}{path}`. */
  url: string
  /** `${url}/{host}{path}`: the stand-in's address of an Amazon endpoint. */
  amazonUrl(host: string, path: string): string

  /** The seller who approves the next SP-API consent (registered now, so their API data exists). */
  nextSeller(seed: SpApiSellerSeed): SpApiSeller
  /** The advertiser who approves the next Amazon Ads consent. */
  nextAdsAccount(seed: AdsAccountSeed): AdsAccount
  /** A refresh token as if consent had been given and the code exchanged (for refresh-job tests). */
  issueRefreshToken(input: { clientId: string } & RevokeTarget): string

  /** Queue a fault for the next requests to a target (`lwa`, `sp_api`, `ads`, `consent`, or a path). */
  injectFault(spec: FaultSpec): Fault
  /** The next `count` (1) requests answer 500 or 503, in the service's error shape. */
  failNext(target: FaultTarget, options?: FaultOptions & { status?: 500 | 503 }): Fault
  /** The next `count` (1) requests are held `ms`, then served normally; without `ms` until stop(). */
  hangNext(target: FaultTarget, options?: FaultOptions & { ms?: number }): Fault
  /** The next `count` (1) requests answer 429, in the service's shape. */
  throttleNext(target: FaultTarget, options?: FaultOptions): Fault
  pendingFaults(): Array<Fault & { remaining: number }>
  clearFaults(): void

  /** The seller withdraws consent: refresh → invalid_grant, its access tokens are refused. Returns grants revoked. */
  revokeGrant(target: RevokeTarget): number
  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): number
  /** The next `count` (1) refresh grants return a new refresh token; the old stops working unless keepOld. */
  rotateRefreshTokens(options?: { count?: number; keepOld?: boolean }): void
  /** Changes a served SP-API operation's usage plan; its buckets start over full. */
  setRateLimit(operation: SpApiOperation, limit: RateLimit): void
  /** Changes the Amazon Ads plan (one bucket per profile); every bucket starts over full. */
  setAdsRateLimit(limit: RateLimit): void
  /** A standing delay on every answer of a service (`sp_api` unless `target` says otherwise); `ms: 0` removes it. */
  setLatency(setting: LatencySetting): void
  /** Moves the stand-in's clock forward (codes, access tokens and rate buckets follow it). */
  advanceClock(ms: number): void

  /** Requests received so far (oldest first), optionally filtered; never tokens or query strings. */
  requests(filter?: RequestFilter): RequestRecord[]
  countRequests(filter?: RequestFilter): number
  /** 429s answered so far per subject (selling partner / Ads profile / LWA grant owner) and operation. */
  throttles(filter?: { subject?: string }): ThrottleCount[]
  clearRequests(): void
  /** Back to the start state: seeds only, no grants, RDTs, faults, latency, requests, clock offset or overrides. */
  reset(): void
  /** Closes the port and every socket, hanging ones included. */
  stop(): Promise<void>
}

/** Starts the Amazon stand-in on 127.0.0.1. Resolves once it accepts connections. */
export async function startAmazonStandIn(options: AmazonStandInOptions): Promise<AmazonStandIn> {
  const instance = new AmazonInstance(options)
  const hangs = new Hangs()
  const server = createServer(createRequestHandler({ instance, hangs, log: options.log }))
  // Idle connections are for the client (workerd) to close: closing first races its next request (see dev/gateway.ts).
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  let stopped: Promise<void> | undefined
  return {
    url,
    amazonUrl: (host, path) => amazonUrl(url, host, path),
    nextSeller: (seed) => instance.nextSeller(seed),
    nextAdsAccount: (seed) => instance.nextAdsAccount(seed),
    issueRefreshToken: (input) => instance.issueRefreshToken(input),
    injectFault: (spec) => instance.faults.add(spec),
    failNext: (target, { count, status } = {}) => instance.faults.add({ kind: 'error', target, count, status }),
    hangNext: (target, { count, ms } = {}) => instance.faults.add({ kind: 'hang', target, count, ms }),
    throttleNext: (target, { count } = {}) => instance.faults.add({ kind: 'throttle', target, count }),
    pendingFaults: () => instance.faults.pending(),
    clearFaults: () => instance.faults.clear(),
    revokeGrant: (target) => instance.revoke(target),
    expireAccessTokens: () => instance.expireAccessTokens(),
    rotateRefreshTokens: (rotation) => instance.rotateRefreshTokens(rotation),
    setRateLimit: (operation, limit) => instance.rateLimiter.set(operation, limit),
    setAdsRateLimit: (limit) => instance.adsRateLimiter.set(limit),
    setLatency: (setting) => instance.latency.set(setting),
    advanceClock: (ms) => instance.clock.advance(ms),
    requests: (filter) => instance.requests.list(filter),
    countRequests: (filter) => instance.requests.list(filter).length,
    throttles: (filter = {}) => countThrottles(instance.requests.list(), filter.subject),
    clearRequests: () => instance.requests.clear(),
    reset: () => instance.reset(),
    stop() {
      stopped ??= (async () => {
        hangs.stop()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections() // hanging and keep-alive sockets would otherwise hold close() open
        await closed
      })()
      return stopped
    },
  }
}
