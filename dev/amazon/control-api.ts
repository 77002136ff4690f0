import { z } from 'zod'
import { adsAccountSeedSchema } from './ads-accounts.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { faultSpecSchema } from './faults.ts'
import { json, type Reply } from './http-io.ts'
import { latencySchema } from './latency.ts'
import { rateLimitSchema, spApiOperations } from './rate-limits.ts'
import type { RequestFilter } from './request-log.ts'
import { spApiSellerSeedSchema } from './sp-api-sellers.ts'
import { countThrottles } from './throttle-counts.ts'

export type ControlRequest = { method: string; path: string; query: URLSearchParams; body: Buffer }

class ControlError extends Error {
  readonly status: number
  readonly issues: unknown
  constructor(status: number, message: string, issues?: unknown) {
    super(message)
    this.status = status
    this.issues = issues
  }
}

const revokeSchema = z.union([z.object({ sellingPartnerId: z.string().min(1) }), z.object({ adsAccountId: z.string().min(1) })])
const rotateSchema = z.object({ count: z.int().min(1).max(1000).optional(), keepOld: z.boolean().optional() })
const rateLimitRequestSchema = rateLimitSchema.extend({ operation: z.enum(spApiOperations) })
const clockSchema = z.object({ advanceMs: z.int().min(0) })

type Handler = (instance: AmazonInstance, request: ControlRequest) => unknown

const routes: Record<string, Handler> = {
  'GET /health': () => ({ ok: true }),
  /** Who can approve consent: the seeded and queued sellers and advertisers (ids, marketplaces, profiles). */
  'GET /accounts': (instance) => ({ sellers: instance.sellers.all(), adsAccounts: instance.adsAccounts.all() }),
  'GET /requests': (instance, { query }) => {
    const requests = instance.requests.list(requestFilter(query))
    return { count: requests.length, requests }
  },
  'DELETE /requests': (instance) => (instance.requests.clear(), { cleared: true }),
  /** 429s per subject and operation, from the request log (so DELETE /requests clears them too). */
  'GET /throttles': (instance, { query }) => {
    const throttles = countThrottles(instance.requests.list(), query.get('subject') ?? undefined)
    return { total: throttles.reduce((sum, entry) => sum + entry.count, 0), throttles }
  },
  'GET /faults': (instance) => ({ faults: instance.faults.pending() }),
  'POST /faults': (instance, request) => ({ fault: instance.faults.add(parse(faultSpecSchema, request)) }),
  'DELETE /faults': (instance) => (instance.faults.clear(), { cleared: true }),
  'POST /next-seller': (instance, request) => ({ seller: instance.nextSeller(parse(spApiSellerSeedSchema, request)) }),
  'POST /next-ads-account': (instance, request) => ({ account: instance.nextAdsAccount(parse(adsAccountSeedSchema, request)) }),
  'POST /revoke': (instance, request) => ({ revoked: instance.revoke(parse(revokeSchema, request)) }),
  'POST /expire-access-tokens': (instance) => ({ expired: instance.expireAccessTokens() }),
  'POST /rotate-refresh-tokens': (instance, request) => (instance.rotateRefreshTokens(parse(rotateSchema, request)), { ok: true }),
  'POST /rate-limits': (instance, request) => {
    const { operation, rate, burst } = parse(rateLimitRequestSchema, request)
    instance.rateLimiter.set(operation, { rate, burst })
    return { operation, rate, burst }
  },
  'GET /rate-limits': (instance) => ({
    spApi: Object.fromEntries(spApiOperations.map((operation) => [operation, instance.rateLimiter.limit(operation)])),
    ads: instance.adsRateLimiter.limit(),
  }),
  'POST /ads-rate-limits': (instance, request) => {
    const limit = parse(rateLimitSchema, request)
    instance.adsRateLimiter.set(limit)
    return limit
  },
  'GET /latency': (instance) => ({ latency: instance.latency.all() }),
  'POST /latency': (instance, request) => (instance.latency.set(parse(latencySchema, request)), { latency: instance.latency.all() }),
  'POST /clock': (instance, request) => {
    instance.clock.advance(parse(clockSchema, request).advanceMs)
    return { now: new Date(instance.clock.now()).toISOString() }
  },
  'POST /reset': (instance) => (instance.reset(), { ok: true }),
}

/**
 * `/__control/*`: the test controls over HTTP (JSON in, JSON out), for callers that cannot hold the
 * stand-in object, such as Worker tests inside workerd. Same operations as the returned object.
 */
export function handleControl(instance: AmazonInstance, request: ControlRequest): Reply {
  const handler = routes[`${request.method} ${request.path}`]
  if (!handler) return json(404, { error: 'not_found', message: `No control endpoint ${request.method} /__control${request.path}` })
  try {
    return json(200, handler(instance, request), { 'cache-control': 'no-store' })
  } catch (error) {
    if (error instanceof ControlError) return json(error.status, { error: 'invalid_request', message: error.message, issues: error.issues })
    return json(400, { error: 'invalid_request', message: error instanceof Error ? error.message : String(error) })
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, request: ControlRequest): z.output<Schema> {
  let body: unknown = {}
  const text = request.body.toString('utf8').trim()
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown
    } catch {
      throw new ControlError(400, 'The body is not valid JSON.')
    }
  }
  const result = schema.safeParse(body)
  if (!result.success) throw new ControlError(400, 'The body does not match the expected shape.', result.error.issues)
  return result.data
}

function requestFilter(query: URLSearchParams): RequestFilter {
  const filter: RequestFilter = {}
  for (const key of ['method', 'host', 'path', 'kind', 'grantType', 'operation', 'fault', 'subject'] as const) {
    const value = query.get(key)
    if (value !== null) (filter as Record<string, string>)[key] = value
  }
  const status = query.get('status')
  if (status !== null) filter.status = Number(status)
  return filter
}
