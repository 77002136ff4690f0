import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { parseConfig } from '../env.ts'
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

export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const config = parseConfig(c.env)
  const reachable = await databaseReachable(config.SUPABASE_URL, config.SUPABASE_ANON_KEY)
  return c.json(
    { status: reachable ? 'ok' : 'degraded', version, database: reachable ? 'reachable' : 'unreachable' },
    reachable ? 200 : 503,
  )
})
