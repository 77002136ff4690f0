// Reads the schema the way the local stack applies it: the platform SQL (what a Supabase project
// provides), then supabase/migrations/*.sql in file-name order, then optionally supabase/seed.sql.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export const platformSqlPath = join(repoRoot, 'dev/db/supabase-platform.sql')
export const migrationsDir = join(repoRoot, 'supabase/migrations')
export const seedSqlPath = join(repoRoot, 'supabase/seed.sql')

/** Supabase CLI naming: a 14-digit timestamp, an underscore, a name. Other files are not migrations. */
export const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.sql$/

export function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
}

export function readSql(path: string): string {
  return readFileSync(path, 'utf8')
}

type SqlTarget = {
  exec(sql: string): Promise<unknown>
  transaction<T>(fn: (tx: { exec(sql: string): Promise<unknown> }) => Promise<T>): Promise<T>
}

export async function applySchema(db: SqlTarget, options: { seed?: boolean } = {}): Promise<void> {
  await db.exec(readSql(platformSqlPath))
  // Each migration in its own transaction, as the Supabase CLI (and dev/db/migrate.ts) apply them.
  for (const name of migrationFiles()) {
    const sql = readSql(join(migrationsDir, name))
    try {
      await db.transaction((tx) => tx.exec(sql))
    } catch (error) {
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error })
    }
  }
  if (options.seed) await db.exec(readSql(seedSqlPath))
}
