import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv, SessionEnv } from './app-env.ts'
import { DatabaseError } from './db/supabase.ts'
import { ConfigError } from './env.ts'
import { errorResponse, validationHook } from './errors.ts'
import { dashboardCors } from './middleware/cors.ts'
import { requestLog } from './middleware/request-log.ts'
import { rateLimit } from './middleware/rate-limit.ts'
import { requireCaller, requireScope, sessionOnly } from './middleware/require-caller.ts'
import { API_KEY_SCOPES } from './auth/scopes.ts'
import { openApiDocument, renderApiReference } from './openapi.ts'
import { registerProxyDocs } from './proxy/proxy-openapi.ts'
import { accountRoutes } from './routes/accounts.ts'
import { apiKeyRoutes } from './routes/api-keys.ts'
import { accountUsageRoutes } from './routes/account-usage.ts'
import { amazonCallbackRoutes, amazonConnectRoutes } from './routes/amazon-oauth.ts'
import { amazonProxyRoutes } from './routes/amazon-proxy.ts'
import { clientConfigRoutes } from './routes/client-config.ts'
import { healthRoutes } from './routes/health.ts'
import { meRoutes } from './routes/me.ts'
import { sessionRoutes } from './routes/session.ts'
import { webhookRoutes } from './routes/webhooks.ts'

/** Request bodies are small JSON documents; anything larger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024

/** Answers about one user are never stored by a browser or shared cache (they are per token). */
const privateAnswers = createMiddleware(async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
})

/**
 * A router whose routes need a Clerk session or an API key and count against the caller's rate limit
 * for `group` (an API key's requests count against the key's own `api_key` quota).
 */
function authenticated(group: 'api' | 'proxy' = 'api', ...more: MiddlewareHandler<SessionEnv>[]) {
  const router = new OpenAPIHono<SessionEnv>({ defaultHook: validationHook })
  // Its own statement: chained before route(), use() would drop the routes from AppType (hono/client).
  router.use(requireCaller, rateLimit(group), privateAnswers, ...more)
  return router
}

/** Reading accounts takes `accounts:read`; changing them `accounts:write`. */
const accountScopes = createMiddleware<SessionEnv>((c, next) => requireScope(c.req.method === 'GET' ? 'accounts:read' : 'accounts:write')(c, next))

/** Everything but the Amazon proxy, which streams up to 1 MiB to Amazon and has its own limit. */
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => errorResponse(c, 413, 'payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`),
})

export function createApp() {
  // Handlers after basePath(): OpenAPIHono's basePath() builds a new app that does not keep them.
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).basePath('/api')
  api
    .notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`))
    .onError((error, c) => {
      if (error instanceof HTTPException && error.status < 500) {
        // Hono's own 4xx: e.g. the JSON validator's "Malformed JSON in request body".
        return errorResponse(c, error.status, error.status === 400 ? 'invalid_request' : 'http_error', error.message)
      }
      if (error instanceof ConfigError) {
        console.error(error.message)
        return errorResponse(c, 503, 'config_invalid', error.message)
      }
      if (error instanceof DatabaseError) {
        // A refused value or a conflict is the request's doing: retrying it as-is would fail again, so
        // it must not read as "try again". The SQLSTATE is logged, to find the validation that let it by.
        if (error.kind === 'invalid') {
          console.warn(error.message, `id=${c.var.requestId}`)
          return errorResponse(c, 400, 'invalid_data', 'The database refused a value in this request.')
        }
        if (error.kind === 'conflict') {
          console.warn(error.message, `id=${c.var.requestId}`)
          return errorResponse(c, 409, 'conflict', 'The change conflicts with the current state; reload and try again.')
        }
        console.error(error.message, `id=${c.var.requestId}`)
        return errorResponse(c, 503, 'database_unavailable', 'The database did not answer as expected; try again shortly.')
      }
      // Only the error's name: messages of third-party errors can carry request data.
      console.error(`unhandled ${error.name} id=${c.var.requestId}`)
      return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side; try again shortly.')
    })

  api.use(requestId(), requestLog, secureHeaders())
  // Before any session check: a preflight carries no Authorization header and must not meet a 401.
  api.use(dashboardCors)
  api.use('/webhooks/*', rateLimit('webhooks'))
  // The full health check reads the database on every call; liveness (/health/live) touches nothing.
  api.use('/health', rateLimit('public'))
  api.use((c, next) => (c.req.path.startsWith('/api/amazon/') ? next() : jsonBodyLimit(c, next)))
  api.openAPIRegistry.registerComponent('securitySchemes', 'clerkSession', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A Clerk session token (the dashboard gets one from Clerk's getToken()).",
  })
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ak_…',
    description:
      'A Clerk API key, created on the dashboard’s API keys page, for scripts and scheduled jobs. Scopes: ' +
      Object.entries(API_KEY_SCOPES)
        .map(([scope, what]) => `\`${scope}\` (${what})`)
        .join('; ') +
      '. Checked with Clerk at most once a minute per key: a revoked key stops working within 60 s.',
  })
  registerProxyDocs(api.openAPIRegistry)
  api.doc31('/openapi.json', openApiDocument)
  api.get('/docs', (c) => c.html(renderApiReference(api.getOpenAPI31Document(openApiDocument))))

  return api
    .route('/health', healthRoutes)
    .route('/client-config', clientConfigRoutes)
    .route('/webhooks', webhookRoutes)
    .route('/me', authenticated().route('/', meRoutes))
    .route('/session', authenticated().route('/', sessionRoutes))
    // Mounted apart: the callback is reached by a browser coming back from Amazon, without a session.
    .route('/auth/amazon/connect', authenticated('api', sessionOnly).route('/', amazonConnectRoutes))
    .route('/auth/amazon/callback', amazonCallbackRoutes)
    .route('/keys', authenticated('api', sessionOnly).route('/', apiKeyRoutes))
    .route('/accounts', authenticated('api', accountScopes).route('/', accountRoutes).route('/', accountUsageRoutes))
    .route('/amazon', authenticated('proxy', requireScope('amazon:proxy')).route('/', amazonProxyRoutes))
}

export type AppType = ReturnType<typeof createApp>
