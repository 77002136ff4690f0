import type { IncomingHttpHeaders } from 'node:http'
import type { Region } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { catalogItemsApi } from './catalog-items-api.ts'
import type { Reply } from './http-io.ts'
import { getReports } from './reports-api.ts'
import { authorizedResource, type DataElement, isRestrictedDataToken, RESTRICTED_OPERATIONS } from './restricted-data-tokens.ts'
import { getMarketplaceParticipations } from './sellers-api.ts'
import type { SpApiCall, SpApiHandler } from './sp-api-call.ts'
import { accessTokenProblems, quotaExceeded, resourceNotFound, unauthorized } from './sp-api-errors.ts'
import { matchSpApiOperation, type SpApiOperation } from './sp-api-operations.ts'
import { ordersApi } from './sp-api-orders.ts'
import { userAgentProblem } from './sp-api-user-agent.ts'
import { createRestrictedDataToken } from './tokens-api.ts'

export type SpApiRequest = {
  method: string
  region: Region
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
}

const handlers: Record<SpApiOperation, SpApiHandler> = {
  getMarketplaceParticipations,
  ...ordersApi,
  createRestrictedDataToken,
  ...catalogItemsApi,
  getReports,
}

/** The x-amzn-RateLimit-Limit header goes with these answers only (not 401/403/429/5xx), per the API models. */
const carriesRateLimit = (status: number) => (status >= 200 && status < 300) || status === 400 || status === 404

export function spApiOperationOf(method: string, path: string): SpApiOperation | undefined {
  return matchSpApiOperation(method, path)?.operation.operationId
}

/** Whose data a request's token opens (selling partner id), for the request log: an id, never the token. */
export function spApiSubjectOf(instance: AmazonInstance, headers: IncomingHttpHeaders): string | undefined {
  const token = accessTokenOf(headers)
  if (!token) return undefined
  const now = instance.clock.now()
  const subject = isRestrictedDataToken(token)
    ? instance.restrictedDataTokens.check(token, now).rdt?.grant.subject
    : instance.authorizations.checkAccessToken(token, now).grant?.subject
  return subject?.provider === 'sp_api' ? subject.sellingPartnerId : undefined
}

/**
 * The SP-API hosts (`sellingpartnerapi-{na,eu,fe}.amazon.com`): a User-Agent on every call,
 * `x-amz-access-token` auth with an LWA access token or a Restricted Data Token, tokens valid only on
 * their grant's regional host, per application/seller/operation token buckets, and
 * `x-amzn-RateLimit-Limit` + `x-amzn-RequestId` headers.
 */
export function handleSpApi(instance: AmazonInstance, request: SpApiRequest): Reply {
  const refused = userAgentProblem(request.headers)
  if (refused) return refused
  const match = matchSpApiOperation(request.method, request.path)
  if (!match) return resourceNotFound()
  const operation = match.operation.operationId

  const token = accessTokenOf(request.headers)
  if (!token) return unauthorized(accessTokenProblems.missing)
  const access = authorize(instance, request, operation, token)
  if ('status' in access) return access
  const { seller } = access

  const { rate } = instance.rateLimiter.limit(operation)
  if (!instance.rateLimiter.take(`${access.clientId}|${seller.sellingPartnerId}`, operation).allowed) return quotaExceeded()
  const call: SpApiCall = {
    instance,
    seller,
    grant: access.grant,
    region: request.region,
    params: match.params,
    query: request.query,
    body: request.body,
    dataElements: access.dataElements,
  }
  const reply = handlers[operation](call)
  return carriesRateLimit(reply.status) ? { ...reply, headers: { ...reply.headers, 'x-amzn-RateLimit-Limit': String(rate) } } : reply
}

type Access = Pick<SpApiCall, 'seller' | 'grant' | 'dataElements'> & { clientId: string }

/**
 * Who the token speaks for, and what it may see. An RDT works only on its region's host, for the
 * resources it lists; an LWA access token works on its region's host for every operation but the
 * RDT-only ones ("Tokens API Use Case Guide"). Every refusal is SP-API's 403 Unauthorized.
 */
function authorize(instance: AmazonInstance, request: SpApiRequest, operation: SpApiOperation, token: string): Access | Reply {
  const now = instance.clock.now()
  if (isRestrictedDataToken(token)) {
    const check = instance.restrictedDataTokens.check(token, now)
    if (check.status === 'expired') return unauthorized(accessTokenProblems.expired)
    if (check.status !== 'valid') return unauthorized(accessTokenProblems.invalid)
    const { rdt } = check
    const resource = rdt.region === request.region ? authorizedResource(rdt, request.method, request.path) : undefined
    if (!resource) return unauthorized(accessTokenProblems.denied)
    const seller = sellerOf(instance, rdt.grant.subject)
    if (!seller) return unauthorized(accessTokenProblems.invalid)
    return { seller, grant: rdt.grant, clientId: rdt.clientId, dataElements: new Set<DataElement>(resource.dataElements) }
  }

  const check = instance.authorizations.checkAccessToken(token, now)
  if (check.status === 'expired') return unauthorized(accessTokenProblems.expired)
  if (check.status !== 'valid') return unauthorized(accessTokenProblems.invalid)
  const { grant } = check
  // A valid token, but for another region's host, or an Amazon Ads token: Amazon denies access.
  if (grant.subject.provider !== 'sp_api' || grant.region !== request.region) return unauthorized(accessTokenProblems.denied)
  if (RESTRICTED_OPERATIONS[operation]?.rdtOnly) return unauthorized(accessTokenProblems.denied)
  const seller = sellerOf(instance, grant.subject)
  if (!seller) return unauthorized(accessTokenProblems.invalid)
  return { seller, grant, clientId: grant.clientId, dataElements: new Set() }
}

function sellerOf(instance: AmazonInstance, subject: SpApiCall['grant']['subject']) {
  return subject.provider === 'sp_api' ? instance.sellers.get(subject.sellingPartnerId) : undefined
}

function accessTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-amz-access-token']
  return Array.isArray(header) ? header[0] : header
}
