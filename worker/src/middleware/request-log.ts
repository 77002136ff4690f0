import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../app-env.ts'

/**
 * One line per request: method, path, status, time, request id. The query string is left out on
 * purpose: OAuth callbacks carry authorization codes and state there.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now()
  await next()
  console.log(`${c.req.method} ${c.req.path} ${c.res.status} ${Date.now() - started}ms id=${c.var.requestId}`)
})
