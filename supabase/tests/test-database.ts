// A throwaway database for the schema tests: in-process PGlite by default, or a fresh database on a real
// PostgreSQL server — the test run's own in 'postgres' mode (SELLERSYNC_DB=postgres), or one that
// SCHEMA_TEST_DATABASE_URL names (a superuser URL). The database is created for the run and dropped
// afterwards. Both expose the same small interface.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'

export interface Queryable {
  /** One statement with $1… parameters; returns the rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
  /** Several statements, no parameters (simple protocol). */
  exec(text: string): Promise<void>
}

export interface TestDatabase extends Queryable {
  /** Commits if fn resolves, rolls back if it throws (and rethrows). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Whether two transactions can run at once (a server) or are serialized (PGlite). */
  concurrent: boolean
  mode: 'pglite' | 'postgres'
  close(): Promise<void>
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.SCHEMA_TEST_DATABASE_URL || inject('databaseServerUrl')
  return url ? openPostgres(url) : openPglite()
}

async function openPglite(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite')
  const pg = await PGlite.create()
  type PgliteTx = { query: typeof pg.query; exec: typeof pg.exec }
  const wrap = (q: PgliteTx): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      return (await q.query<T>(text, params)).rows
    },
    async exec(text: string) {
      await q.exec(text)
    },
  })
  return {
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    concurrent: false,
    mode: 'pglite',
    close: () => pg.close(),
  }
}

async function openPostgres(adminUrl: string): Promise<TestDatabase> {
  const { default: postgres } = await import('postgres')
  const quiet = { onnotice: () => {} }
  const admin = postgres(adminUrl, { max: 1, ...quiet })
  const name = `sellersync_schema_test_${randomBytes(6).toString('hex')}`
  await admin.unsafe(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const sql = postgres(url.toString(), { max: 4, ...quiet })
  type Sql = typeof sql
  const wrap = (q: Pick<Sql, 'unsafe'>): Queryable => ({
    async query<T>(text: string, params: unknown[] = []) {
      return [...(await q.unsafe(text, params as never[]))] as T[]
    },
    async exec(text: string) {
      await q.unsafe(text).simple()
    },
  })
  return {
    ...wrap(sql),
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) =>
      (await sql.begin((tx) => fn(wrap(tx)))) as T,
    concurrent: true,
    mode: 'postgres',
    async close() {
      await sql.end()
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

export type ApiRole = 'anon' | 'authenticated' | 'service_role'

/**
 * Runs fn in a transaction as PostgREST would for a request: `set local role` plus the verified claims
 * in `request.jwt.claims`. A user's claims are what Clerk's Supabase integration puts in a session token.
 */
export function asRole<T>(
  db: TestDatabase,
  role: ApiRole,
  claims: Record<string, unknown> | null,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`set local role ${role}`)
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims ? JSON.stringify(claims) : ''])
    return fn(tx)
  })
}

export const asUser = <T>(db: TestDatabase, sub: string, fn: (tx: Queryable) => Promise<T>) =>
  asRole(db, 'authenticated', { sub, role: 'authenticated' }, fn)

export const asAnon = <T>(db: TestDatabase, fn: (tx: Queryable) => Promise<T>) =>
  asRole(db, 'anon', { role: 'anon' }, fn)

export const asService = <T>(db: TestDatabase, fn: (tx: Queryable) => Promise<T>) =>
  asRole(db, 'service_role', { role: 'service_role' }, fn)
