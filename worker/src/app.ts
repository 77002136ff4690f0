import { Hono } from 'hono'
import type { AppEnv } from './app-env.ts'
import { ConfigError } from './env.ts'
import { errorResponse } from './errors.ts'
import { healthRoutes } from './routes/health.ts'

export function createApp() {
  // Handlers first: basePath() clones the app, carrying over what is registered at that moment.
  const app = new Hono<AppEnv>()
    .notFound((c) => errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`))
    .onError((error, c) => {
      if (error instanceof ConfigError) {
        console.error(error.message)
        return errorResponse(c, 503, 'config_invalid', error.message)
      }
      console.error('unhandled error:', error.name)
      return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side; try again shortly.')
    })
  return app.basePath('/api').route('/health', healthRoutes)
}

export type AppType = ReturnType<typeof createApp>
