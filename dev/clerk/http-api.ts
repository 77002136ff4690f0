import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { JWK } from 'jose'
import { z } from 'zod'
import { BROWSER_PATH_PREFIX, browserCorsHeaders, browserSignIn } from './browser-sign-in.ts'
import { ClerkApiError, clerkErrorBody, parseClerkParams, resourceNotFound } from './clerk-errors.ts'
import type { ClerkInstance } from './clerk-instance.ts'
import type { SentEmail } from './frontend-api/email-outbox.ts'
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
  /** The Frontend API (frontend-api/): answers its own paths (`/v1/client…`, `/v1/environment`, `/npm/@clerk/…`). */
  frontendApi: (request: IncomingMessage, response: ServerResponse) => void
}

type ApiRequest = { url: URL; body: unknown }
type ApiReply = { status: number; body: unknown }
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

/**
 * The HTTP face of the stand-in: Clerk's JWKS, a Backend API subset, the Frontend API subset clerk-js
 * needs (frontend-api/), and a few `/__dev` endpoints. Clerk serves the Backend and Frontend APIs from
 * different hosts; their paths do not overlap, so one port serves both here.
 */
export function createRequestHandler(options: HttpApiOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const routes = buildRoutes(options)
  return (request, response) => {
    if (isFrontendApiPath(new URL(request.url ?? '/', 'http://stand-in').pathname)) return options.frontendApi(request, response)
    let cors: Record<string, string> = {}
    const reply = async (): Promise<ApiReply> => {
      if (new URL(request.url ?? '/', 'http://stand-in').pathname.startsWith(BROWSER_PATH_PREFIX)) {
        cors = browserCorsHeaders(request.headers.origin, options.authorizedParty)
        if (request.method === 'OPTIONS') return { status: 204, body: null } // CORS preflight
      }
      return handle(routes, options.secretKey, request)
    }
    reply()
      .catch((error: unknown) => errorReply(error))
      .then(({ status, body }) => {
        if (status === 204) return void response.writeHead(204, { ...cors, 'cache-control': 'no-store' }).end()
        // Exactly application/json: @clerk/backend parses a response as JSON only on this exact value.
        response.writeHead(status, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' })
        response.end(JSON.stringify(body))
      })
      .catch(() => response.destroy())
  }
}

function buildRoutes({ instance, jwks, deliveries, emailOutbox }: HttpApiOptions): Route[] {
  const ok = (body: unknown): ApiReply => ({ status: 200, body })
  return [
    { method: 'GET', path: /^\/__dev\/health$/, access: 'public', handle: () => ok({ ok: true }) },
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

async function handle(routes: Route[], secretKey: string, request: IncomingMessage): Promise<ApiReply> {
  const url = new URL(request.url ?? '/', 'http://stand-in')
  const match = findRoute(routes, request.method ?? 'GET', url.pathname)
  if (!match) throw resourceNotFound(`No route matches ${request.method} ${url.pathname}`)
  if (match.route.access === 'secret-key') requireSecretKey(request.headers.authorization, secretKey)
  const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await readJsonBody(request)
  return match.route.handle({ url, body }, match.params)
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
