import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'
import { marketplaceById, type Region } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { json, type Reply } from './http-io.ts'
import { isoSeconds } from './clock.ts'
import { generateOrders, type Order } from './orders.ts'
import type { SpApiOperation } from './rate-limits.ts'
import type { RequestRecord } from './request-log.ts'
import {
  accessTokenProblems,
  invalidInput,
  quotaExceeded,
  resourceNotFound,
  spApiHeaders,
  unauthorized,
} from './sp-api-errors.ts'
import type { SpApiSeller } from './sp-api-sellers.ts'
import { userAgentProblem } from './sp-api-user-agent.ts'

export type SpApiRequest = {
  method: string
  region: Region
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
}

type Route = {
  method: string
  path: string
  operation: SpApiOperation
  /** The payload, or an error reply. */
  handle: (instance: AmazonInstance, seller: SpApiSeller, query: URLSearchParams) => { payload: unknown } | Reply
}

const routes: Route[] = [
  { method: 'GET', path: '/sellers/v1/marketplaceParticipations', operation: 'getMarketplaceParticipations', handle: marketplaceParticipations },
  { method: 'GET', path: '/orders/v0/orders', operation: 'getOrders', handle: orders },
]

export function spApiOperationOf(method: string, path: string): SpApiOperation | undefined {
  return routes.find((route) => route.method === method && route.path === path)?.operation
}

/**
 * The SP-API hosts (`sellingpartnerapi-{na,eu,fe}.amazon.com`): a User-Agent on every call,
 * `x-amz-access-token` auth, tokens only valid on their grant's regional host, per seller/app/operation
 * token buckets, and `x-amzn-RateLimit-Limit` + `x-amzn-RequestId` headers.
 */
export function handleSpApi(instance: AmazonInstance, request: SpApiRequest, record: RequestRecord): Reply {
  const refused = userAgentProblem(request.headers)
  if (refused) return refused
  const route = routes.find((candidate) => candidate.method === request.method && candidate.path === request.path)
  if (!route) return resourceNotFound()
  record.operation = route.operation

  const header = request.headers['x-amz-access-token']
  const token = Array.isArray(header) ? header[0] : header
  if (!token) return unauthorized(accessTokenProblems.missing)
  const check = instance.authorizations.checkAccessToken(token, instance.clock.now())
  if (check.status === 'expired') return unauthorized(accessTokenProblems.expired)
  if (check.status !== 'valid') return unauthorized(accessTokenProblems.invalid)
  const { grant } = check
  // A valid token, but for another region's host, or an Amazon Ads token: Amazon denies access.
  if (grant.subject.provider !== 'sp_api' || grant.region !== request.region) return unauthorized(accessTokenProblems.denied)
  const seller = instance.sellers.get(grant.subject.sellingPartnerId)
  if (!seller) return unauthorized(accessTokenProblems.invalid)

  const { rate } = instance.rateLimiter.limit(route.operation)
  if (!instance.rateLimiter.take(`${grant.clientId}|${seller.sellingPartnerId}`, route.operation)) return quotaExceeded(rate)
  const result = route.handle(instance, seller, request.query)
  if ('status' in result) return result
  return json(200, { payload: result.payload }, spApiHeaders({ 'x-amzn-RateLimit-Limit': String(rate) }))
}

/** A 429 an injected fault answers with, carrying the operation's limit like a real one. */
export function spApiThrottleReply(instance: AmazonInstance, method: string, path: string): Reply {
  const operation = spApiOperationOf(method, path)
  return quotaExceeded(operation ? instance.rateLimiter.limit(operation).rate : 1)
}

function marketplaceParticipations(_instance: AmazonInstance, seller: SpApiSeller): { payload: unknown } {
  return {
    payload: seller.marketplaceIds.map((id) => {
      const marketplace = marketplaceById(id)!
      return {
        marketplace: {
          id: marketplace.id,
          countryCode: marketplace.countryCode,
          name: marketplace.name,
          defaultCurrencyCode: marketplace.defaultCurrencyCode,
          defaultLanguageCode: marketplace.defaultLanguageCode,
          domainName: marketplace.domainName,
        },
        participation: { isParticipating: true, hasSuspendedListings: seller.suspendedMarketplaceIds.includes(id) },
        storeName: seller.storeName,
      }
    }),
  }
}

const isoDate = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value))
const nextTokenSchema = z.object({ offset: z.int().min(0) })

function orders(instance: AmazonInstance, seller: SpApiSeller, query: URLSearchParams): { payload: unknown } | Reply {
  const marketplaceIds = (query.get('MarketplaceIds') ?? '').split(',').filter(Boolean)
  if (marketplaceIds.length === 0) return invalidInput('MarketplaceIds is required.')
  if (marketplaceIds.length > 50) return invalidInput('MarketplaceIds accepts at most 50 marketplaces.')
  const foreign = marketplaceIds.find((id) => !seller.marketplaceIds.includes(id))
  if (foreign) return invalidInput(`Marketplace ${foreign} is not one the seller participates in.`)

  const createdAfter = query.get('CreatedAfter')
  const lastUpdatedAfter = query.get('LastUpdatedAfter')
  if (createdAfter === null && lastUpdatedAfter === null) return invalidInput('Either CreatedAfter or LastUpdatedAfter must be specified.')
  if (createdAfter !== null && lastUpdatedAfter !== null) return invalidInput('CreatedAfter and LastUpdatedAfter cannot both be specified.')
  const after = isoDate.safeParse(createdAfter ?? lastUpdatedAfter)
  if (!after.success) return invalidInput(`${createdAfter !== null ? 'CreatedAfter' : 'LastUpdatedAfter'} must be an ISO 8601 date-time.`)

  const pageSize = query.has('MaxResultsPerPage') ? Number(query.get('MaxResultsPerPage')) : 100
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return invalidInput('MaxResultsPerPage must be between 1 and 100.')
  let offset = 0
  const nextToken = query.get('NextToken')
  if (nextToken !== null) {
    const decoded = safeJson(Buffer.from(nextToken, 'base64url').toString('utf8'))
    const parsed = nextTokenSchema.safeParse(decoded)
    if (!parsed.success) return invalidInput('Invalid NextToken.')
    offset = parsed.data.offset
  }

  const field: keyof Order = createdAfter !== null ? 'PurchaseDate' : 'LastUpdateDate'
  const all = marketplaceIds
    .flatMap((id) => generateOrders(seller, id, instance.ordersAnchor))
    .filter((order) => Date.parse(order[field]) >= after.data)
    .sort((a, b) => a.PurchaseDate.localeCompare(b.PurchaseDate))
  const page = all.slice(offset, offset + pageSize)
  const more = offset + pageSize < all.length
  return {
    payload: {
      Orders: page,
      ...(more ? { NextToken: Buffer.from(JSON.stringify({ offset: offset + pageSize })).toString('base64url') } : {}),
      ...(createdAfter !== null ? { CreatedBefore: isoSeconds(instance.clock.now() - 2 * 60_000) } : { LastUpdatedBefore: isoSeconds(instance.clock.now() - 2 * 60_000) }),
    },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
