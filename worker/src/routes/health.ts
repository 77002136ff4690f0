import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.ts'
import { encryptingKeyId } from '../crypto/token-cipher.ts'
import { tokenEngineHealth } from '../db/grants.ts'
import { DatabaseError, serviceDb } from '../db/supabase.ts'
import { type Bindings, ConfigError, parseAmazonConfig, parseConfig } from '../env.ts'
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

const lwaClientState = z.enum(['ok', 'rejected', 'failing', 'unknown']).openapi({
  description: '`rejected`: the last token renewal was refused with invalid_client (fix the LWA credentials); `failing`: it failed for another reason; `unknown`: no renewal yet',
})

const TokensHealthSchema = z
  .object({
    amazon_credentials: z.object({ sp_api: lwaClientState, ads: lwaClientState }),
    grants_on_older_keys: z.number().int().openapi({ description: 'Stored grants still encrypted under an older FERNET_KEYS key; rotation is done at 0' }),
  })
  .openapi('TokensHealth')

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string().openapi({ example: version }),
    database: z.enum(['reachable', 'unreachable']),
    tokens: TokensHealthSchema.nullable().openapi({ description: 'The token engine; null when the Amazon settings are missing or the database is unreachable' }),
  })
  .openapi('Health')

function clientState(outcome: string | null): z.infer<typeof lwaClientState> {
  if (outcome === null) return 'unknown'
  if (outcome === 'ok') return 'ok'
  return outcome === 'invalid_client' ? 'rejected' : 'failing'
}

/** What the token engine reports; null without Amazon settings. Counts and states only, nothing secret. */
async function tokensHealth(env: Bindings): Promise<z.infer<typeof TokensHealthSchema> | null> {
  let amazon
  try {
    amazon = parseAmazonConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return null
    throw error
  }
  let health
  try {
    health = await tokenEngineHealth(serviceDb(parseConfig(env)), await encryptingKeyId(amazon))
  } catch (error) {
    if (error instanceof DatabaseError) return null
    throw error
  }
  return {
    amazon_credentials: { sp_api: clientState(health.sp_api_client), ads: clientState(health.ads_client) },
    grants_on_older_keys: health.grants_on_older_keys,
  }
}

const healthRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Service health',
  description:
    'Whether the Worker is configured and the database (PostgREST) answers within 2 s, and the token engine’s state: ' +
    'whether Amazon accepts our LWA credentials, and how many grants a key rotation still has to re-encrypt.',
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
    const body = {
      version,
      database: reachable ? ('reachable' as const) : ('unreachable' as const),
      tokens: reachable ? await tokensHealth(c.env) : null,
    }
    return reachable ? c.json({ status: 'ok' as const, ...body }, 200) : c.json({ status: 'degraded' as const, ...body }, 503)
  })
