import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../app-env.ts'
import type { Bindings } from '../env.ts'
import { errorResponse } from '../errors.ts'

const originsByEnv = new WeakMap<Bindings, ReadonlySet<string>>()

/**
 * The dashboard's origins: those whose session tokens we accept (CLERK_AUTHORIZED_PARTIES) and APP_URL.
 * Read from the raw settings, not through parseConfig: CORS must not make routes that need no
 * configuration (liveness) fail when some other setting is broken; env.ts reports those.
 */
function dashboardOrigins(env: Bindings): ReadonlySet<string> {
  let origins = originsByEnv.get(env)
  if (!origins) {
    const listed = [...(env.CLERK_AUTHORIZED_PARTIES ?? '').split(','), env.APP_URL ?? ''].map((value) => value.trim())
    const urls = listed.filter((value) => URL.canParse(value)).map((value) => new URL(value))
    // http(s) only: any other scheme's origin is the string "null", which sandboxed frames send.
    origins = new Set(urls.filter((url) => url.protocol === 'https:' || url.protocol === 'http:').map((url) => url.origin))
    originsByEnv.set(env, origins)
  }
  return origins
}

// Only reached for a dashboard origin, which it echoes exactly: never `*`, since credentials are allowed
// (the connect call sets the callback's nonce cookie).
const allowDashboard = cors({
  origin: (origin) => origin,
  allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
  exposeHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
  credentials: true,
  maxAge: 600,
})

/**
 * CORS for the dashboard's origins only. Their preflights are answered here, before the session check
 * (a preflight carries no Authorization header); the actual request is then authenticated and rate
 * limited as usual. A preflight from any other origin is refused with 403, and other requests from it get
 * no CORS headers, so its browser withholds our answers.
 */
export const dashboardCors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin')
  if (origin && dashboardOrigins(c.env).has(origin)) return allowDashboard(c, next)
  if (origin && c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
    c.header('Vary', 'Origin')
    return errorResponse(c, 403, 'origin_not_allowed', 'Cross-origin requests are accepted from the dashboard only.')
  }
  await next()
  // The answer depends on Origin (CORS headers or none), so caches must key on it.
  c.header('Vary', 'Origin', { append: true })
})
