import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.ts'
import { parseConfig } from '../env.ts'
import { ErrorBodySchema } from '../errors.ts'
import { version } from '../../../package.json'

const DATABASE_TIMEOUT_MS = 2_000

/** Asks PostgREST (through the Supabase gateway) for its root; any answer but 2xx means unreachable. */
async function databaseReachable(supabaseUrl: string, anonKey: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/rest/v1/', supabaseUrl), {
      method: 'HEAD',
      headers: { apikey: anonKey },
      signal: AbortSignal.timeout(DATABASE_TIMEOUT_MS),
    })
    return response.ok
  } catch {
    return false
  }
}

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string().openapi({ example: version }),
    database: z.enum(['reachable', 'unreachable']),
  })
  .openapi('Health')

const healthRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Service health',
  description: 'Whether the Worker is configured and the database (PostgREST) answers within 2 s.',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      description: 'The database is unreachable (body as for 200), or the configuration is invalid (error body)',
      content: { 'application/json': { schema: z.union([HealthSchema, ErrorBodySchema]) } },
    },
  },
})

const LivenessSchema = z.object({ status: z.literal('ok'), version: z.string() }).openapi('Liveness')

const livenessRoute = createRoute({
  method: 'get',
  path: '/live',
  tags: ['Health'],
  summary: 'Liveness',
  description: 'Answers as soon as the Worker runs, without touching the database or the configuration.',
  responses: { 200: { description: 'The Worker is up', content: { 'application/json': { schema: LivenessSchema } } } },
})

export const healthRoutes = new OpenAPIHono<AppEnv>()
  .openapi(livenessRoute, (c) => c.json({ status: 'ok' as const, version }, 200))
  .openapi(healthRoute, async (c) => {
    const config = parseConfig(c.env)
    const reachable = await databaseReachable(config.SUPABASE_URL, config.SUPABASE_ANON_KEY)
    const body = { version, database: reachable ? ('reachable' as const) : ('unreachable' as const) }
    return reachable ? c.json({ status: 'ok' as const, ...body }, 200) : c.json({ status: 'degraded' as const, ...body }, 503)
  })
