import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { Config } from '../env.ts'
import type { Database } from './database-types.ts'

export type Db = SupabaseClient<Database>

// Inside a request we answer 503 at once rather than let postgrest-js back off for up to 7 s;
// callers (the dashboard, Svix, the refresh queue) retry on their own schedule.
const noRetry = { db: { retry: false } }
// The Worker holds no Supabase session of its own: no storage, no refresh timers.
const stateless = { ...noRetry, auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } }

/**
 * A client that acts as the caller: their database token (the Clerk session token, or the Worker's
 * short-lived token for an API key's user) goes to PostgREST, so row-level security decides what they
 * can see and change.
 */
export function userDb(config: Config, databaseToken: string): Db {
  return createClient<Database>(config.SUPABASE_URL, config.SUPABASE_ANON_KEY, {
    ...noRetry,
    accessToken: async () => databaseToken,
  })
}

const serviceClients = new WeakMap<Config, Db>()

/**
 * The service-role client, which bypasses RLS: for what no user may do directly (the Clerk webhook,
 * connect states and saves, sync results, the token engine, health), always after the Worker has
 * checked who the caller is (docs/architecture.md, Components). One per isolate.
 */
export function serviceDb(config: Config): Db {
  let client = serviceClients.get(config)
  if (!client) {
    client = createClient<Database>(config.SUPABASE_URL, config.SUPABASE_SERVICE_ROLE_KEY, stateless)
    serviceClients.set(config, client)
  }
  return client
}

/**
 * What a failed call says about the request: `invalid` when Postgres refused a value (SQLSTATE class 22,
 * data exception, or 23, integrity constraint violation: the same input fails again), `conflict` when it
 * collided with existing rows (unique, exclusion or foreign-key violation: it may pass once they change),
 * `unavailable` for everything else: no answer, a 5xx, PostgREST's own PGRST codes (connection pool,
 * schema cache), serialization failures and deadlocks, which are worth retrying.
 */
export type DatabaseErrorKind = 'invalid' | 'conflict' | 'unavailable'

const CONFLICT_CODES = new Set(['23505', '23P01', '23503'])

function kindOf(pgCode: string | undefined): DatabaseErrorKind {
  if (!pgCode || !/^2[23][0-9A-Z]{3}$/.test(pgCode)) return 'unavailable'
  return CONFLICT_CODES.has(pgCode) ? 'conflict' : 'invalid'
}

/** A database call failed (PostgREST unreachable or an error answer); carries no query data. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError'
  readonly operation: string
  readonly pgCode: string | undefined
  readonly kind: DatabaseErrorKind
  constructor(operation: string, pgCode?: string) {
    super(`database call failed: ${operation}${pgCode ? ` (${pgCode})` : ''}`)
    this.operation = operation
    this.pgCode = pgCode
    this.kind = kindOf(pgCode)
  }
}

/** Unwraps a supabase-js result, turning its error into a DatabaseError that names the operation. */
export function check<T>(operation: string, result: { data: T; error: { code?: string } | null }): T {
  if (result.error) throw new DatabaseError(operation, result.error.code)
  return result.data
}
