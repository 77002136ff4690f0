import type { IncomingMessage, ServerResponse } from 'node:http'
import { adsOperationOf, adsSubjectOf, handleAds } from './ads-api.ts'
import { adsFault, adsThrottled } from './ads-errors.ts'
import { handleAdsConsent } from './ads-consent.ts'
import { type AmazonHost, classifyHost } from './amazon-hosts.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { isoSeconds } from './iso-seconds.ts'
import type { ConsentRequest } from './consent-request.ts'
import { errorPage } from './consent-request.ts'
import { handleControl } from './control-api.ts'
import type { Fault, ServiceKind } from './faults.ts'
import type { Hangs } from './hangs.ts'
import { BodyTooLarge, json, readBody, type Reply, writeReply } from './http-io.ts'
import { lwaError, lwaFault, lwaThrottled } from './lwa-errors.ts'
import { grantTypeOf, handleTokenRequest, refreshSubjectOf } from './lwa-token-endpoint.ts'
import { handleSpApi, spApiOperationOf, spApiSubjectOf } from './sp-api.ts'
import { quotaExceeded, spApiFault } from './sp-api-errors.ts'
import { handleSpApiConsent } from './sp-api-consent.ts'

export type HttpApiOptions = {
  instance: AmazonInstance
  hangs: Hangs
  log?: (line: string) => void
}

/** A request addressed to one Amazon host: `/{host}{path}` on the stand-in. */
type Addressed = {
  method: string
  host: string
  path: string
  query: URLSearchParams
  target: AmazonHost
  request: IncomingMessage
  body: Buffer
}

const serviceKind = (target: AmazonHost): ServiceKind =>
  target.service === 'sp_api_consent' || target.service === 'ads_consent' ? 'consent' : target.service

/**
 * The stand-in's HTTP face. One port serves every Amazon host: the first path segment is the real
 * host name (`/sellingpartnerapi-eu.amazon.com/sellers/v1/...`), so region routing stays visible.
 * `/__control/*` holds the test controls. Every Amazon request is logged (never its secrets), may be
 * hit by an injected fault before it reaches its service, and waits out any standing latency.
 */
export function createRequestHandler(options: HttpApiOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(options, request)
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) return json(413, { message: error.message })
        options.log?.(`amazon stand-in: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        return json(500, { message: 'The Amazon stand-in failed on this request.' })
      })
      .then((reply) => writeReply(response, reply))
      .catch(() => response.destroy())
  }
}

async function handle({ instance, hangs, log }: HttpApiOptions, request: IncomingMessage): Promise<Reply> {
  const method = request.method ?? 'GET'
  const url = new URL(request.url ?? '/', 'http://stand-in')
  const [, first = '', rest = ''] = /^\/([^/]*)(\/.*)?$/.exec(url.pathname) ?? []
  const host = decodeURIComponent(first).toLowerCase()
  const path = rest === '' ? '/' : rest

  if (host === '__control') {
    return handleControl(instance, { method, path, query: url.searchParams, body: await readBody(request) })
  }
  const target = classifyHost(host)
  if (!target) {
    return json(404, {
      message: `Not an Amazon host this stand-in serves: ${JSON.stringify(host)}. Address requests as /{amazon host}/{path}.`,
    })
  }

  const body = await readBody(request)
  const kind = serviceKind(target)
  const record = instance.requests.start({
    at: isoSeconds(instance.clock.now()),
    method,
    host,
    path,
    kind,
    ...withUserAgent(request.headers['user-agent']),
    ...(kind === 'lwa' ? withGrantType(grantTypeOf({ headers: request.headers, body })) : {}),
    ...(kind === 'lwa' ? withSubject(refreshSubjectOf(instance, body)) : {}),
    ...(kind === 'sp_api' ? { ...withOperation(spApiOperationOf(method, path)), ...withSubject(spApiSubjectOf(instance, request.headers)) } : {}),
    ...(kind === 'ads' ? { ...withOperation(adsOperationOf(method, path)), ...withSubject(adsSubjectOf(request.headers)) } : {}),
  })
  const addressed: Addressed = { method, host, path, query: url.searchParams, target, request, body }

  const fault = instance.faults.take(kind, host, path)
  let reply: Reply | undefined
  if (fault) {
    record.fault = fault.kind
    if (fault.kind === 'hang') await hangs.hold(fault.ms)
    else reply = faultReply(target, fault)
  }
  const latency = instance.latency.of(kind)
  if (latency > 0) await hangs.hold(latency)
  reply ??= route(instance, addressed)
  record.status = reply.status
  log?.(`${method} ${host}${path} → ${reply.status}${fault ? ` (injected ${fault.kind})` : ''}`)
  return reply
}

const withGrantType = (grantType: string | undefined) => (grantType ? { grantType } : {})
const withOperation = (operation: string | undefined) => (operation ? { operation } : {})
const withSubject = (subject: string | undefined) => (subject ? { subject } : {})
const withUserAgent = (userAgent: string | undefined) => (userAgent ? { userAgent } : {})

function route(instance: AmazonInstance, addressed: Addressed): Reply {
  const { method, host, path, query, target, request, body } = addressed
  switch (target.service) {
    case 'sp_api_consent':
    case 'ads_consent': {
      const consent: ConsentRequest = { method, host, region: target.region, path, query, headers: request.headers, body }
      return target.service === 'sp_api_consent' ? handleSpApiConsent(instance, consent) : handleAdsConsent(instance, consent)
    }
    case 'lwa':
      if (path !== '/auth/o2/token') return json(404, { error: 'not_found', error_description: 'Unknown endpoint' })
      return handleTokenRequest(instance, { method, host, headers: request.headers, body })
    case 'sp_api':
      return handleSpApi(instance, { method, region: target.region, path, query, headers: request.headers, body })
    case 'ads':
      return handleAds(instance, { method, host, region: target.region, path, query, headers: request.headers, body })
  }
}

/** An injected 5xx or 429, in the shape the service itself uses. */
function faultReply(target: AmazonHost, fault: Exclude<Fault, { kind: 'hang' }>): Reply {
  const throttle = fault.kind === 'throttle'
  const status = fault.kind === 'error' ? fault.status : 500
  switch (target.service) {
    case 'lwa':
      if (fault.kind === 'lwa_error') return lwaError(fault.error, 'Injected by the stand-in')
      return throttle ? lwaThrottled() : lwaFault(status)
    case 'sp_api':
      return throttle ? quotaExceeded() : spApiFault(status)
    case 'ads':
      return throttle ? adsThrottled() : adsFault(status)
    case 'sp_api_consent':
    case 'ads_consent': {
      const brand = target.service === 'sp_api_consent' ? 'Seller Central' : 'Login with Amazon'
      return throttle
        ? errorPage(brand, 'Too many requests. Please try again later.', undefined, 429)
        : errorPage(brand, 'Something went wrong on our end. Please try again later.', undefined, status)
    }
  }
}
