import { Hono } from 'hono'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { SessionEnv } from '../app-env.ts'
import { AmazonUnavailableError, fetchAmazon } from '../amazon/amazon-fetch.ts'
import { userDb } from '../db/supabase.ts'
import { parseAmazonConfig, parseConfig } from '../env.ts'
import { errorResponse } from '../errors.ts'
import { missingScope } from '../middleware/require-caller.ts'
import { cachedAnswer, cacheKey, storeAnswer } from '../proxy/edge-cache.ts'
import { forgetLocation, locateAccount, type AccountLocation } from '../proxy/locate-account.ts'
import type { NotAdmitted, OperationRef } from '../proxy/proxy-gate.ts'
import { proxyOptions, type ProxyOptions } from '../proxy/proxy-options.ts'
import { rateLimitHeaders } from '../proxy/rate-limit-headers.ts'
import { resolveOperation, type ResolvedOperation } from '../proxy/resolve-operation.ts'
import type { BucketState } from '../proxy/token-bucket.ts'
import { refusedAccessToken, retryAfterMs, returnedHeaders, statedRate, upstreamRequest } from '../proxy/upstream.ts'
import type { CallOutcome } from '../proxy/usage.ts'
import { refreshFailureResponses } from '../tokens/refresh-errors.ts'
import { accountSession } from '../tokens/session-stub.ts'
import { isUuid } from '../validation/uuid.ts'

/** Request bodies Amazon gets through the proxy: counted while they stream in, refused past this. */
export const MAX_PROXY_BODY_BYTES = 1024 * 1024

/** Attempts per call when Amazon answers 429 (each waits for the bucket and a jittered backoff, inside the budget). */
const MAX_ATTEMPTS = 4
const BACKOFF_BASE_MS = 250

const PROXY_PREFIX = /^\/api\/amazon\/[^/]+/

type Call = {
  accountId: string
  location: AccountLocation
  resolved: ResolvedOperation
  options: ProxyOptions
  method: string
  pathAndQuery: string
}

const sleep = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve())

/**
 * `/api/amazon/{accountId}/{Amazon path}`: the call goes to the account's regional SP-API or Ads host
 * with the grant's token, if the caller owns the account and the path is a known operation, shaped by
 * the operation's token bucket so Amazon does not have to throttle. See the README's "Amazon proxy".
 */
export const amazonProxyRoutes = new Hono<SessionEnv>().on(
  ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  '/:accountId/*',
  bodyLimit({
    maxSize: MAX_PROXY_BODY_BYTES,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `Request bodies sent to Amazon are limited to ${MAX_PROXY_BODY_BYTES / 1024 / 1024} MiB.`),
  }),
  async (c) => {
    const response = await proxyCall(c)
    // Set before the handler ran, the request id only reaches answers built by the context (c.json).
    response.headers.set('X-Request-Id', c.var.requestId)
    return response
  },
)

/** One proxied call: ownership, operation, steering headers, the edge cache, then Amazon. */
async function proxyCall(c: Context<SessionEnv, '/:accountId/*'>): Promise<Response> {
  const accountId = c.req.param('accountId')
  if (!isUuid(accountId)) return accountNotFound(c)
  const url = new URL(c.req.url)
  // The raw path, still percent-encoded, exactly as it will be sent to Amazon.
  const path = url.pathname.replace(PROXY_PREFIX, '') || '/'
  const method = c.req.method

  const options = proxyOptions(c.req.raw.headers, method)
  if ('header' in options) return errorResponse(c, 400, 'invalid_header', options.message, { header: options.header })

  const config = parseConfig(c.env)
  const located = await locateAccount(() => userDb(config, c.var.databaseToken), accountId)
  if (located === 'not_found') return accountNotFound(c)
  if (located === 'no_grant') return reauthRequired(c)
  const session = accountSession(c.env, located.grantId)

  const resolved = resolveOperation(located.provider, {
    method,
    path,
    contentType: c.req.header('content-type') ?? null,
    restrictedData: options.restrictedData,
  })
  if ('kind' in resolved) {
    // Ownership first: a stranger learns nothing, not even which paths are known.
    const owned = await session.authorize(located.grantId, c.var.userId, accountId)
    if (!owned.ok) return ownershipRefused(c, accountId, owned.reason)
    if (resolved.kind === 'unknown_operation') {
      const hint = resolved.closest.map((known) => `${known.method} ${known.path}`).join(', ')
      return errorResponse(c, 404, 'unknown_operation', `${method} ${path} is not an Amazon operation sellersync knows.${hint ? ` Closest: ${hint}.` : ''}`, {
        closest: resolved.closest,
      })
    }
    if (resolved.kind === 'unsupported_media_type') {
      return errorResponse(c, 415, 'unsupported_media_type', `Amazon requires Content-Type: ${resolved.expected} for this operation.`, {
        expected: resolved.expected,
      })
    }
    return errorResponse(c, 400, 'invalid_header', resolved.message, { header: resolved.header })
  }

  // Buyer data needs its own scope on an API key, on top of amazon:proxy.
  if (resolved.restricted) {
    const missing = missingScope(c, 'amazon:proxy:pii')
    if (missing) return missing
  }

  const call: Call = { accountId, location: located, resolved, options, method, pathAndQuery: `${path}${url.search}` }
  const cacheable = method === 'GET' && options.cacheMaxAgeS > 0 && !resolved.restricted
  if (cacheable) {
    const hit = await cachedAnswer(cacheKey(accountId, call.pathAndQuery), options.cacheMaxAgeS, Date.now())
    if (hit) {
      const owned = await session.authorize(located.grantId, c.var.userId, accountId)
      if (!owned.ok) {
        await hit.body?.cancel()
        return ownershipRefused(c, accountId, owned.reason)
      }
      hit.headers.set('X-Cache', 'HIT')
      return hit
    }
  }

  const body = method === 'GET' || method === 'DELETE' ? undefined : await c.req.arrayBuffer()
  const response = await forward(c, call, body)
  if (cacheable) {
    response.headers.set('X-Cache', 'MISS')
    if (response.status === 200) return storeAnswer(cacheKey(accountId, call.pathAndQuery), response, Date.now(), (p) => c.executionCtx.waitUntil(p))
  }
  return response
}

/**
 * Sends the call, retrying Amazon's 429s while the wait budget lasts, and once with a new access token
 * when Amazon refuses the one it was sent before its expiry. Reports the outcome to the session.
 */
async function forward(c: Context<SessionEnv>, call: Call, body: ArrayBuffer | undefined): Promise<Response> {
  const amazonConfig = parseAmazonConfig(c.env)
  const session = accountSession(c.env, call.location.grantId)
  const { operation } = call.resolved
  let budgetMs = call.options.maxWaitMs
  const outcome: CallOutcome = { accountId: call.accountId, operationId: operation.id, status: 0, waited: false, amazonThrottles: 0, throttledByUs: false }
  let renewedToken = false

  /** Counts the call for the account's owner; `learned`: the rate Amazon stated on a success. */
  const finish = (response: Response, learned: { externalId: string; rate: number } | null = null) => {
    outcome.status = response.status
    c.executionCtx.waitUntil(session.record(outcome, learned && { ...learned, operation }))
    return response
  }

  for (let attempt = 1; ; attempt++) {
    const admitted = await session.admit({
      grantId: call.location.grantId,
      userId: c.var.userId,
      accountId: call.accountId,
      operation,
      maxWaitMs: Math.max(0, budgetMs),
      restricted: call.resolved.restricted,
    })
    if (!admitted.ok) {
      // Not theirs (or gone): nothing to count for anyone.
      if (admitted.reason === 'account_not_found') return notAdmitted(c, call, admitted)
      if (admitted.reason === 'rate_limited') outcome.throttledByUs = true
      return finish(notAdmitted(c, call, admitted))
    }
    if (admitted.waitMs > 0) outcome.waited = true
    budgetMs -= admitted.waitMs
    await sleep(admitted.waitMs)

    const request = upstreamRequest(amazonConfig, admitted.account, { ...call, headers: c.req.raw.headers, body, defaultAccept: call.resolved.defaultAccept }, admitted.token)
    let upstream: Response
    try {
      upstream = await fetchAmazon(admitted.account.provider === 'sp_api' ? 'SP-API' : 'Ads API', request.url, request.init)
    } catch (error) {
      if (!(error instanceof AmazonUnavailableError)) throw error
      return finish(errorResponse(c, 503, 'amazon_unavailable', 'Amazon did not answer in time; try again shortly.'))
    }

    if (upstream.status === 429) {
      outcome.amazonThrottles++
      const amazonWaitMs = retryAfterMs(upstream.headers, Date.now())
      const text = await upstream.text()
      const state = await session.throttled(admitted.account.externalId, operation, amazonWaitMs)
      const backoffMs = Math.random() * BACKOFF_BASE_MS * 2 ** (attempt - 1)
      if (attempt < MAX_ATTEMPTS && state.nextTokenMs + backoffMs <= budgetMs) {
        budgetMs -= backoffMs
        await sleep(backoffMs)
        continue
      }
      return finish(amazonThrottled(operation, upstream, text, state))
    }

    if ((upstream.status === 401 || upstream.status === 403) && !renewedToken && !call.resolved.restricted) {
      const text = await upstream.text()
      if (refusedAccessToken(admitted.account, upstream.status, text)) {
        renewedToken = true
        const renewed = await session.forceRefresh(call.location.grantId, admitted.token)
        if (!renewed.ok) return finish(tokenFailure(c, renewed.failure))
        continue
      }
      return finish(amazonAnswer(upstream, text, admitted.bucket, operation))
    }

    const rate = upstream.ok ? statedRate(upstream.headers) : null
    return finish(amazonAnswer(upstream, upstream.body, admitted.bucket, operation), rate === null ? null : { externalId: admitted.account.externalId, rate })
  }
}

function amazonAnswer(upstream: Response, body: BodyInit | null, bucket: BucketState, operation: OperationRef): Response {
  const headers = returnedHeaders(upstream.headers)
  for (const [name, value] of Object.entries(rateLimitHeaders(operation.id, bucket))) headers.set(name, value)
  return new Response(body, { status: upstream.status, headers })
}

/** Amazon's 429 after our retries: its body, with a Retry-After from our bucket (SP-API sends none). */
function amazonThrottled(operation: OperationRef, upstream: Response, text: string, state: BucketState): Response {
  const response = amazonAnswer(upstream, text, state, operation)
  response.headers.set('Retry-After', String(retryAfterSeconds(state.nextTokenMs)))
  return response
}

function notAdmitted(c: Context<SessionEnv>, call: Call, refusal: NotAdmitted): Response {
  switch (refusal.reason) {
    case 'account_not_found':
      forgetLocation(call.accountId)
      return accountNotFound(c)
    case 'account_reauth_required':
      return reauthRequired(c)
    case 'token':
      return tokenFailure(c, refusal.failure)
    case 'rdt_refused': {
      const { refusal: amazon } = refusal
      const headers = new Headers()
      if (amazon.contentType) headers.set('content-type', amazon.contentType)
      if (amazon.requestId) headers.set('x-amzn-RequestId', amazon.requestId)
      return new Response(amazon.body, { status: amazon.status, headers })
    }
    case 'rate_limited': {
      const seconds = retryAfterSeconds(refusal.retryAfterMs)
      const response = errorResponse(
        c,
        429,
        'amazon_rate_limited',
        `Amazon allows ${refusal.operationId} at a limited rate for this seller; the next call can go in ${seconds} s. Retry after that, or send Sellersync-Max-Wait to wait longer.`,
        { retryAfterSeconds: seconds, operationId: refusal.operationId, source: 'sellersync' },
      )
      for (const [name, value] of Object.entries(rateLimitHeaders(refusal.operationId, refusal.bucket))) response.headers.set(name, value)
      response.headers.set('Retry-After', String(seconds))
      return response
    }
  }
}

const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

function accountNotFound(c: Context) {
  return errorResponse(c, 404, 'account_not_found', 'No such account.')
}

function reauthRequired(c: Context) {
  return errorResponse(c, 409, 'account_reauth_required', 'Amazon no longer accepts this account’s authorization; reconnect it on the Accounts page.')
}

function ownershipRefused(c: Context, accountId: string, reason: 'account_not_found' | 'account_reauth_required') {
  if (reason === 'account_reauth_required') return reauthRequired(c)
  forgetLocation(accountId)
  return accountNotFound(c)
}

function tokenFailure(c: Context, failure: keyof typeof refreshFailureResponses) {
  if (failure === 'reauth_required' || failure === 'not_found') return reauthRequired(c)
  const { status, code, message } = refreshFailureResponses[failure]
  return errorResponse(c, status, code, message)
}

