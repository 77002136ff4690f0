import { join } from 'node:path'
import { applyMigrations } from './migrate.ts'
import { startPglite } from './pglite.ts'
import { connectExternalPostgres, startPostgresServer } from './postgres-server.ts'

/** A database the local stack can put PostgREST in front of. */
export type RunningDatabase = {
  mode: 'pglite' | 'postgres'
  /** Superuser connection, used for migrations. */
  adminUrl: string
  /** The connection PostgREST uses (role `authenticator`). */
  postgrestUrl: string
  /** Extra PostgREST settings this kind of database needs. */
  postgrestSettings: Record<string, string>
  /** Set on servers that check passwords: the migrator gives `authenticator` this password. */
  authenticatorPassword?: string
  stop(): Promise<void>
}

export type DatabaseChoice = { mode: 'pglite' } | { mode: 'postgres'; url?: string }

/**
 * Which database to use, from the environment:
 *   DATABASE_URL=postgres://…   an existing PostgreSQL server (superuser URL; the schema is applied to it)
 *   SELLERSYNC_DB=postgres       a private PostgreSQL server started from the machine's binaries
 *   otherwise                    embedded PGlite (no install)
 */
export function databaseChoiceFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseChoice {
  if (env.DATABASE_URL) return { mode: 'postgres', url: env.DATABASE_URL }
  const mode = env.SELLERSYNC_DB ?? 'pglite'
  if (mode === 'pglite' || mode === 'postgres') return { mode }
  throw new Error(`SELLERSYNC_DB must be "pglite" or "postgres", not "${mode}".`)
}

/**
 * Starts (or connects to) the database and brings its schema up to date: the Supabase platform
 * bootstrap, then supabase/migrations, then (if asked) supabase/seed.sql.
 * `stateDir` null means throwaway (tests); otherwise data persists under it.
 */
export async function startDatabase(
  choice: DatabaseChoice,
  { stateDir, port, seed = false }: { stateDir: string | null; port?: number; seed?: boolean },
): Promise<RunningDatabase> {
  const database =
    choice.mode === 'pglite'
      ? await startPglite({ dataDir: stateDir && join(stateDir, 'pglite'), port })
      : choice.url
        ? await connectExternalPostgres(choice.url)
        : await startPostgresServer({ dataDir: stateDir && join(stateDir, 'postgres'), port })
  try {
    await applyMigrations(database, { seed })
  } catch (error) {
    await database.stop()
    throw error
  }
  return database
}
