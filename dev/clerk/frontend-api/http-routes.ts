import type { IncomingMessage, ServerResponse } from 'node:http'
import { ClerkApiError, clerkErrorBody, resourceNotFound } from '../clerk-errors.ts'
import type { ClerkInstance } from '../clerk-instance.ts'
import { readBodyText } from '../request-body.ts'
import { API_KEYS_PATH, handleApiKeys } from './api-keys.ts'
import { isBundlePath, readBundleFile } from './browser-bundles.ts'
import { Clients } from './clients.ts'
import { DevBrowserRegistry } from './dev-browsers.ts'
import type { EmailOutbox } from './email-outbox.ts'
import { environmentJson } from './environment.ts'
import { sessionJson } from './resources.ts'

/**
 * The Frontend API (FAPI) subset clerk-js 6 and @clerk/ui need to sign up and sign in with email + password
 * on a development instance, following Clerk's public protocol:
 *
 *   POST /v1/dev_browser                                   → { id, token }  the `__clerk_db_jwt` value
 *   GET|PATCH /v1/environment                              → EnvironmentJSON
 *   GET|PUT|DELETE /v1/client                              → { response: ClientJSON, client }
 *   POST /v1/client/sign_ins                               → { response: SignInJSON, client }
 *   GET /v1/client/sign_ins/:id                            → { response: SignInJSON, client }
 *   POST /v1/client/sign_ins/:id/attempt_first_factor      → { response: SignInJSON, client }
 *   POST /v1/client/sign_ups                               → { response: SignUpJSON, client }
 *   GET|PATCH /v1/client/sign_ups/:id                      → { response: SignUpJSON, client }
 *   POST /v1/client/sign_ups/:id/prepare_verification      → { response: SignUpJSON, client }  (emails a code)
 *   POST /v1/client/sign_ups/:id/attempt_verification      → { response: SignUpJSON, client }  (may complete)
 *   POST /v1/client/sessions/:id/touch                     → { response: SessionJSON, client }
 *   POST /v1/client/sessions/:id/tokens                    → { object: 'token', jwt }
 *   POST /v1/client/sessions/:id/end | …/remove            → { response: SessionJSON, client }
 *   DELETE /v1/client/sessions                             → { response: ClientJSON, client }  (signOut())
 *   GET|POST /api_keys, POST /api_keys/:id/revoke           → bare JSON, session token auth (api-keys.ts)
 *   GET /npm/@clerk/{clerk-js,ui}@<version>/dist/<file>    → the browser bundles (browser-bundles.ts)
 *
 * As clerk-js sends them: form-encoded bodies; methods other than GET and POST tunnelled as
 * `POST …?_method=PATCH|PUT|DELETE` (no CORS preflight); the dev browser as the `__clerk_db_jwt` query
 * parameter; `_clerk_js_version` and `__clerk_api_version` query parameters (ignored here). Errors are
 * Clerk's `{ errors: [{ message, long_message, code, meta? }], clerk_trace_id }`. Browsers may call it
 * from the dashboard origin only (CORS with credentials, as FAPI answers an app's origin).
 *
 * Sign-up codes go to the stand-in's outbox (email-outbox.ts), not to a mailbox. A completed sign-up creates
 * the user through ClerkInstance.createUser, so the `user.created` webhook reaches the Worker before the
 * response does.
 *
 * Session tokens are the stand-in's (ClerkInstance.mintSessionToken): the same RS256 key, `azp` and claims
 * as every other token it issues, so the Worker verifies them exactly as Clerk's.
 */
export type FrontendApiOptions = {
  instance: ClerkInstance
  /** The dashboard origin: the only browser origin allowed to call the Frontend API. */
  appOrigin: string
  instanceId: string
  /** Where sign-up verification codes are "sent". */
  emailOutbox: EmailOutbox
}

type FapiRequest = { method: string; url: URL; body: Record<string, string>; devBrowser: string | null }
type FapiReply = { status: number; body: unknown; headers?: Record<string, string> }
type Route = { method: string; path: RegExp; handle: (request: FapiRequest, params: string[]) => FapiReply | Promise<FapiReply> }

const MAX_BODY_BYTES = 100_000

export function isFrontendApiPath(pathname: string): boolean {
  return (
    isBundlePath(pathname) ||
    pathname === '/v1/environment' ||
    pathname === '/v1/dev_browser' ||
    /^\/v1\/client(\/|$)/.test(pathname) ||
    API_KEYS_PATH.test(pathname)
  )
}

export function createFrontendApi({ instance, appOrigin, instanceId, emailOutbox }: FrontendApiOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const devBrowsers = new DevBrowserRegistry()
  const clients = new Clients(instance, emailOutbox)
  const environment = environmentJson({ appOrigin, instanceId })
  const clientOf = (request: FapiRequest) => devBrowsers.requireClient(request.devBrowser)
  const withClient = async (clientId: string, response: unknown): Promise<FapiReply> => ({
    status: 200,
    body: { response, client: await clients.json(clientId) },
  })

  const routes: Route[] = [
    { method: 'POST', path: /^\/v1\/dev_browser$/, handle: () => ({ status: 200, body: devBrowsers.create() }) },
    { method: 'GET', path: /^\/v1\/environment$/, handle: () => ({ status: 200, body: environment }) },
    // clerk-js "touches" the environment of a development instance on load.
    { method: 'PATCH', path: /^\/v1\/environment$/, handle: () => ({ status: 200, body: environment }) },
    {
      method: 'GET',
      path: /^\/v1\/client$/,
      handle: async (request) => ({ status: 200, body: { response: await clients.json(clientOf(request)), client: null } }),
    },
    {
      method: 'PUT',
      path: /^\/v1\/client$/,
      handle: async (request) => ({ status: 200, body: { response: await clients.json(clientOf(request)), client: null } }),
    },
    {
      method: 'DELETE',
      path: /^\/v1\/client$/,
      handle: async (request) => {
        const clientId = clientOf(request)
        clients.destroy(clientId)
        return withClient(clientId, await clients.json(clientId))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sign_ins$/,
      handle: (request) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signIns.json(clients.startSignIn(clientId, request.body)))
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/client\/sign_ins\/([^/]+)$/,
      handle: (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signIns.json(clients.signIns.get(clientId, id!)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sign_ins\/([^/]+)\/attempt_first_factor$/,
      handle: (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signIns.json(clients.attemptFirstFactor(clientId, id!, request.body)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sign_ups$/,
      handle: async (request) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signUps.json(await clients.startSignUp(clientId, request.body)))
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/client\/sign_ups\/([^/]+)$/,
      handle: (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signUps.json(clients.signUps.get(clientId, id!)))
      },
    },
    {
      method: 'PATCH',
      path: /^\/v1\/client\/sign_ups\/([^/]+)$/,
      handle: async (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signUps.json(await clients.updateSignUp(clientId, id!, request.body)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sign_ups\/([^/]+)\/prepare_verification$/,
      handle: (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signUps.json(clients.prepareSignUpVerification(clientId, id!, request.body)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sign_ups\/([^/]+)\/attempt_verification$/,
      handle: async (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, clients.signUps.json(await clients.attemptSignUpVerification(clientId, id!, request.body)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sessions\/([^/]+)\/touch$/,
      handle: async (request, [id]) => {
        const clientId = clientOf(request)
        return withClient(clientId, await sessionJson(instance, clients.touch(clientId, id!)))
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sessions\/([^/]+)\/tokens$/,
      handle: async (request, [id]) => {
        const session = clients.requireActiveSession(clientOf(request), id!)
        return { status: 200, body: { object: 'token', jwt: await instance.mintSessionToken(session.id) } }
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/client\/sessions\/([^/]+)\/(end|remove)$/,
      handle: async (request, [id, action]) => {
        const clientId = clientOf(request)
        const ended = clients.endSession(clientId, id!, action === 'end' ? 'ended' : 'removed')
        return withClient(clientId, await sessionJson(instance, ended))
      },
    },
    {
      method: 'DELETE',
      path: /^\/v1\/client\/sessions$/,
      handle: async (request) => {
        const clientId = clientOf(request)
        clients.removeAllSessions(clientId)
        return withClient(clientId, await clients.json(clientId))
      },
    },
  ]

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in')
    const origin = request.headers.origin
    if (isBundlePath(url.pathname)) return void serveBundle(url.pathname, request, response)
    let cors: Record<string, string> = {}
    const reply = async (): Promise<FapiReply> => {
      cors = corsHeaders(origin, appOrigin)
      if (request.method === 'OPTIONS') return { status: 204, body: null }
      const method = effectiveMethod(request.method ?? 'GET', url)
      if (API_KEYS_PATH.test(url.pathname)) {
        const json = request.method === 'POST' ? await readJsonBody(request) : undefined
        return handleApiKeys(instance, { method, url, json, authorization: request.headers.authorization })
      }
      const match = findRoute(routes, method, url.pathname)
      if (!match) throw resourceNotFound(`No Frontend API route matches ${method} ${url.pathname}`)
      const body = request.method === 'POST' ? await readFormBody(request) : {}
      return match.route.handle({ method, url, body, devBrowser: url.searchParams.get('__clerk_db_jwt') }, match.params)
    }
    reply()
      .catch((error: unknown) => errorReply(error))
      .then(({ status, body, headers }) => {
        const common = { ...cors, ...headers, 'cache-control': 'no-store' }
        if (status === 204) return void response.writeHead(204, common).end()
        response.writeHead(status, { ...common, 'content-type': 'application/json' })
        response.end(JSON.stringify(body))
      })
      .catch(() => response.destroy())
  }
}

/** The method clerk-js meant: `POST …?_method=DELETE` is a DELETE. */
function effectiveMethod(method: string, url: URL): string {
  const tunnelled = url.searchParams.get('_method')?.toUpperCase()
  return method === 'POST' && tunnelled && ['PATCH', 'PUT', 'DELETE'].includes(tunnelled) ? tunnelled : method
}

function findRoute(routes: Route[], method: string, pathname: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const found = route.method === method ? route.path.exec(pathname) : null
    if (found) return { route, params: found.slice(1).map((param) => decodeURIComponent(param)) }
  }
  return undefined
}

/** CORS as the Frontend API answers an app: its origin, with credentials; any other origin is refused. */
function corsHeaders(origin: string | undefined, appOrigin: string): Record<string, string> {
  if (origin === undefined) return {} // not a browser (tests, curl)
  if (origin !== appOrigin) {
    throw new ClerkApiError(403, [
      {
        message: 'Invalid origin',
        long_message: `The request origin ${origin} is not allowed for this instance; it serves ${appOrigin}.`,
        code: 'origin_invalid',
      },
    ])
  }
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // authorization: clerk-js sends the session token in it to the `/api_keys` endpoints.
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-expose-headers': 'Clerk-Db-Jwt',
    'access-control-max-age': '600',
    vary: 'Origin',
  }
}

/** Form-encoded, as clerk-js sends every body (JSON is accepted too). */
async function readFormBody(request: IncomingMessage): Promise<Record<string, string>> {
  const text = await readBodyText(request, MAX_BODY_BYTES)
  if ((request.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text || '{}') as unknown
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]))
    } catch {
      // falls through to the error below
    }
    throw new ClerkApiError(400, [{ message: 'Request body invalid', long_message: 'The request body is not a JSON object.', code: 'request_body_invalid' }])
  }
  return Object.fromEntries(new URLSearchParams(text))
}

/** A JSON body (the `/api_keys` endpoints); none: undefined. */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = (await readBodyText(request, MAX_BODY_BYTES)).trim()
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ClerkApiError(400, [{ message: 'Request body invalid', long_message: 'The request body is not valid JSON.', code: 'request_body_invalid' }])
  }
}

async function serveBundle(pathname: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const file = request.method === 'GET' || request.method === 'HEAD' ? await readBundleFile(pathname).catch(() => null) : null
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('Not found')
    return
  }
  // Loaded with crossorigin="anonymous" from the app's origin, like Clerk's CDN answers any origin.
  response.writeHead(200, {
    'content-type': `${file.contentType}; charset=utf-8`,
    'content-length': String(file.body.length),
    'access-control-allow-origin': '*',
    'cache-control': 'public, max-age=300',
  })
  response.end(request.method === 'HEAD' ? undefined : file.body)
}

function errorReply(error: unknown): FapiReply {
  if (error instanceof ClerkApiError) return { status: error.status, body: clerkErrorBody(error) }
  const internal = new ClerkApiError(500, [
    { message: 'Oops, an unexpected error occurred', long_message: String(error), code: 'internal_clerk_error' },
  ])
  return { status: 500, body: clerkErrorBody(internal) }
}
