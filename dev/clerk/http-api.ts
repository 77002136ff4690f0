import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWK } from 'jose'
import { z } from 'zod'
import { ApiKeyRefusedError, apiKeyListQuery } from './api-keys.ts'
import { BROWSER_PATH_PREFIX, browserCorsHeaders, browserSignIn } from './browser-sign-in.ts'
import { ClerkApiError, clerkErrorBody, parseClerkParams, resourceNotFound } from './clerk-errors.ts'
import type { ClerkInstance } from './clerk-instance.ts'
import { type Fault, type FaultInjector, faultSpecSchema, type VerificationLog, type VerificationOutcome } from './dev-controls.ts'
import { isBundlePath } from './frontend-api/browser-bundles.ts'
import type { SentEmail } from './frontend-api/email-outbox.ts'
import { API_KEYS_PATH } from './frontend-api/api-keys.ts'
import { isFrontendApiPath } from './frontend-api/http-routes.ts'
import { readBodyText } from './request-body.ts'
import type { UserListQuery } from './users.ts'
import type { WebhookDeliveryAttempt } from './webhooks.ts'

export type HttpApiOptions = {
  instance: ClerkInstance
  jwks: { keys: JWK[] }
  secretKey: string
  /** The dashboard origin: the only one whose browsers may call the `/__dev/browser/*` sign-in paths. */
  authorizedParty: string
  deliveries: () => WebhookDeliveryAttempt[]
  /** The emails the Frontend API "sent" (sign-up codes), newest first. */
  emailOutbox: () => SentEmail[]
  /** The Frontend API (frontend-api/): answers its own paths (`/v1/client…`, `/v1/environment`, `/api_keys…`, `/npm/@clerk/…`). */
  frontendApi: (request: IncomingMessage, response: ServerResponse) => void
  /** Injected failures (`/__dev/faults`). */
  faults: FaultInjector
  /** Calls `POST /v1/api_keys/verify` received (`/__dev/api-keys/verifications`). */
  verifications: VerificationLog
}

type ApiRequest = { url: URL; body: unknown }
/** `status` 0: close the connection without an answer (an unreachable Clerk). */
type ApiReply = { status: number; body: unknown; headers?: Record<string, string> }
type Route = {
  method: string
  path: RegExp
  /** `secret-key`: Backend API, needs `Authorization: Bearer <secret key>`. */
  access: 'public' | 'secret-key'
  handle: (request: ApiRequest, pathParams: string[]) => ApiReply | Promise<ApiReply>
}

const MAX_BODY_BYTES = 1_000_000

const createSessionSchema = z.object({ user_id: z.string().min(1) })
const sessionTokenSchema = z.object({ expires_in_seconds: z.int().positive().optional() })
const clockSchema = z.strictObject({ advanceMs: z.int().min(0) })
const VERIFY_PATH = '/v1/api_keys/verify'

/**
 * The HTTP face of the stand-in: Clerk's JWKS, a Backend API subset (users, sessions, API keys), the
 * Frontend API subset clerk-js needs (frontend-api/), and a few `/__dev` endpoints, the test controls
 * among them (faults, the count of API key verifications, the API keys' clock: dev-controls.ts). Clerk
 * serves the Backend and Frontend APIs from different hosts; one port serves both here (see addressOf).
 */
export function createRequestHandler(options: HttpApiOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const routes = buildRoutes(options)
  const { faults, verifications, instance } = options
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in')
    const { api, path } = addressOf(url.pathname, request.headers.authorization)
    if (api === 'frontend_api') {
      // Faults hit the Frontend API before it reads anything; bundles (a CDN at Clerk) are never faulted.
      const fault = isBundlePath(path) ? undefined : faults.take({ api, path, apiKeyId: null })
      if (!fault) return options.frontendApi(request, response)
      void faultReply(faults, fault).then((reply) => (reply ? send(response, reply, {}) : options.frontendApi(request, response)))
      return
    }
    let cors: Record<string, string> = {}
    const isVerify = request.method === 'POST' && path === VERIFY_PATH
    let verifiedKeyId: string | null = null
    let faulted = false
    const reply = async (): Promise<ApiReply> => {
      if (path.startsWith(BROWSER_PATH_PREFIX)) {
        cors = browserCorsHeaders(request.headers.origin, options.authorizedParty)
        if (request.method === 'OPTIONS') return { status: 204, body: null } // CORS preflight
      }
      // A verify call's body is read first: its fault and count go by the key its secret belongs to.
      let body = isVerify ? await readJsonBody(request) : undefined
      if (isVerify) verifiedKeyId = instance.apiKeyIdOfSecret(body)
      // An outage comes before anything Clerk would check.
      const fault = api === 'backend_api' ? faults.take({ api, path, apiKeyId: verifiedKeyId }) : undefined
      const faultAnswer = fault && (await faultReply(faults, fault))
      if (faultAnswer) {
        faulted = true
        return faultAnswer
      }
      const match = findRoute(routes, request.method ?? 'GET', path)
      if (!match) throw resourceNotFound(`No route matches ${request.method} ${url.pathname}`)
      if (match.route.access === 'secret-key') requireSecretKey(request.headers.authorization, options.secretKey)
      if (!isVerify && request.method !== 'GET' && request.method !== 'DELETE') body = await readJsonBody(request)
      return match.route.handle({ url, body }, match.params)
    }
    reply()
      .then(
        (result) => ({ result, outcome: faulted ? ('fault' as const) : ('valid' as const) }),
        (error: unknown) => ({ result: errorReply(error), outcome: verificationOutcome(error) }),
      )
      .then(({ result, outcome }) => {
        if (isVerify) verifications.record(verifiedKeyId, outcome)
        send(response, result, cors)
      })
      .catch(() => response.destroy())
  }
}

function verificationOutcome(error: unknown): VerificationOutcome {
  if (error instanceof ApiKeyRefusedError) return error.refusal
  if (error instanceof ClerkApiError && error.status === 401) return 'unauthorized'
  if (error instanceof ClerkApiError && error.status < 500) return 'bad_request'
  return 'fault'
}

/**
 * Which of Clerk's APIs a request is for (null: `/__dev`, the JWKS), and its path there. At Clerk they live
 * on different hosts; here one port serves both, and only `/api_keys…` exists in both: @clerk/backend calls
 * the Backend API's API keys without the `/v1` of Clerk's reference (`{apiUrl}/api_keys/verify`), and
 * clerk-js calls the Frontend API's at `/api_keys` too. The credential tells them apart: a secret key
 * (`sk_…`) is a Backend API call, answered at its `/v1/api_keys…` path; a session token a Frontend API one.
 */
function addressOf(pathname: string, authorization: string | undefined): { api: 'frontend_api' | 'backend_api' | null; path: string } {
  if (API_KEYS_PATH.test(pathname) && /^Bearer sk_/i.test(authorization ?? '')) return { api: 'backend_api', path: `/v1${pathname}` }
  if (isFrontendApiPath(pathname)) return { api: 'frontend_api', path: pathname }
  return { api: pathname.startsWith('/v1/') ? 'backend_api' : null, path: pathname }
}

function send(response: ServerResponse, { status, body, headers }: ApiReply, cors: Record<string, string>): void {
  if (status === 0) return void response.destroy()
  if (status === 204) return void response.writeHead(204, { ...cors, ...headers, 'cache-control': 'no-store' }).end()
  // Exactly application/json: @clerk/backend parses a response as JSON only on this exact value.
  response.writeHead(status, { ...cors, ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' })
  response.end(JSON.stringify(body))
}

/** What a fault answers; undefined: the request goes on (a `hang` that ended). */
async function faultReply(faults: FaultInjector, fault: Fault): Promise<ApiReply | undefined> {
  switch (fault.kind) {
    case 'unreachable':
      return { status: 0, body: null }
    case 'hang':
      await faults.hold(fault)
      return undefined
    case 'throttle': {
      const error = new ClerkApiError(429, [
        { message: 'Too many requests', long_message: 'Too many requests, please retry later.', code: 'too_many_requests' },
      ])
      return { status: 429, body: clerkErrorBody(error), headers: { 'retry-after': String(fault.retry_after_seconds) } }
    }
    case 'error': {
      const entry =
        fault.status === 500
          ? { message: 'Oops, an unexpected error occurred', long_message: 'Injected by the Clerk stand-in.', code: 'internal_clerk_error' }
          : { message: 'Service unavailable', long_message: 'Injected by the Clerk stand-in.', code: 'service_unavailable' }
      return { status: fault.status, body: clerkErrorBody(new ClerkApiError(fault.status, [entry])) }
    }
  }
}

function buildRoutes({ instance, jwks, deliveries, emailOutbox, faults, verifications }: HttpApiOptions): Route[] {
  const ok = (body: unknown): ApiReply => ({ status: 200, body })
  return [
    { method: 'GET', path: /^\/__dev\/health$/, access: 'public', handle: () => ok({ ok: true }) },
    // Test controls (dev-controls.ts). Secret key, like the Backend API they stand beside.
    { method: 'GET', path: /^\/__dev\/faults$/, access: 'secret-key', handle: () => ok({ data: faults.pending() }) },
    { method: 'POST', path: /^\/__dev\/faults$/, access: 'secret-key', handle: ({ body }) => ok({ fault: addFault(faults, body) }) },
    { method: 'DELETE', path: /^\/__dev\/faults$/, access: 'secret-key', handle: () => ok({ deleted: faults.delete() }) },
    {
      method: 'DELETE',
      path: /^\/__dev\/faults\/([^/]+)$/,
      access: 'secret-key',
      handle: (_, [id]) => {
        if (!faults.delete(id)) throw resourceNotFound(`No fault was found with id ${id}`)
        return ok({ deleted: true })
      },
    },
    {
      method: 'GET',
      path: /^\/__dev\/api-keys\/verifications$/,
      access: 'secret-key',
      handle: ({ url }) => ok(verifications.counts({ apiKeyId: url.searchParams.get('api_key_id') ?? undefined })),
    },
    { method: 'DELETE', path: /^\/__dev\/api-keys\/verifications$/, access: 'secret-key', handle: () => (verifications.clear(), ok({ deleted: true })) },
    {
      method: 'POST',
      path: /^\/__dev\/api-keys\/clock$/,
      access: 'secret-key',
      handle: ({ body }) => {
        instance.clock.advance(parseClerkParams(clockSchema, body).advanceMs)
        return ok({ now: instance.clock.now(), iso: new Date(instance.clock.now()).toISOString() })
      },
    },
    { method: 'GET', path: /^\/__dev\/webhook-deliveries$/, access: 'secret-key', handle: () => ok({ data: deliveries() }) },
    // Sign-up codes: where a developer (or test) reads what Clerk would have emailed. Secret key: they sign people up.
    { method: 'GET', path: /^\/__dev\/email-outbox$/, access: 'secret-key', handle: () => ok({ data: emailOutbox() }) },
    // Frontend API: public, this is where PostgREST and other verifiers fetch keys from.
    { method: 'GET', path: /^\/\.well-known\/jwks\.json$/, access: 'public', handle: () => ok(jwks) },
    { method: 'GET', path: /^\/v1\/jwks$/, access: 'secret-key', handle: () => ok(jwks) },
    {
      method: 'GET',
      path: /^\/v1\/users\/count$/,
      access: 'secret-key',
      handle: ({ url }) => ok({ object: 'total_count', total_count: instance.countUsers(userListQuery(url)) }),
    },
    { method: 'GET', path: /^\/v1\/users$/, access: 'secret-key', handle: ({ url }) => ok(instance.listUsers(userListQuery(url))) },
    { method: 'POST', path: /^\/v1\/users$/, access: 'secret-key', handle: async ({ body }) => ok(await instance.createUser(body)) },
    { method: 'GET', path: /^\/v1\/users\/([^/]+)$/, access: 'secret-key', handle: (_, [id]) => ok(instance.getUser(id!)) },
    {
      method: 'PATCH',
      path: /^\/v1\/users\/([^/]+)$/,
      access: 'secret-key',
      handle: async ({ body }, [id]) => ok(await instance.updateUser(id!, body)),
    },
    { method: 'DELETE', path: /^\/v1\/users\/([^/]+)$/, access: 'secret-key', handle: async (_, [id]) => ok(await instance.deleteUser(id!)) },
    {
      method: 'POST',
      path: /^\/v1\/sessions$/,
      access: 'secret-key',
      handle: ({ body }) => ok(instance.createSession(parseClerkParams(createSessionSchema, body).user_id)),
    },
    { method: 'GET', path: /^\/v1\/sessions\/([^/]+)$/, access: 'secret-key', handle: (_, [id]) => ok(instance.getSession(id!)) },
    {
      method: 'POST',
      path: /^\/v1\/sessions\/([^/]+)\/tokens$/,
      access: 'secret-key',
      handle: async ({ body }, [id]) => {
        const { expires_in_seconds } = parseClerkParams(sessionTokenSchema, body)
        return ok({ object: 'token', jwt: await instance.mintSessionToken(id!, { expiresInSeconds: expires_in_seconds }) })
      },
    },
    { method: 'POST', path: /^\/v1\/sessions\/([^/]+)\/revoke$/, access: 'secret-key', handle: (_, [id]) => ok(instance.revokeSession(id!)) },
    // API keys (api-keys.ts). `verify` before `/:id`, which would otherwise take it.
    { method: 'POST', path: /^\/v1\/api_keys\/verify$/, access: 'secret-key', handle: ({ body }) => ok(instance.verifyApiKey(body)) },
    { method: 'GET', path: /^\/v1\/api_keys$/, access: 'secret-key', handle: ({ url }) => ok(instance.listApiKeys(apiKeyListQuery(url))) },
    { method: 'POST', path: /^\/v1\/api_keys$/, access: 'secret-key', handle: ({ body }) => ok(instance.createApiKey(body)) },
    { method: 'GET', path: /^\/v1\/api_keys\/([^/]+)$/, access: 'secret-key', handle: (_, [id]) => ok(instance.getApiKey(id!)) },
    { method: 'PATCH', path: /^\/v1\/api_keys\/([^/]+)$/, access: 'secret-key', handle: ({ body }, [id]) => ok(instance.updateApiKey(id!, body)) },
    { method: 'DELETE', path: /^\/v1\/api_keys\/([^/]+)$/, access: 'secret-key', handle: (_, [id]) => ok(instance.deleteApiKey(id!)) },
    { method: 'GET', path: /^\/v1\/api_keys\/([^/]+)\/secret$/, access: 'secret-key', handle: (_, [id]) => ok(instance.getApiKeySecret(id!)) },
    {
      method: 'POST',
      path: /^\/v1\/api_keys\/([^/]+)\/revoke$/,
      access: 'secret-key',
      handle: ({ body }, [id]) => ok(instance.revokeApiKey(id!, body)),
    },
    // Dev-only browser sign-in for the dashboard's local build (see browser-sign-in.ts).
    { method: 'POST', path: /^\/__dev\/browser\/sign-in$/, access: 'public', handle: async ({ body }) => ok(await browserSignIn(instance, body)) },
    {
      method: 'POST',
      path: /^\/__dev\/browser\/sessions\/([^/]+)\/tokens$/,
      access: 'public',
      handle: async (_, [id]) => ok({ object: 'token', jwt: await instance.mintSessionToken(id!) }),
    },
    {
      method: 'POST',
      path: /^\/__dev\/browser\/sessions\/([^/]+)\/end$/,
      access: 'public',
      handle: (_, [id]) => ok({ session: instance.revokeSession(id!) }),
    },
  ]
}

/** `POST /__dev/faults`: a malformed spec is Clerk's 422 naming the field, as other Backend API input. */
function addFault(faults: FaultInjector, body: unknown): Fault {
  return faults.add(parseClerkParams(faultSpecSchema, body))
}

function findRoute(routes: Route[], method: string, pathname: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const found = route.method === method ? route.path.exec(pathname) : null
    if (found) return { route, params: found.slice(1).map((param) => decodeURIComponent(param)) }
  }
  return undefined
}

function requireSecretKey(authorization: string | undefined, secretKey: string): void {
  const bearer = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1]
  if (!bearer) {
    throw new ClerkApiError(401, [
      {
        message: 'Invalid Authorization header format',
        long_message: "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
        code: 'authorization_header_format_invalid',
      },
    ])
  }
  // Compare digests: equal length, constant time, so response timing says nothing about the key.
  const digest = (value: string) => createHash('sha256').update(value).digest()
  if (!timingSafeEqual(digest(bearer), digest(secretKey))) {
    const message = 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.'
    throw new ClerkApiError(401, [{ message, long_message: message, code: 'clerk_key_invalid' }])
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = (await readBodyText(request, MAX_BODY_BYTES)).trim()
  if (text === '') return {} // Clerk treats a missing body as no parameters
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ClerkApiError(400, [{ message: 'Request body invalid', long_message: 'The request body is not valid JSON.', code: 'request_body_invalid' }])
  }
}

// @clerk/backend sends list filters as repeated keys (`email_address=a&email_address=b`).
function userListQuery(url: URL): UserListQuery {
  const number = (name: string) => {
    const value = url.searchParams.get(name)
    return value === null ? undefined : Math.max(0, Number.parseInt(value, 10) || 0)
  }
  const limit = number('limit')
  return {
    email_address: url.searchParams.getAll('email_address'),
    user_id: url.searchParams.getAll('user_id'),
    limit: limit === undefined ? undefined : Math.min(Math.max(limit, 1), 500),
    offset: number('offset'),
  }
}

function errorReply(error: unknown): ApiReply {
  if (error instanceof ClerkApiError) return { status: error.status, body: clerkErrorBody(error) }
  const internal = new ClerkApiError(500, [
    { message: 'Oops, an unexpected error occurred', long_message: String(error), code: 'internal_clerk_error' },
  ])
  return { status: 500, body: clerkErrorBody(internal) }
}
