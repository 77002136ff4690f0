import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import postgres from 'postgres'
import type { RunningDatabase } from './database.ts'

const root = new URL('../../', import.meta.url).pathname
const platformSql = join(root, 'dev/db/supabase-platform.sql')
const migrationsDir = join(root, 'supabase/migrations')
const seedSql = join(root, 'supabase/seed.sql')

/** supabase/migrations/<14-digit version>_<name>.sql, in version order (the Supabase CLI's rule). */
export function listMigrations(): Array<{ version: string; name: string; path: string }> {
  return readdirSync(migrationsDir)
    .map((file) => /^(\d{14})_(.+)\.sql$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([file, version, name]) => ({ version: version!, name: name!, path: join(migrationsDir, file!) }))
    .sort((a, b) => a.version.localeCompare(b.version))
}

/**
 * Brings a database up to date: the Supabase platform bootstrap (idempotent, not a migration),
 * then every migration not yet recorded in supabase_migrations.schema_migrations (the table the
 * Supabase CLI keeps), each in its own transaction; the seed only on a fresh database.
 */
export async function applyMigrations(database: RunningDatabase, { seed = false } = {}): Promise<string[]> {
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
  try {
    await sql.unsafe(readFileSync(platformSql, 'utf8')).simple()
    if (database.authenticatorPassword) {
      await sql.unsafe(`alter role authenticator with password '${database.authenticatorPassword}'`)
    }
    await sql.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, name text, statements text[]);
    `).simple()
    const applied = new Set((await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map((r) => r.version))
    const fresh = applied.size === 0
    const pending = listMigrations().filter((m) => !applied.has(m.version))
    for (const migration of pending) {
      const text = readFileSync(migration.path, 'utf8')
      await sql.begin(async (tx) => {
        await tx.unsafe(text).simple()
        await tx`insert into supabase_migrations.schema_migrations (version, name) values (${migration.version}, ${migration.name})`
      })
    }
    if (seed && fresh) await sql.unsafe(readFileSync(seedSql, 'utf8')).simple()
    return pending.map((m) => m.version)
  } finally {
    await sql.end({ timeout: 5 })
  }
}
