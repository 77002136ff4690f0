// The schema in an embedded Postgres (PGlite), or on a real server with SCHEMA_TEST_DATABASE_URL
// (a superuser URL, e.g. postgres://postgres@127.0.0.1:5432/postgres: a throwaway database is created
// and dropped, and the concurrency tests run too): dev/db/supabase-platform.sql, then supabase/migrations/*. Requests are simulated the way PostgREST
// makes them (`set local role …` + `request.jwt.claims`), so RLS and grants are exercised for real.
// The same rules through the real PostgREST and supabase-js are in rls.test.ts.
import { createHash, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  MIGRATION_FILE,
  applySchema,
  migrationFiles,
  migrationsDir,
  platformSqlPath,
  readSql,
  seedSqlPath,
} from './load-schema.ts'
import { type Queryable, type TestDatabase, asAnon, asService, asUser, openTestDatabase } from './test-database.ts'

let db: TestDatabase

beforeAll(async () => {
  db = await openTestDatabase()
  // Twice: the platform file must be idempotent (the dev stack re-applies it on every start).
  await db.exec(readSql(platformSqlPath))
  await applySchema(db, { seed: true })
}, 60_000)

afterAll(async () => {
  await db?.close()
})

// ── fixtures (written as the migration owner, i.e. bypassing RLS and grants) ────────────────────────
let counter = 0
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++counter}`
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

async function makeUser(id = unique('user')): Promise<string> {
  await db.query(`insert into public.users (id, email, clerk_updated_at) values ($1, $2, 1)`, [id, `${id}@example.com`])
  return id
}

async function makeAccount(
  userId: string,
  fields: { isDefault?: boolean; status?: string; provider?: string; grantId?: string | null } = {},
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into public.user_accounts (user_id, provider, region, external_id, is_default, status, grant_id)
     values ($1, $2, 'na', $3, $4, $5, $6) returning id`,
    [userId, fields.provider ?? 'sp_api', unique('A1SELLER'), fields.isDefault ?? false, fields.status ?? 'active', fields.grantId ?? null],
  )
  return row!.id
}

type GrantFixture = {
  provider?: 'sp_api' | 'ads'
  status?: 'active' | 'refreshing' | 'reauth_required' | 'error'
  /** Lifetime of the stored access token from now; null: no access token. */
  expiresIn?: string | null
  /** next_refresh_at a minute ago; otherwise 5 minutes before expiry, as the functions schedule it. */
  due?: boolean
  attempts?: number
  refreshToken?: string
  keyId?: string
}

async function makeGrant(userId: string, grant: GrantFixture = {}): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into public.amazon_grants
       (user_id, provider, region, refresh_token, access_token, access_token_expires_at, fernet_key_id, status,
        refresh_attempts, next_refresh_at)
     select $1, $2, 'na', $3, case when x.expires_at is null then null else 'gAAAA-access' end, x.expires_at, $5, $6, $7,
            case when $8::boolean then now() - interval '1 minute'
                 else coalesce(x.expires_at - interval '5 minutes', now()) end
       from (select now() + $4::interval as expires_at) x
     returning id`,
    [
      userId,
      grant.provider ?? 'ads',
      grant.refreshToken ?? 'gAAAA-refresh',
      grant.expiresIn === undefined ? '1 hour' : grant.expiresIn,
      grant.keyId ?? 'k1',
      grant.status ?? 'active',
      grant.attempts ?? 0,
      grant.due ?? false,
    ],
  )
  return row!.id
}

/** One consent: a grant and the accounts (Ads profiles by default) that share it. */
async function makeConsent(
  userId: string,
  grant: GrantFixture & { accounts?: number; accountStatus?: string } = {},
): Promise<{ grantId: string; accountIds: string[] }> {
  const grantId = await makeGrant(userId, grant)
  const accountIds: string[] = []
  for (let i = 0; i < (grant.accounts ?? 1); i++) {
    accountIds.push(await makeAccount(userId, { provider: grant.provider ?? 'ads', status: grant.accountStatus, grantId }))
  }
  return { grantId, accountIds }
}

async function one<T>(q: Queryable, text: string, params: unknown[] = []): Promise<T> {
  const rows = await q.query<T>(text, params)
  expect(rows).toHaveLength(1)
  return rows[0]!
}

type GrantRow = {
  id: string
  user_id: string
  provider: string
  region: string
  refresh_token: string
  access_token: string | null
  fernet_key_id: string
  status: string
  refresh_attempts: number
  last_error_class: string | null
  lease_owner: string | null
  lease_expires_at: Date | null
  refresh_started_at: Date | null
  last_attempt_at: Date | null
  last_refreshed_at: Date | null
}

const grantOf = (id: string) => one<GrantRow>(db, `select * from public.amazon_grants where id = $1`, [id])
/** The whole row, to show that a refused call wrote nothing (not even updated_at). */
const snapshotOf = (id: string) =>
  one<{ row: Record<string, unknown> }>(db, `select to_jsonb(g) as row from public.amazon_grants g where id = $1`, [id]).then((r) => r.row)
const grantExists = async (id: string) =>
  (await db.query(`select 1 from public.amazon_grants where id = $1`, [id])).length === 1
const accountsOf = (ids: string[]) =>
  db.query<{ id: string; status: string; last_error: string | null; grant_id: string | null }>(
    `select id, status, last_error, grant_id from public.user_accounts where id = any($1::uuid[]) order by array_position($1::uuid[], id)`,
    [ids],
  )
const eventsOf = (accountId: string) =>
  db
    .query<{ kind: string; detail: Record<string, unknown> | null }>(
      `select kind, detail from public.account_events where account_id = $1 order by id`,
      [accountId],
    )

// The grant functions, called as the Worker calls them (service role), one transaction each.
type Claimed = { grant_id: string; lease_owner: string; refresh_attempts: number }
const claimDue = (q: Queryable, limit = 1000, leaseSeconds = 120) =>
  q.query<Claimed>(`select * from public.claim_due_grants($1, $2)`, [limit, leaseSeconds])
/** Other suites' grants may be due too: keep the test's own. */
const onlyThese = (rows: Claimed[], grantIds: string[]) => rows.filter((r) => grantIds.includes(r.grant_id))

type Started = { id: string; status: string; refresh_token: string; access_token: string | null; fernet_key_id: string; refresh_attempts: number }
const startRefresh = (grantId: string, owner: string, claimedOwner: string | null = null, leaseSeconds = 60) =>
  asService(db, (tx) =>
    tx.query<Started>(`select * from public.start_grant_refresh($1, $2, $3, $4)`, [grantId, owner, claimedOwner, leaseSeconds]),
  )
const completeRefresh = (
  grantId: string,
  owner: string,
  tokens: { access?: string; expiresIn?: string; refresh?: string | null; keyId?: string } = {},
) =>
  asService(db, (tx) =>
    one<{ won: boolean }>(
      tx,
      `select public.complete_grant_refresh($1, $2, $3, now() + $4::interval, $5, $6) as won`,
      [grantId, owner, tokens.access ?? 'gAAAA-access-new', tokens.expiresIn ?? '1 hour', tokens.refresh ?? null, tokens.keyId ?? 'k1'],
    ),
  ).then((r) => r.won)
const failRefresh = (grantId: string, owner: string, errorClass: string) =>
  asService(db, (tx) =>
    one<{ status: string | null }>(tx, `select public.fail_grant_refresh($1, $2, $3) as status`, [grantId, owner, errorClass]),
  ).then((r) => r.status)
const releaseGrant = (grantId: string, owner: string) =>
  asService(db, (tx) => one<{ released: boolean }>(tx, `select public.release_grant($1, $2) as released`, [grantId, owner])).then(
    (r) => r.released,
  )

/** Runs fn in a transaction that is rolled back, so what it writes cannot leak into other tests. */
class RolledBack extends Error {}
async function rolledBack<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
  let result: T
  await expect(
    db.transaction(async (tx) => {
      result = await fn(tx)
      throw new RolledBack()
    }),
  ).rejects.toBeInstanceOf(RolledBack)
  return result!
}

// ── files and platform ───────────────────────────────────────────────────────────────────────────
describe('migration files', () => {
  it('all follow the Supabase CLI naming, so none is skipped', () => {
    const files = migrationFiles()
    expect(files.length).toBeGreaterThan(0)
    for (const name of files) expect(name).toMatch(MIGRATION_FILE)
  })
})

describe('platform SQL', () => {
  it('runs again on a database that already has it and the migrations, without changing privileges', async () => {
    await db.exec(readSql(platformSqlPath))
    const row = await one<{ anon_grants: boolean; auth_health: boolean; auth_tokens: boolean; svc_grants: boolean }>(
      db,
      `select has_any_column_privilege('anon', 'public.amazon_grants', 'select,insert,update,references') as anon_grants,
              has_column_privilege('authenticated', 'public.amazon_grants', 'status', 'select') as auth_health,
              has_column_privilege('authenticated', 'public.amazon_grants', 'refresh_token', 'select') as auth_tokens,
              has_table_privilege('service_role', 'public.amazon_grants', 'select,insert,update,delete') as svc_grants`,
    )
    expect(row).toEqual({ anon_grants: false, auth_health: true, auth_tokens: false, svc_grants: true })
  })

  it('creates the API roles the way Supabase has them', async () => {
    const roles = await db.query<{ rolname: string; rolcanlogin: boolean; rolinherit: boolean; rolbypassrls: boolean }>(
      `select rolname, rolcanlogin, rolinherit, rolbypassrls from pg_roles
        where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by rolname`,
    )
    expect(roles).toEqual([
      { rolname: 'anon', rolcanlogin: false, rolinherit: false, rolbypassrls: false },
      { rolname: 'authenticated', rolcanlogin: false, rolinherit: false, rolbypassrls: false },
      { rolname: 'authenticator', rolcanlogin: true, rolinherit: false, rolbypassrls: false },
      { rolname: 'service_role', rolcanlogin: false, rolinherit: false, rolbypassrls: true },
    ])
    const members = await db.query<{ rolname: string }>(
      `select r.rolname from pg_auth_members m
         join pg_roles r on r.oid = m.roleid
         join pg_roles u on u.oid = m.member
        where u.rolname = 'authenticator' order by r.rolname`,
    )
    expect(members.map((m) => m.rolname)).toEqual(['anon', 'authenticated', 'service_role'])
  })

  it('auth.jwt() and auth.role() read request.jwt.claims; auth.uid() rejects a Clerk id', async () => {
    const row = await asUser(db, 'user_2abcDEF', (tx) =>
      one<{ sub: string; role: string }>(tx, `select auth.jwt() ->> 'sub' as sub, auth.role() as role`),
    )
    expect(row).toEqual({ sub: 'user_2abcDEF', role: 'authenticated' })
    await expect(asUser(db, 'user_2abcDEF', (tx) => tx.query(`select auth.uid()`))).rejects.toMatchObject({
      code: '22P02',
    })
    // After the transaction that set them, the claims read as '' — auth.jwt() must give NULL, not fail.
    const after = await one<{ jwt: unknown }>(db, `select auth.jwt() as jwt`)
    expect(after.jwt).toBeNull()
  })
})

// ── triggers ─────────────────────────────────────────────────────────────────────────────────────
describe('updated_at trigger', () => {
  it.each([
    ['users', `update public.users set email = 'new@example.com' where id = $1`],
    ['user_accounts', `update public.user_accounts set display_name = 'Renamed' where id = $1`],
    ['amazon_grants', `update public.amazon_grants set last_error_class = 'throttled' where id = $1`],
  ])('stamps %s.updated_at on every update', async (table, update) => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId)
    const id = { users: userId, user_accounts: accountIds[0]!, amazon_grants: grantId }[table]!
    // The rows were written in earlier transactions, so only the trigger can make updated_at = now() here.
    const row = await db.transaction(async (tx) => {
      await tx.query(update, [id])
      return one<{ fresh: boolean }>(tx, `select updated_at = now() as fresh from public.${table} where id = $1`, [id])
    })
    expect(row.fresh).toBe(true)
  })

  it('overrides an updated_at the statement tries to set', async () => {
    const userId = await makeUser()
    await db.query(`update public.users set updated_at = '1999-01-01T00:00:00Z' where id = $1`, [userId])
    const row = await one<{ year: number }>(db, `select extract(year from updated_at)::int as year from public.users where id = $1`, [userId])
    expect(row.year).not.toBe(1999)
  })
})


// ── constraints ──────────────────────────────────────────────────────────────────────────────────
describe('constraints', () => {
  it('allows at most one default account per user', async () => {
    const userA = await makeUser()
    const userB = await makeUser()
    await makeAccount(userA, { isDefault: true })
    await makeAccount(userB, { isDefault: true }) // another user's default is fine
    await makeAccount(userA, { isDefault: false })
    await expect(makeAccount(userA, { isDefault: true })).rejects.toMatchObject({ code: '23505' })
  })

  it('keeps one row per (user, provider, region, external id)', async () => {
    const userId = await makeUser()
    const insert = () =>
      db.query(
        `insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'ads', 'eu', 'PROFILE1')`,
        [userId],
      )
    await insert()
    await expect(insert()).rejects.toMatchObject({ code: '23505' })
  })

  it.each([
    ['an unknown provider', `insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'mws', 'na', 'X')`],
    ['an unknown region', `insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'sp_api', 'us', 'X')`],
    ['an unknown status', `insert into public.user_accounts (user_id, provider, region, external_id, status) values ($1, 'sp_api', 'na', 'X', 'paused')`],
    ['a blank display name', `insert into public.user_accounts (user_id, provider, region, external_id, display_name) values ($1, 'sp_api', 'na', 'X', '   ')`],
    ['a 101-character display name', `insert into public.user_accounts (user_id, provider, region, external_id, display_name) values ($1, 'sp_api', 'na', 'X', repeat('x', 101))`],
    ['a null marketplace', `insert into public.user_accounts (user_id, provider, region, external_id, marketplaces) values ($1, 'sp_api', 'na', 'X', array['ATVPDKIKX0DER', null])`],
    ['a raw (unhashed) oauth state', `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash) values ('raw-state', $1, 'sp_api', 'na', repeat('a', 64))`],
    ['an unknown event kind', `insert into public.account_events (user_id, kind) values ($1, 'hacked')`],
    ['an unknown grant status', `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, status) values ($1, 'ads', 'na', 'r', 'k1', 'paused')`],
    ['an unknown refresh error class', `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, last_error_class) values ($1, 'ads', 'na', 'r', 'k1', 'timeout')`],
    ['a negative attempt count', `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, refresh_attempts) values ($1, 'ads', 'na', 'r', 'k1', -1)`],
    ['a lease owner without an expiry', `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, lease_owner) values ($1, 'ads', 'na', 'r', 'k1', gen_random_uuid())`],
    ['a lease expiry without an owner', `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, lease_expires_at) values ($1, 'ads', 'na', 'r', 'k1', now())`],
  ])('rejects %s', async (_what, insert) => {
    const userId = await makeUser()
    await expect(db.query(insert, [userId])).rejects.toMatchObject({ code: '23514' })
  })
})

// ── functions ────────────────────────────────────────────────────────────────────────────────────
describe('sync_clerk_user', () => {
  const sync = (q: Queryable, id: string, firstName: string, updatedAt: number) =>
    one<{ applied: boolean }>(
      q,
      `select public.sync_clerk_user($1, $2, $3, 'Last', null, $4) as applied`,
      [id, `${id}@example.com`, firstName, updatedAt],
    ).then((r) => r.applied)
  const firstName = async (id: string) =>
    (await one<{ first_name: string; ts: number }>(db, `select first_name, clerk_updated_at::float8 as ts from public.users where id = $1`, [id]))

  it('inserts, applies newer events and ignores older ones', async () => {
    const id = unique('user_clerk')
    await asService(db, async (tx) => {
      expect(await sync(tx, id, 'First', 1_700_000_000_000)).toBe(true)
      expect(await sync(tx, id, 'Newer', 1_700_000_000_500)).toBe(true)
      expect(await sync(tx, id, 'Older', 1_700_000_000_100)).toBe(false)
    })
    expect(await firstName(id)).toEqual({ first_name: 'Newer', ts: 1_700_000_000_500 })
    // The same event delivered again is applied again (same data): idempotent.
    expect(await asService(db, (tx) => sync(tx, id, 'Newer', 1_700_000_000_500))).toBe(true)
  })

  it('is not callable by users or anon', async () => {
    const id = unique('user_clerk')
    await expect(asUser(db, id, (tx) => sync(tx, id, 'Me', Date.now()))).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, (tx) => sync(tx, id, 'Me', Date.now()))).rejects.toMatchObject({ code: '42501' })
  })
})

describe('delete_clerk_user', () => {
  const remove = (q: Queryable, id: string) => q.query(`select public.delete_clerk_user($1)`, [id])

  it('deletes the user with everything they own, leaves a tombstone, and no later event brings them back', async () => {
    const id = await makeUser()
    const { grantId } = await makeConsent(id, { accounts: 2 })
    await asService(db, (tx) => remove(tx, id))
    const left = await one<{ users: number; accounts: number; grants: number; tombstones: number }>(
      db,
      `select (select count(*)::int from public.users where id = $1) as users,
              (select count(*)::int from public.user_accounts where user_id = $1) as accounts,
              (select count(*)::int from public.amazon_grants where id = $2 or user_id = $1) as grants,
              (select count(*)::int from public.deleted_users where id = $1) as tombstones`,
      [id, grantId],
    )
    expect(left).toEqual({ users: 0, accounts: 0, grants: 0, tombstones: 1 })
    const resurrect = (tx: Queryable) =>
      one<{ applied: boolean }>(tx, `select public.sync_clerk_user($1, 'late@example.com', 'Late', null, null, $2) as applied`, [id, Date.now()])
    expect(await asService(db, resurrect)).toEqual({ applied: false })
    expect(await one<{ n: number }>(db, `select count(*)::int as n from public.users where id = $1`, [id])).toEqual({ n: 0 })
    // Idempotent: Svix may deliver the delete again.
    await asService(db, (tx) => remove(tx, id))
  })

  it('is not callable by users or anon', async () => {
    const id = await makeUser()
    await expect(asUser(db, id, (tx) => remove(tx, id))).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, (tx) => remove(tx, id))).rejects.toMatchObject({ code: '42501' })
    expect(await one<{ n: number }>(db, `select count(*)::int as n from public.users where id = $1`, [id])).toEqual({ n: 1 })
  })
})

describe('consume_oauth_state', () => {
  async function makeState(userId: string, expiresIn = '10 minutes') {
    const state = unique('state')
    const nonce = unique('nonce')
    await db.query(
      `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash, expires_at)
       values ($1, $2, 'sp_api', 'na', $3, now() + $4::interval)`,
      [sha256(state), userId, sha256(nonce), expiresIn],
    )
    return { stateHash: sha256(state), nonceHash: sha256(nonce) }
  }
  const consume = (stateHash: string, nonceHash: string) =>
    asService(db, (tx) =>
      tx.query<{ user_id: string; consumed_at: unknown }>(`select * from public.consume_oauth_state($1, $2)`, [stateHash, nonceHash]),
    )

  it('returns the state once, marked consumed', async () => {
    const userId = await makeUser()
    const { stateHash, nonceHash } = await makeState(userId)
    const first = await consume(stateHash, nonceHash)
    expect(first).toHaveLength(1)
    expect(first[0]!.user_id).toBe(userId)
    expect(first[0]!.consumed_at).not.toBeNull()
    expect(await consume(stateHash, nonceHash)).toEqual([])
  })

  it('refuses a wrong nonce without burning the state', async () => {
    const { stateHash, nonceHash } = await makeState(await makeUser())
    expect(await consume(stateHash, sha256('someone else'))).toEqual([])
    expect(await consume(stateHash, nonceHash)).toHaveLength(1)
  })

  it('refuses an expired state', async () => {
    const { stateHash, nonceHash } = await makeState(await makeUser(), '-1 second')
    expect(await consume(stateHash, nonceHash)).toEqual([])
  })

  it('defaults to a 10-minute lifetime', async () => {
    const userId = await makeUser()
    const row = await one<{ ok: boolean }>(
      db,
      `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash)
       values ($1, $2, 'ads', 'fe', $3) returning expires_at = now() + interval '10 minutes' as ok`,
      [sha256(unique('s')), userId, sha256(unique('n'))],
    )
    expect(row.ok).toBe(true)
  })

  it('is not callable by users', async () => {
    const userId = await makeUser()
    const { stateHash, nonceHash } = await makeState(userId)
    await expect(
      asUser(db, userId, (tx) => tx.query(`select * from public.consume_oauth_state($1, $2)`, [stateHash, nonceHash])),
    ).rejects.toMatchObject({ code: '42501' })
  })
})

// ── user-initiated changes: one function each, the audit event in the same transaction ─────────────
/** Events the user has, oldest first (account_id is null once the account is gone). */
const userEvents = (userId: string) =>
  db.query<{ account_id: string | null; kind: string; detail: Record<string, unknown> }>(
    `select account_id, kind, detail from public.account_events where user_id = $1 order by id`,
    [userId],
  )
const accountRow = (id: string) =>
  db.query<{ row: Record<string, unknown> }>(`select to_jsonb(a) as row from public.user_accounts a where id = $1`, [id]).then((rows) => rows[0]?.row ?? null)

/**
 * Calls fn as the user with account_events refusing every insert (a constraint added in a transaction that
 * is rolled back afterwards): shows that the change cannot outlive a failed event write.
 */
async function withEventsFailing(userId: string, fn: (tx: Queryable) => Promise<unknown>): Promise<{ code?: string }> {
  return rolledBack(async (tx) => {
    await tx.exec(`alter table public.account_events add constraint test_no_events check (false) not valid`)
    await tx.exec(`savepoint as_user`)
    await tx.exec(`set local role authenticated`)
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })])
    let failure: { code?: string } = {}
    try {
      await fn(tx)
    } catch (error) {
      failure = error as { code?: string }
    }
    await tx.exec(`rollback to savepoint as_user`)
    return failure
  })
}

describe('set_default_account', () => {
  const defaults = (userId: string) =>
    db
      .query<{ id: string }>(`select id from public.user_accounts where user_id = $1 and is_default`, [userId])
      .then((rows) => rows.map((r) => r.id))

  it("moves the caller's default in one call, with a default_changed event", async () => {
    const userId = await makeUser()
    const first = await makeAccount(userId, { isDefault: true })
    const second = await makeAccount(userId)
    const row = await asUser(db, userId, (tx) =>
      one<{ id: string; is_default: boolean }>(tx, `select id, is_default from public.set_default_account($1)`, [second]),
    )
    expect(row).toEqual({ id: second, is_default: true })
    expect(await defaults(userId)).toEqual([second])
    expect(await userEvents(userId)).toEqual([{ account_id: second, kind: 'default_changed', detail: {} }])
    // And back; also fine when the account already is the default, which changes nothing and records nothing.
    await asUser(db, userId, (tx) => tx.query(`select public.set_default_account($1)`, [first]))
    const settled = await accountRow(first)
    const again = await asUser(db, userId, (tx) => one<{ id: string; is_default: boolean }>(tx, `select id, is_default from public.set_default_account($1)`, [first]))
    expect(again).toEqual({ id: first, is_default: true })
    expect(await accountRow(first)).toEqual(settled)
    expect(await defaults(userId)).toEqual([first])
    expect((await userEvents(userId)).map((e) => [e.account_id, e.kind])).toEqual([
      [second, 'default_changed'],
      [first, 'default_changed'],
    ])
  })

  it("cannot touch another user's account (not found, nothing changed, no event)", async () => {
    const owner = await makeUser()
    const intruder = await makeUser()
    const ownersDefault = await makeAccount(owner, { isDefault: true })
    const ownersOther = await makeAccount(owner)
    await makeAccount(intruder, { isDefault: true })
    await expect(
      asUser(db, intruder, (tx) => tx.query(`select public.set_default_account($1)`, [ownersOther])),
    ).rejects.toMatchObject({ code: 'PT404' })
    await expect(asUser(db, owner, (tx) => tx.query(`select public.set_default_account($1)`, [randomUUID()]))).rejects.toMatchObject({
      code: 'PT404',
    })
    expect(await defaults(owner)).toEqual([ownersDefault])
    expect(await userEvents(owner)).toEqual([])
    expect(await userEvents(intruder)).toEqual([])
  })

  it('moves nothing when the event cannot be written', async () => {
    const userId = await makeUser()
    const first = await makeAccount(userId, { isDefault: true })
    const second = await makeAccount(userId)
    const failure = await withEventsFailing(userId, (tx) => tx.query(`select public.set_default_account($1)`, [second]))
    expect(failure.code).toBe('23514')
    expect(await defaults(userId)).toEqual([first])
  })

  it('is not callable by anon or the service role (which has no user to act for)', async () => {
    const accountId = await makeAccount(await makeUser())
    for (const asRole of [asAnon, asService]) {
      await expect(asRole(db, (tx) => tx.query(`select public.set_default_account($1)`, [accountId]))).rejects.toMatchObject({ code: '42501' })
    }
  })
})

describe('rename_account', () => {
  const rename = (userId: string, accountId: string, name: string | null) =>
    asUser(db, userId, (tx) => one<{ id: string; display_name: string | null }>(tx, `select id, display_name from public.rename_account($1, $2)`, [accountId, name]))

  it('renames and records a renamed event in the same transaction; clearing the name is a rename too', async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    expect(await rename(userId, accountId, 'EU shop')).toEqual({ id: accountId, display_name: 'EU shop' })
    expect(await rename(userId, accountId, null)).toEqual({ id: accountId, display_name: null })
    expect(await userEvents(userId)).toEqual([
      { account_id: accountId, kind: 'renamed', detail: {} },
      { account_id: accountId, kind: 'renamed', detail: {} },
    ])
  })

  it('a rename that changes nothing writes nothing: no update, no event', async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await rename(userId, accountId, 'US store')
    const before = await accountRow(accountId)
    expect(await rename(userId, accountId, 'US store')).toEqual({ id: accountId, display_name: 'US store' })
    expect(await accountRow(accountId)).toEqual(before) // not even updated_at
    expect((await userEvents(userId)).map((e) => e.kind)).toEqual(['renamed'])
    // Unnamed stays unnamed without an event either.
    const unnamed = await makeAccount(userId)
    await rename(userId, unnamed, null)
    expect((await userEvents(userId)).map((e) => e.kind)).toEqual(['renamed'])
  })

  it("cannot rename another user's account (not found, nothing changed, no event)", async () => {
    const owner = await makeUser()
    const intruder = await makeUser()
    const accountId = await makeAccount(owner)
    const before = await accountRow(accountId)
    await expect(rename(intruder, accountId, 'mine now')).rejects.toMatchObject({ code: 'PT404' })
    await expect(rename(owner, randomUUID(), 'nothing')).rejects.toMatchObject({ code: 'PT404' })
    expect(await accountRow(accountId)).toEqual(before)
    expect(await userEvents(owner)).toEqual([])
    expect(await userEvents(intruder)).toEqual([])
  })

  it("keeps display_name's rules, and renames nothing when the event cannot be written", async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await expect(rename(userId, accountId, '   ')).rejects.toMatchObject({ code: '23514' })
    await expect(rename(userId, accountId, 'x'.repeat(101))).rejects.toMatchObject({ code: '23514' })
    const failure = await withEventsFailing(userId, (tx) => tx.query(`select public.rename_account($1, 'Lost')`, [accountId]))
    expect(failure.code).toBe('23514')
    expect(await accountRow(accountId)).toMatchObject({ display_name: null })
    expect(await userEvents(userId)).toEqual([])
  })

  it('is not callable by anon or the service role', async () => {
    const accountId = await makeAccount(await makeUser())
    for (const asRole of [asAnon, asService]) {
      await expect(asRole(db, (tx) => tx.query(`select public.rename_account($1, 'x')`, [accountId]))).rejects.toMatchObject({ code: '42501' })
    }
  })
})

describe('disconnect_account', () => {
  const disconnect = (userId: string, accountId: string) =>
    asUser(db, userId, (tx) => one<{ id: string; grant_id: string | null }>(tx, `select id, grant_id from public.disconnect_account($1)`, [accountId]))

  it('deletes the account and records a disconnected event naming it, in one transaction', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId)
    const external = (await one<{ external_id: string }>(db, `select external_id from public.user_accounts where id = $1`, [accountIds[0]])).external_id
    expect(await disconnect(userId, accountIds[0]!)).toEqual({ id: accountIds[0], grant_id: grantId })
    expect(await accountRow(accountIds[0]!)).toBeNull()
    expect(await grantExists(grantId)).toBe(false)
    expect(await userEvents(userId)).toEqual([
      { account_id: null, kind: 'disconnected', detail: { account_id: accountIds[0], provider: 'ads', region: 'na', external_id: external } },
    ])
    // Gone means gone: a second disconnect finds nothing and records nothing.
    await expect(disconnect(userId, accountIds[0]!)).rejects.toMatchObject({ code: 'PT404' })
    expect(await userEvents(userId)).toHaveLength(1)
  })

  it("cannot disconnect another user's account (not found, nothing deleted, no event)", async () => {
    const owner = await makeUser()
    const intruder = await makeUser()
    const { grantId, accountIds } = await makeConsent(owner)
    await expect(disconnect(intruder, accountIds[0]!)).rejects.toMatchObject({ code: 'PT404' })
    expect(await accountRow(accountIds[0]!)).not.toBeNull()
    expect(await grantExists(grantId)).toBe(true)
    expect(await userEvents(owner)).toEqual([])
    expect(await userEvents(intruder)).toEqual([])
  })

  it('deletes nothing when the event cannot be written: never an account gone without a trace', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId)
    const failure = await withEventsFailing(userId, (tx) => tx.query(`select public.disconnect_account($1)`, [accountIds[0]]))
    expect(failure.code).toBe('23514')
    expect(await accountRow(accountIds[0]!)).not.toBeNull()
    expect(await grantExists(grantId)).toBe(true)
  })

  it('is not callable by anon or the service role', async () => {
    const accountId = await makeAccount(await makeUser())
    for (const asRole of [asAnon, asService]) {
      await expect(asRole(db, (tx) => tx.query(`select public.disconnect_account($1)`, [accountId]))).rejects.toMatchObject({ code: '42501' })
    }
    expect(await accountRow(accountId)).not.toBeNull()
  })
})

describe('the user functions run as their owner: pinned search_path', () => {
  it('every SECURITY DEFINER function in public sets an empty search_path', async () => {
    const rows = await db.query<{ name: string; config: string[] | null }>(
      `select proname as name, proconfig as config from pg_proc
        where pronamespace = 'public'::regnamespace and prosecdef order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual(['delete_orphaned_grant', 'disconnect_account', 'rename_account', 'set_default_account'])
    for (const row of rows) expect(row.config, row.name).toContain('search_path=""')
  })
})

describe('save_connected_accounts', () => {
  type Saved = { id: string; external_id: string; is_default: boolean; marketplaces: string[]; status: string; grant_id: string }
  const saveAll = (
    q: Queryable,
    userId: string,
    accounts: unknown,
    tokens: { refresh?: string; access?: string; keyId?: string; region?: string } = {},
  ) =>
    q.query<Saved>(
      `select id, external_id, is_default, marketplaces, status, grant_id from public.save_connected_accounts(
         $1, 'ads', $3, $2::text::jsonb, $4, $5, now() + interval '1 hour', $6)`,
      [userId, JSON.stringify(accounts), tokens.region ?? 'na', tokens.refresh ?? 'gAAAA-refresh', tokens.access ?? 'gAAAA-access', tokens.keyId ?? 'k1'],
    )
  const grantsOfUser = (userId: string) =>
    db.query<{ id: string }>(`select id from public.amazon_grants where user_id = $1 order by created_at, id`, [userId]).then((rows) => rows.map((r) => r.id))

  it('a first connect makes one grant that every profile shares; the first profile becomes the default', async () => {
    const userId = await makeUser()
    const rows = await asService(db, (tx) =>
      saveAll(tx, userId, [
        { external_id: '1001', marketplaces: ['ATVPDKIKX0DER'], display_name: 'US ads' },
        { external_id: '1002', marketplaces: ['A2EUQ1WTGCTBG2'], display_name: null },
      ]),
    )
    expect(rows.map(({ external_id, is_default, marketplaces, status }) => ({ external_id, is_default, marketplaces, status }))).toEqual([
      { external_id: '1001', is_default: true, marketplaces: ['ATVPDKIKX0DER'], status: 'active' },
      { external_id: '1002', is_default: false, marketplaces: ['A2EUQ1WTGCTBG2'], status: 'active' },
    ])
    const grantId = rows[0]!.grant_id
    expect(rows[1]!.grant_id).toBe(grantId)
    expect(await grantsOfUser(userId)).toEqual([grantId])
    const grant = await one<Record<string, unknown>>(
      db,
      `select user_id, provider, region, refresh_token, access_token, fernet_key_id, status, refresh_attempts, lease_owner,
              next_refresh_at = access_token_expires_at - interval '5 minutes' as scheduled
         from public.amazon_grants where id = $1`,
      [grantId],
    )
    expect(grant).toEqual({
      user_id: userId,
      provider: 'ads',
      region: 'na',
      refresh_token: 'gAAAA-refresh',
      access_token: 'gAAAA-access',
      fernet_key_id: 'k1',
      status: 'active',
      refresh_attempts: 0,
      lease_owner: null,
      scheduled: true,
    })
    for (const row of rows) expect((await eventsOf(row.id)).map((e) => e.kind)).toEqual(['connected'])
  })

  it('records the connect’s own read from Amazon as each saved account’s last sync, a first connect and a reconnect', async () => {
    const userId = await makeUser()
    const syncedRecently = (ids: string[]) =>
      db.query<{ recent: boolean | null }>(
        `select last_sync_at > now() - interval '1 minute' as recent from public.user_accounts where id = any($1::uuid[]) order by external_id`,
        [ids],
      )
    const rows = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1001' }, { external_id: '1002' }]))
    const ids = rows.map((r) => r.id)
    expect(await syncedRecently(ids)).toEqual([{ recent: true }, { recent: true }])
    // A year later Amazon lists only the first profile: that one was read again, the other was not.
    await db.query(`update public.user_accounts set last_sync_at = now() - interval '1 year' where id = any($1::uuid[])`, [ids])
    await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1001' }], { refresh: 'gAAAA-refresh-2' }))
    expect(await syncedRecently(ids)).toEqual([{ recent: true }, { recent: false }])
  })

  it('another consent (other profiles, or another region) gets a grant of its own', async () => {
    const userId = await makeUser()
    const [first] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1001' }]))
    const [other] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '2001' }], { refresh: 'gAAAA-refresh-2' }))
    const [eu] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1001' }], { region: 'eu', refresh: 'gAAAA-refresh-3' }))
    expect(new Set([first!.grant_id, other!.grant_id, eu!.grant_id]).size).toBe(3)
    expect((await grantOf(first!.grant_id)).refresh_token).toBe('gAAAA-refresh')
    expect(other!.is_default).toBe(false)
  })

  it('a reconnect renews the same grant, revokes the old lease and clears reauth_required on every account of the grant', async () => {
    const userId = await makeUser()
    const rows = await asService(db, (tx) =>
      saveAll(tx, userId, [
        { external_id: '1001', display_name: 'My US ads' },
        { external_id: '1002', display_name: null },
      ]),
    )
    const grantId = rows[0]!.grant_id
    const ids = rows.map((r) => r.id)
    // A refresher holds the lease on the old tokens; then LWA said invalid_grant for the whole consent.
    const staleOwner = randomUUID()
    expect(await startRefresh(grantId, staleOwner)).toHaveLength(1)
    await db.query(
      `update public.amazon_grants set status = 'reauth_required', refresh_attempts = 5, last_error_class = 'invalid_grant' where id = $1`,
      [grantId],
    )
    await db.query(
      `update public.user_accounts set status = 'reauth_required', last_error = 'reauth_required', authorized_at = now() - interval '1 year'
        where id = any($1::uuid[])`,
      [ids],
    )

    // Amazon lists only one of the profiles this time: the grant is still the consent of both.
    const again = await asService(db, (tx) =>
      saveAll(tx, userId, [{ external_id: '1001', display_name: 'Amazon name' }], { refresh: 'gAAAA-refresh-2', access: 'gAAAA-access-2', keyId: 'k2' }),
    )
    expect(again).toMatchObject([{ id: ids[0], grant_id: grantId, status: 'active', is_default: true }])
    expect(await grantsOfUser(userId)).toEqual([grantId])
    expect(await grantOf(grantId)).toMatchObject({
      refresh_token: 'gAAAA-refresh-2',
      access_token: 'gAAAA-access-2',
      fernet_key_id: 'k2',
      status: 'active',
      refresh_attempts: 0,
      last_error_class: null,
      lease_owner: null,
      lease_expires_at: null,
      refresh_started_at: null,
    })
    expect(await accountsOf(ids)).toEqual([
      { id: ids[0], status: 'active', last_error: null, grant_id: grantId },
      { id: ids[1], status: 'active', last_error: null, grant_id: grantId },
    ])
    const authorized = await db.query<{ recent: boolean }>(
      `select authorized_at > now() - interval '1 minute' as recent from public.user_accounts where id = any($1::uuid[])`,
      [ids],
    )
    expect(authorized).toEqual([{ recent: true }, { recent: true }])
    // The name the user chose stays; the refresher on the old tokens can no longer write.
    expect(await one(db, `select display_name from public.user_accounts where id = $1`, [ids[0]])).toEqual({ display_name: 'My US ads' })
    expect(await completeRefresh(grantId, staleOwner, { access: 'gAAAA-stale' })).toBe(false)
    expect((await grantOf(grantId)).access_token).toBe('gAAAA-access-2')
    expect((await eventsOf(ids[0]!)).map((e) => e.kind)).toEqual(['connected', 'reconnected'])
  })

  it('a reconnect covering profiles saved under two grants keeps the oldest profile’s grant and drops the emptied one', async () => {
    const userId = await makeUser()
    const [first] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1001' }]))
    const [second] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1002' }], { refresh: 'gAAAA-refresh-2' }))
    expect(first!.grant_id).not.toBe(second!.grant_id)

    const both = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '1002' }, { external_id: '1001' }], { refresh: 'gAAAA-refresh-3' }))
    expect(both.map((r) => r.grant_id)).toEqual([first!.grant_id, first!.grant_id])
    expect(await grantsOfUser(userId)).toEqual([first!.grant_id])
    expect((await grantOf(first!.grant_id)).refresh_token).toBe('gAAAA-refresh-3')
  })

  it('saves none when one of them fails, on a first connect and on a reconnect', async () => {
    const userId = await makeUser()
    const broken = [
      { external_id: '2001', marketplaces: ['ATVPDKIKX0DER'], display_name: 'Fine' },
      { external_id: '', marketplaces: [], display_name: null }, // breaks external_id's check
    ]
    await expect(asService(db, (tx) => saveAll(tx, userId, broken))).rejects.toMatchObject({ code: '23514' })
    expect(await db.query(`select 1 from public.user_accounts where user_id = $1`, [userId])).toEqual([])
    expect(await grantsOfUser(userId)).toEqual([])

    const [saved] = await asService(db, (tx) => saveAll(tx, userId, [{ external_id: '2001' }]))
    await db.query(`update public.user_accounts set status = 'reauth_required' where id = $1`, [saved!.id])
    await db.query(`update public.amazon_grants set status = 'reauth_required' where id = $1`, [saved!.grant_id])
    const before = await snapshotOf(saved!.grant_id)
    await expect(asService(db, (tx) => saveAll(tx, userId, broken, { refresh: 'gAAAA-refresh-2' }))).rejects.toMatchObject({ code: '23514' })
    expect(await snapshotOf(saved!.grant_id)).toEqual(before)
    expect(await accountsOf([saved!.id])).toMatchObject([{ status: 'reauth_required' }])
    expect((await eventsOf(saved!.id)).map((e) => e.kind)).toEqual(['connected'])
  })

  it('refuses an empty or malformed list, and is not callable by users or anon', async () => {
    const userId = await makeUser()
    await expect(asService(db, (tx) => saveAll(tx, userId, []))).rejects.toMatchObject({ code: '22023' })
    await expect(asService(db, (tx) => saveAll(tx, userId, { external_id: '1' }))).rejects.toMatchObject({ code: '22023' })
    await expect(asUser(db, userId, (tx) => saveAll(tx, userId, [{ external_id: '3001' }]))).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, (tx) => saveAll(tx, userId, [{ external_id: '3001' }]))).rejects.toMatchObject({ code: '42501' })
    expect(await grantsOfUser(userId)).toEqual([])
  })
})

describe('refresh_backoff', () => {
  const bound = (attempt: number) => Math.min(3600, 30 * 2 ** (Math.max(attempt, 1) - 1))

  it('is uniform over [0, min(1 h, 30 s · 2^(attempt-1))]: within the bound, capped, and really spread', async () => {
    const attempts = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 25, 1000, 2_147_483_647]
    const rows = await asService(db, (tx) =>
      tx.query<{ attempt: number; min: number; max: number }>(
        `select a as attempt, min(s)::float8 as min, max(s)::float8 as max
           from unnest($1::int[]) a
           cross join lateral (select extract(epoch from public.refresh_backoff(a)) as s from generate_series(1, 2000)) samples
          group by a order by a`,
        [attempts],
      ),
    )
    expect(rows.map((r) => r.attempt)).toEqual([...attempts].sort((x, y) => x - y))
    for (const { attempt, min, max } of rows) {
      expect(min, `attempt ${attempt}`).toBeGreaterThanOrEqual(0)
      expect(max, `attempt ${attempt}`).toBeLessThanOrEqual(bound(attempt))
      // 2000 uniform samples: the chance that none lands in the upper (or lower) half is 2^-2000.
      expect(max, `attempt ${attempt}`).toBeGreaterThan(bound(attempt) / 2)
      expect(min, `attempt ${attempt}`).toBeLessThan(bound(attempt) / 2)
    }
  })

  it('is not callable by users or anon', async () => {
    await expect(asUser(db, unique('user'), (tx) => tx.query(`select public.refresh_backoff(1)`))).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, (tx) => tx.query(`select public.refresh_backoff(1)`))).rejects.toMatchObject({ code: '42501' })
  })
})

describe('claim_due_grants', () => {
  it('leases only due grants, skipping reauth_required and live leases and reclaiming expired ones', async () => {
    const userId = await makeUser()
    const due = await makeGrant(userId, { due: true, attempts: 2 })
    const failing = await makeGrant(userId, { due: true, status: 'error', attempts: 9 }) // still retried
    const later = await makeGrant(userId) // 5 minutes before a 1-hour expiry
    const broken = await makeGrant(userId, { due: true, status: 'reauth_required' })
    const leased = await makeGrant(userId, { due: true })
    const expired = await makeGrant(userId, { due: true })
    await db.query(`update public.amazon_grants set lease_owner = gen_random_uuid(), lease_expires_at = now() + interval '1 minute' where id = $1`, [leased])
    await db.query(
      `update public.amazon_grants set lease_owner = gen_random_uuid(), lease_expires_at = now() - interval '1 second',
              refresh_started_at = now() - interval '2 minutes', status = 'refreshing' where id = $1`,
      [expired],
    )
    const mine = [due, failing, later, broken, leased, expired]
    const leasedBefore = await snapshotOf(leased)

    const first = onlyThese(await asService(db, (tx) => claimDue(tx)), mine)
    expect(first.map((r) => r.grant_id).sort()).toEqual([due, failing, expired].sort())
    expect(Object.fromEntries(first.map((r) => [r.grant_id, r.refresh_attempts]))).toEqual({ [due]: 3, [failing]: 10, [expired]: 1 })
    expect(new Set(first.map((r) => r.lease_owner)).size).toBe(3)
    for (const claimed of first) {
      expect(await grantOf(claimed.grant_id)).toMatchObject({ lease_owner: claimed.lease_owner, refresh_started_at: null })
    }
    expect(await snapshotOf(leased)).toEqual(leasedBefore)
    expect((await grantOf(broken)).lease_owner).toBeNull()

    // A second claim finds them leased and no longer due: never the same grant twice.
    expect(onlyThese(await asService(db, (tx) => claimDue(tx)), mine)).toEqual([])
  })

  it('takes a grant due exactly now, not one due a second from now', async () => {
    const userId = await makeUser()
    const now = await makeGrant(userId)
    const soon = await makeGrant(userId)
    const claimed = await asService(db, async (tx) => {
      await tx.query(`update public.amazon_grants set next_refresh_at = now() where id = $1`, [now])
      await tx.query(`update public.amazon_grants set next_refresh_at = now() + interval '1 second' where id = $1`, [soon])
      return onlyThese(await claimDue(tx), [now, soon])
    })
    expect(claimed.map((r) => r.grant_id)).toEqual([now])
  })

  it('counts the attempt and moves next_refresh_at past the lease plus a backoff, in the same statement', async () => {
    const userId = await makeUser()
    const grantId = await makeGrant(userId, { due: true, attempts: 3 })
    const row = await asService(db, async (tx) => {
      const [claimed] = onlyThese(await claimDue(tx, 1000, 120), [grantId])
      expect(claimed).toMatchObject({ grant_id: grantId, refresh_attempts: 4 })
      // Same transaction, so now() is the claim's: the 4th attempt backs off at most 30 s · 2^3.
      return one<{ lease: boolean; earliest: boolean; latest: boolean; attempts: number }>(
        tx,
        `select lease_expires_at = now() + interval '120 seconds' as lease,
                next_refresh_at >= now() + interval '120 seconds' as earliest,
                next_refresh_at <= now() + interval '120 seconds' + interval '240 seconds' as latest,
                refresh_attempts as attempts
           from public.amazon_grants where id = $1`,
        [grantId],
      )
    })
    expect(row).toEqual({ lease: true, earliest: true, latest: true, attempts: 4 })
  })

  it('returns at most p_limit grants', async () => {
    const userId = await makeUser()
    for (let i = 0; i < 3; i++) await makeGrant(userId, { due: true })
    expect(await asService(db, (tx) => claimDue(tx, 0))).toEqual([])
    expect(await asService(db, (tx) => claimDue(tx, 2))).toHaveLength(2)
  })

  it('is not callable by users or anon', async () => {
    await expect(asUser(db, unique('user'), (tx) => tx.query(`select * from public.claim_due_grants()`))).rejects.toMatchObject({
      code: '42501',
    })
    await expect(asAnon(db, (tx) => tx.query(`select * from public.claim_due_grants()`))).rejects.toMatchObject({ code: '42501' })
  })
})

describe('start_grant_refresh', () => {
  const claimOne = async (grantId: string) => {
    const [claimed] = onlyThese(await asService(db, (tx) => claimDue(tx)), [grantId])
    expect(claimed).toBeDefined()
    return claimed!
  }

  it("adopts the cron's claim without counting another attempt, and returns the ciphertexts", async () => {
    const grantId = await makeGrant(await makeUser(), { due: true, refreshToken: 'gAAAA-refresh-x' })
    const claim = await claimOne(grantId)
    expect(claim.refresh_attempts).toBe(1)
    const owner = randomUUID()
    const started = await startRefresh(grantId, owner, claim.lease_owner)
    expect(started).toMatchObject([
      { id: grantId, status: 'refreshing', refresh_token: 'gAAAA-refresh-x', access_token: 'gAAAA-access', fernet_key_id: 'k1', refresh_attempts: 1 },
    ])
    const lease = await one<{ owner: string; started: boolean; expires: boolean }>(
      db,
      `select lease_owner as owner, refresh_started_at is not null as started,
              lease_expires_at between now() + interval '50 seconds' and now() + interval '60 seconds' as expires
         from public.amazon_grants where id = $1`,
      [grantId],
    )
    expect(lease).toEqual({ owner, started: true, expires: true })
  })

  it('takes over a claim that is queued but not started; the queued message then finds the grant busy', async () => {
    const grantId = await makeGrant(await makeUser(), { due: true })
    const claim = await claimOne(grantId)
    const owner = randomUUID()
    // On demand (no claim to adopt): the claim taken over already counted this attempt, one per LWA call.
    expect(await startRefresh(grantId, owner)).toMatchObject([{ id: grantId, status: 'refreshing', refresh_attempts: claim.refresh_attempts }])
    expect((await grantOf(grantId)).lease_owner).toBe(owner)
    expect(await startRefresh(grantId, randomUUID(), claim.lease_owner)).toEqual([])
    expect((await grantOf(grantId)).lease_owner).toBe(owner)
  })

  it('a queued message whose claim is no longer on the grant gets no row, even with the lease free', async () => {
    const grantId = await makeGrant(await makeUser(), { due: true })
    const claim = await claimOne(grantId)
    const owner = randomUUID()
    expect(await startRefresh(grantId, owner, claim.lease_owner)).toHaveLength(1)
    expect(await completeRefresh(grantId, owner)).toBe(true)
    // The same message delivered again (queues deliver at least once): the refresh it asked for is done.
    const done = await snapshotOf(grantId)
    expect(await startRefresh(grantId, randomUUID(), claim.lease_owner)).toEqual([])
    expect(await snapshotOf(grantId)).toEqual(done)
  })

  it('refuses while a started lease is live, and takes it once it has expired', async () => {
    const grantId = await makeGrant(await makeUser())
    const first = randomUUID()
    expect(await startRefresh(grantId, first)).toMatchObject([{ refresh_attempts: 1 }])
    const busy = await snapshotOf(grantId)
    const second = randomUUID()
    expect(await startRefresh(grantId, second)).toEqual([])
    expect(await startRefresh(grantId, second, randomUUID())).toEqual([]) // some other claim: still busy
    expect(await snapshotOf(grantId)).toEqual(busy)

    await db.query(`update public.amazon_grants set lease_expires_at = now() - interval '1 second' where id = $1`, [grantId])
    expect(await startRefresh(grantId, second)).toMatchObject([{ id: grantId, refresh_attempts: 2 }])
    expect((await grantOf(grantId)).lease_owner).toBe(second)
    // The first refresher, back from the dead, cannot write.
    expect(await completeRefresh(grantId, first)).toBe(false)
  })

  it('never returns a reauth_required grant, or one that does not exist', async () => {
    const grantId = await makeGrant(await makeUser(), { status: 'reauth_required', due: true })
    const before = await snapshotOf(grantId)
    expect(await startRefresh(grantId, randomUUID())).toEqual([])
    expect(await snapshotOf(grantId)).toEqual(before)
    // Not even for a caller naming the lease that is on it.
    const claimed = randomUUID()
    await db.query(`update public.amazon_grants set lease_owner = $2, lease_expires_at = now() + interval '1 minute' where id = $1`, [grantId, claimed])
    const leased = await snapshotOf(grantId)
    expect(await startRefresh(grantId, randomUUID(), claimed)).toEqual([])
    expect(await snapshotOf(grantId)).toEqual(leased)
    expect(await startRefresh(randomUUID(), randomUUID())).toEqual([])
  })

  it('is not callable by users or anon', async () => {
    const userId = await makeUser()
    const grantId = await makeGrant(userId)
    const call = (tx: Queryable) => tx.query(`select * from public.start_grant_refresh($1, $2)`, [grantId, randomUUID()])
    await expect(asUser(db, userId, call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('complete_grant_refresh', () => {
  it('stores the tokens for the lease owner, ends the failure streak and schedules 5 minutes before expiry', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { attempts: 3, due: true })
    await db.query(`update public.amazon_grants set last_error_class = 'unavailable' where id = $1`, [grantId])
    const owner = randomUUID()
    await startRefresh(grantId, owner)
    expect(await completeRefresh(grantId, owner, { access: 'gAAAA-access-2', refresh: 'gAAAA-refresh-2', keyId: 'k2', expiresIn: '1 hour' })).toBe(true)
    expect(await grantOf(grantId)).toMatchObject({
      access_token: 'gAAAA-access-2',
      refresh_token: 'gAAAA-refresh-2',
      fernet_key_id: 'k2',
      status: 'active',
      refresh_attempts: 0,
      last_error_class: null,
      lease_owner: null,
      lease_expires_at: null,
      refresh_started_at: null,
    })
    const schedule = await one<{ scheduled: boolean; stamped: boolean }>(
      db,
      `select next_refresh_at = access_token_expires_at - interval '5 minutes' as scheduled,
              last_refreshed_at is not null and last_attempt_at is not null as stamped
         from public.amazon_grants where id = $1`,
      [grantId],
    )
    expect(schedule).toEqual({ scheduled: true, stamped: true })
    expect(await eventsOf(accountIds[0]!)).toEqual([]) // nothing was failing: nothing to report

    // Without a new refresh token (LWA did not rotate it) the stored one stays.
    const next = randomUUID()
    await startRefresh(grantId, next)
    expect(await completeRefresh(grantId, next, { access: 'gAAAA-access-3', refresh: null, keyId: 'k2' })).toBe(true)
    expect(await grantOf(grantId)).toMatchObject({ access_token: 'gAAAA-access-3', refresh_token: 'gAAAA-refresh-2' })
  })

  it('a stale owner gets false and the row is unchanged', async () => {
    const grantId = await makeGrant(await makeUser(), { due: true })
    const stale = randomUUID()
    await startRefresh(grantId, stale)
    await db.query(`update public.amazon_grants set lease_expires_at = now() - interval '1 second' where id = $1`, [grantId])
    const current = randomUUID()
    await startRefresh(grantId, current) // took the expired lease
    const before = await snapshotOf(grantId)
    expect(await completeRefresh(grantId, stale, { access: 'gAAAA-stale', refresh: 'gAAAA-stale' })).toBe(false)
    expect(await completeRefresh(grantId, randomUUID(), { access: 'gAAAA-stranger' })).toBe(false)
    expect(await snapshotOf(grantId)).toEqual(before)
    expect(await completeRefresh(grantId, current)).toBe(true)
  })

  it("brings an error grant's failing accounts back to active with a refreshed event, and leaves reauth_required alone", async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { status: 'error', attempts: 9, accounts: 2, accountStatus: 'error' })
    const needsReauth = await makeAccount(userId, { provider: 'ads', status: 'reauth_required', grantId })
    const owner = randomUUID()
    // An error grant stays error while it refreshes, which is how completing knows there is something to recover.
    expect(await startRefresh(grantId, owner)).toMatchObject([{ status: 'error' }])
    expect(await completeRefresh(grantId, owner)).toBe(true)
    expect((await grantOf(grantId)).status).toBe('active')
    expect(await accountsOf([...accountIds, needsReauth])).toEqual([
      { id: accountIds[0], status: 'active', last_error: null, grant_id: grantId },
      { id: accountIds[1], status: 'active', last_error: null, grant_id: grantId },
      { id: needsReauth, status: 'reauth_required', last_error: null, grant_id: grantId },
    ])
    for (const id of accountIds) expect(await eventsOf(id)).toEqual([{ kind: 'refreshed', detail: { recovered_from: 'error' } }])
    expect(await eventsOf(needsReauth)).toEqual([])
  })

  it('is not callable by users or anon', async () => {
    const userId = await makeUser()
    const grantId = await makeGrant(userId)
    const call = (tx: Queryable) =>
      tx.query(`select public.complete_grant_refresh($1, $2, 'a', now(), null, 'k1')`, [grantId, randomUUID()])
    await expect(asUser(db, userId, call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('fail_grant_refresh', () => {
  it('invalid_grant: the grant and every account on it need a reconnect, with one event per account', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2, due: true })
    const other = await makeConsent(userId) // another consent of the same user is not affected
    const owner = randomUUID()
    await startRefresh(grantId, owner)
    expect(await failRefresh(grantId, owner, 'invalid_grant')).toBe('reauth_required')
    expect(await grantOf(grantId)).toMatchObject({
      status: 'reauth_required',
      last_error_class: 'invalid_grant',
      lease_owner: null,
      lease_expires_at: null,
      refresh_started_at: null,
    })
    expect(await accountsOf(accountIds)).toEqual(
      accountIds.map((id) => ({ id, status: 'reauth_required', last_error: 'reauth_required', grant_id: grantId })),
    )
    for (const id of accountIds) {
      expect(await eventsOf(id)).toEqual([{ kind: 'reauth_required', detail: { reason: 'invalid_grant', attempts: 1 } }])
    }
    expect(await accountsOf(other.accountIds)).toMatchObject([{ status: 'active' }])
    expect((await grantOf(other.grantId)).status).toBe('active')
    // Only a new consent clears it: neither the cron nor a session picks it up again.
    expect(onlyThese(await asService(db, (tx) => claimDue(tx)), [grantId])).toEqual([])
    expect(await startRefresh(grantId, randomUUID())).toEqual([])
  })

  it.each(['invalid_client', 'key_missing'])('%s (our side): no status changes on the grant or its accounts, even past 8 attempts', async (errorClass) => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2, attempts: 8 })
    const owner = randomUUID()
    await startRefresh(grantId, owner) // the 9th attempt
    expect(await failRefresh(grantId, owner, errorClass)).toBe('active')
    expect(await grantOf(grantId)).toMatchObject({ status: 'active', last_error_class: errorClass, refresh_attempts: 9, lease_owner: null })
    expect(await accountsOf(accountIds)).toMatchObject([{ status: 'active' }, { status: 'active' }])
    for (const id of accountIds) expect(await eventsOf(id)).toEqual([])
  })

  it('unavailable: retried with backoff, the grant and its accounts in error from the 8th consecutive attempt', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2 })
    for (let attempt = 1; attempt <= 8; attempt++) {
      const owner = randomUUID()
      expect(await startRefresh(grantId, owner)).toMatchObject([{ refresh_attempts: attempt }])
      const status = await failRefresh(grantId, owner, 'unavailable')
      const row = await one<{ status: string; lease_owner: string | null; backoff: boolean }>(
        db,
        `select status, lease_owner,
                next_refresh_at between last_attempt_at and last_attempt_at + make_interval(secs => least(3600, 30 * 2 ^ ($2::int - 1))) as backoff
           from public.amazon_grants where id = $1`,
        [grantId, attempt],
      )
      const expected = attempt < 8 ? 'active' : 'error'
      expect({ returned: status, ...row }, `attempt ${attempt}`).toEqual({ returned: expected, status: expected, lease_owner: null, backoff: true })
      expect(await accountsOf(accountIds), `attempt ${attempt}`).toMatchObject([{ status: expected }, { status: expected }])
    }
    expect(await accountsOf(accountIds)).toMatchObject([{ last_error: 'amazon_unavailable' }, { last_error: 'amazon_unavailable' }])
    for (const id of accountIds) {
      expect(await eventsOf(id)).toEqual([{ kind: 'refresh_failed', detail: { reason: 'unavailable', attempts: 8 } }])
    }
    // A 9th failure keeps it in error without another event.
    const owner = randomUUID()
    await startRefresh(grantId, owner)
    expect(await failRefresh(grantId, owner, 'unavailable')).toBe('error')
    for (const id of accountIds) expect(await eventsOf(id)).toHaveLength(1)
  })

  it('a stale owner changes nothing and gets null', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { attempts: 8 })
    const owner = randomUUID()
    await startRefresh(grantId, owner)
    const before = await snapshotOf(grantId)
    for (const errorClass of ['invalid_grant', 'unavailable']) expect(await failRefresh(grantId, randomUUID(), errorClass)).toBeNull()
    expect(await snapshotOf(grantId)).toEqual(before)
    expect(await accountsOf(accountIds)).toMatchObject([{ status: 'active' }])
    expect(await eventsOf(accountIds[0]!)).toEqual([])
  })

  it('is not callable by users or anon', async () => {
    const userId = await makeUser()
    const grantId = await makeGrant(userId)
    const call = (tx: Queryable) => tx.query(`select public.fail_grant_refresh($1, $2, 'invalid_grant')`, [grantId, randomUUID()])
    await expect(asUser(db, userId, call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('release_grant', () => {
  it('gives back an unneeded lease: the attempt is not counted and the schedule follows the stored expiry again', async () => {
    const grantId = await makeGrant(await makeUser(), { due: true, attempts: 2 })
    const [claim] = onlyThese(await asService(db, (tx) => claimDue(tx)), [grantId])
    const owner = randomUUID()
    expect(await startRefresh(grantId, owner, claim!.lease_owner)).toMatchObject([{ status: 'refreshing', refresh_attempts: 3 }])
    expect(await releaseGrant(grantId, owner)).toBe(true)
    expect(await grantOf(grantId)).toMatchObject({ status: 'active', refresh_attempts: 2, lease_owner: null, lease_expires_at: null, refresh_started_at: null })
    const schedule = await one<{ scheduled: boolean }>(
      db,
      `select next_refresh_at = access_token_expires_at - interval '5 minutes' as scheduled from public.amazon_grants where id = $1`,
      [grantId],
    )
    expect(schedule.scheduled).toBe(true)
  })

  it('a stale owner releases nothing', async () => {
    const grantId = await makeGrant(await makeUser())
    await startRefresh(grantId, randomUUID())
    const before = await snapshotOf(grantId)
    expect(await releaseGrant(grantId, randomUUID())).toBe(false)
    expect(await snapshotOf(grantId)).toEqual(before)
  })

  it('is not callable by users or anon', async () => {
    const userId = await makeUser()
    const grantId = await makeGrant(userId)
    const call = (tx: Queryable) => tx.query(`select public.release_grant($1, $2)`, [grantId, randomUUID()])
    await expect(asUser(db, userId, call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('save_reencrypted_grants', () => {
  type Rotated = { id: string; refresh_token: string; access_token: string | null; previous_refresh_token: string; previous_access_token: string | null; fernet_key_id: string }
  const rotate = (rows: Rotated[]) =>
    asService(db, (tx) => one<{ written: number }>(tx, `select public.save_reencrypted_grants($1::text::jsonb) as written`, [JSON.stringify(rows)])).then(
      (r) => r.written,
    )
  /** What key rotation read, re-encrypted under k2. */
  const rotated = async (id: string): Promise<Rotated> => {
    const g = await grantOf(id)
    return {
      id,
      refresh_token: `${g.refresh_token}-k2`,
      access_token: g.access_token === null ? null : `${g.access_token}-k2`,
      previous_refresh_token: g.refresh_token,
      previous_access_token: g.access_token,
      fernet_key_id: 'k2',
    }
  }

  it('writes only where both ciphertexts are still the ones that were read', async () => {
    const userId = await makeUser()
    const unchanged = await makeGrant(userId)
    const noAccessToken = await makeGrant(userId, { expiresIn: null })
    const newRefresh = await makeGrant(userId)
    const newAccess = await makeGrant(userId)
    const rows = await Promise.all([unchanged, noAccessToken, newRefresh, newAccess].map(rotated))
    // A refresh (or reconnect) wrote in between.
    await db.query(`update public.amazon_grants set refresh_token = 'gAAAA-refresh-rotated' where id = $1`, [newRefresh])
    await db.query(`update public.amazon_grants set access_token = 'gAAAA-access-refreshed' where id = $1`, [newAccess])
    const untouched = [await snapshotOf(newRefresh), await snapshotOf(newAccess)]

    expect(await rotate(rows)).toBe(2)
    expect(await grantOf(unchanged)).toMatchObject({ refresh_token: 'gAAAA-refresh-k2', access_token: 'gAAAA-access-k2', fernet_key_id: 'k2' })
    expect(await grantOf(noAccessToken)).toMatchObject({ refresh_token: 'gAAAA-refresh-k2', access_token: null, fernet_key_id: 'k2' })
    expect([await snapshotOf(newRefresh), await snapshotOf(newAccess)]).toEqual(untouched)
  })

  it('refuses a grant under a live lease, and takes one whose lease has expired', async () => {
    const grantId = await makeGrant(await makeUser())
    const row = await rotated(grantId)
    await startRefresh(grantId, randomUUID())
    expect(await rotate([row])).toBe(0)
    expect((await grantOf(grantId)).fernet_key_id).toBe('k1')
    await db.query(`update public.amazon_grants set lease_expires_at = now() - interval '1 second' where id = $1`, [grantId])
    expect(await rotate([row])).toBe(1)
    expect((await grantOf(grantId)).fernet_key_id).toBe('k2')
  })

  it('leaves the failure streak and the schedule alone', async () => {
    const grantId = await makeGrant(await makeUser(), { attempts: 3 })
    await db.query(`update public.amazon_grants set next_refresh_at = '2031-01-01T00:00:00Z' where id = $1`, [grantId])
    expect(await rotate([await rotated(grantId)])).toBe(1)
    const row = await one<{ attempts: number; next: string }>(
      db,
      `select refresh_attempts as attempts, to_char(next_refresh_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as next
         from public.amazon_grants where id = $1`,
      [grantId],
    )
    expect(row).toEqual({ attempts: 3, next: '2031-01-01 00:00' })
  })

  it('is not callable by users or anon', async () => {
    const call = (tx: Queryable) => tx.query(`select public.save_reencrypted_grants('[]'::jsonb)`)
    await expect(asUser(db, unique('user'), call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('token_engine_health', () => {
  const health = (tx: Queryable, currentKeyId: string) =>
    one<{ health: { grants_on_older_keys: number; sp_api_client: string | null; ads_client: string | null } }>(
      tx,
      `select public.token_engine_health($1) as health`,
      [currentKeyId],
    ).then((r) => r.health)

  it('counts grants on older keys and reports the latest LWA outcome per provider', async () => {
    const userId = await makeUser()
    // Rolled back: the future-dated attempts below would otherwise be "the latest" for every later test.
    const seen = await rolledBack(async (tx) => {
      await tx.exec(`set local role service_role`)
      const before = await health(tx, 'k-current')
      await tx.query(
        `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id, last_attempt_at, last_error_class)
         values ($1, 'sp_api', 'na', 'r', 'k-old', now() + interval '1 day', 'invalid_client'),
                ($1, 'sp_api', 'eu', 'r', 'k-current', '2000-01-01', 'unavailable'),
                ($1, 'ads', 'na', 'r', 'k-current', now() + interval '1 day', null),
                ($1, 'ads', 'eu', 'r', 'k-current', now() + interval '1 hour', 'unavailable'),
                ($1, 'ads', 'fe', 'r', 'k-current', '2000-01-01', 'throttled')`,
        [userId],
      )
      return { before, after: await health(tx, 'k-current') }
    })
    expect(seen.after).toEqual({
      grants_on_older_keys: seen.before.grants_on_older_keys + 1,
      sp_api_client: 'invalid_client',
      ads_client: 'ok',
    })
  })

  it('is not callable by users or anon', async () => {
    const call = (tx: Queryable) => tx.query(`select public.token_engine_health('k1')`)
    await expect(asUser(db, unique('user'), call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

describe('prune_expired', () => {
  type Pruned = { oauth_states: number; webhook_events: number; account_events: number }
  const prune = (q: Queryable, limit: number | null) => one<Pruned>(q, `select * from public.prune_expired($1)`, [limit])
  /** Prunes until nothing is left past its age, so the counts below are this test's own rows. */
  const drain = async (q: Queryable) => {
    for (;;) {
      const pruned = await prune(q, 10_000)
      if (pruned.oauth_states + pruned.webhook_events + pruned.account_events === 0) return
    }
  }

  /** One row per table at each age (ago, as an interval): past the retention, or just inside it. */
  async function seed(q: Queryable, userId: string, ages: { states: string[]; webhooks: string[]; events: string[] }) {
    const ids = { states: [] as string[], webhooks: [] as string[], events: [] as number[] }
    for (const ago of ages.states) {
      const hash = sha256(unique('state'))
      await q.query(
        `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash, created_at, expires_at)
         values ($1, $2, 'ads', 'na', $3, now() - $4::interval - interval '10 minutes', now() - $4::interval)`,
        [hash, userId, sha256(unique('nonce')), ago],
      )
      ids.states.push(hash)
    }
    for (const ago of ages.webhooks) {
      const svixId = unique('msg')
      await q.query(`insert into public.webhook_events (svix_id, type, received_at) values ($1, 'user.updated', now() - $2::interval)`, [svixId, ago])
      ids.webhooks.push(svixId)
    }
    for (const ago of ages.events) {
      const [row] = await q.query<{ id: number }>(
        `insert into public.account_events (user_id, kind, created_at) values ($1, 'synced', now() - $2::interval) returning id`,
        [userId, ago],
      )
      ids.events.push(Number(row!.id))
    }
    return ids
  }
  const left = async (q: Queryable, ids: { states: string[]; webhooks: string[]; events: number[] }) => ({
    states: (await q.query<{ k: string }>(`select state_hash as k from public.oauth_states where state_hash = any($1::text[])`, [ids.states])).map((r) => r.k).sort(),
    webhooks: (await q.query<{ k: string }>(`select svix_id as k from public.webhook_events where svix_id = any($1::text[])`, [ids.webhooks])).map((r) => r.k).sort(),
    events: (await q.query<{ k: string }>(`select id::text as k from public.account_events where id = any($1::bigint[])`, [ids.events])).map((r) => Number(r.k)).sort((a, b) => a - b),
  })

  it('deletes states a day past expiry, webhook ids after 7 days and events after 400 days, and nothing younger', async () => {
    const userId = await makeUser()
    const { seen, ids } = await rolledBack(async (tx) => {
      await tx.exec(`set local role service_role`)
      await drain(tx)
      const ids = await seed(tx, userId, {
        // expired 1 day + 1 minute ago | 23 hours ago | not yet expired (10 minutes to go)
        states: ['1 day 1 minute', '23 hours', '-10 minutes'],
        webhooks: ['7 days 1 minute', '6 days 23 hours', '1 minute'],
        events: ['400 days 1 minute', '399 days', '1 minute'],
      })
      const pruned = await prune(tx, 1000)
      return { seen: { pruned, left: await left(tx, ids), again: await prune(tx, 1000) }, ids }
    })
    expect(seen.pruned).toEqual({ oauth_states: 1, webhook_events: 1, account_events: 1 })
    expect(seen.left).toEqual({
      states: ids.states.slice(1).sort(),
      webhooks: ids.webhooks.slice(1).sort(),
      events: ids.events.slice(1),
    })
    expect(seen.again).toEqual({ oauth_states: 0, webhook_events: 0, account_events: 0 })
  })

  it('deletes at most p_limit rows per table per call, oldest first; 0, negative or null delete nothing', async () => {
    const userId = await makeUser()
    const seen = await rolledBack(async (tx) => {
      await tx.exec(`set local role service_role`)
      await drain(tx)
      const old = ['403 days', '402 days', '401 days']
      const ids = await seed(tx, userId, { states: old, webhooks: old, events: old })
      const nothing = [await prune(tx, 0), await prune(tx, -5), await prune(tx, null)]
      const first = await prune(tx, 2)
      const afterFirst = await left(tx, ids)
      const second = await prune(tx, 2)
      return { ids, nothing, first, afterFirst, second, afterSecond: await left(tx, ids) }
    })
    for (const pruned of seen.nothing) expect(pruned).toEqual({ oauth_states: 0, webhook_events: 0, account_events: 0 })
    expect(seen.first).toEqual({ oauth_states: 2, webhook_events: 2, account_events: 2 })
    // The two oldest went first: the youngest of the three is left.
    expect(seen.afterFirst).toEqual({ states: [seen.ids.states[2]], webhooks: [seen.ids.webhooks[2]], events: [seen.ids.events[2]] })
    expect(seen.second).toEqual({ oauth_states: 1, webhook_events: 1, account_events: 1 })
    expect(seen.afterSecond).toEqual({ states: [], webhooks: [], events: [] })
  })

  it('caps a batch at 10,000 rows per table, however large p_limit is', async () => {
    const seen = await rolledBack(async (tx) => {
      await tx.exec(`set local role service_role`)
      await drain(tx)
      await tx.query(
        `insert into public.webhook_events (svix_id, type, received_at)
         select 'msg_cap_' || i, 'user.updated', now() - interval '30 days' from generate_series(1, 10005) i`,
      )
      return [await prune(tx, 2_000_000_000), await prune(tx, 2_000_000_000)]
    })
    expect(seen).toEqual([
      { oauth_states: 0, webhook_events: 10_000, account_events: 0 },
      { oauth_states: 0, webhook_events: 5, account_events: 0 },
    ])
  })

  it('is not callable by users or anon', async () => {
    const call = (tx: Queryable) => tx.query(`select * from public.prune_expired(10)`)
    await expect(asUser(db, unique('user'), call)).rejects.toMatchObject({ code: '42501' })
    await expect(asAnon(db, call)).rejects.toMatchObject({ code: '42501' })
  })
})

// ── the migration to grants, on data the released schema holds ──────────────────────────────────
const GRANTS_MIGRATION = '20261201000000_amazon_grants.sql'

/** Applies the given migrations in order, each in its own transaction, as applySchema does. */
async function applyMigrations(target: TestDatabase, names: string[]): Promise<void> {
  for (const name of names) {
    const sql = readSql(join(migrationsDir, name))
    try {
      await target.transaction((tx) => tx.exec(sql))
    } catch (error) {
      throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error })
    }
  }
}

describe(`migration ${GRANTS_MIGRATION}`, () => {
  // A database of its own: the schema before the migration, with per-account credentials in it.
  let old: TestDatabase
  const ids: Record<string, string> = {}
  let before: Record<string, { expires: string | null; next: string | null }> = {}

  beforeAll(async () => {
    const names = migrationFiles()
    expect(names).toContain(GRANTS_MIGRATION)
    old = await openTestDatabase()
    await old.exec(readSql(platformSqlPath))
    await applyMigrations(old, names.slice(0, names.indexOf(GRANTS_MIGRATION)))

    for (const user of ['user_alice', 'user_bob', 'user_carol']) {
      await old.query(`insert into public.users (id, email, clerk_updated_at) values ($1, $2, 1)`, [user, `${user}@example.com`])
    }
    const account = async (key: string, userId: string, provider: string, status = 'active') => {
      const [row] = await old.query<{ id: string }>(
        `insert into public.user_accounts (user_id, provider, region, external_id, status) values ($1, $2, 'na', $3, $4) returning id`,
        [userId, provider, key, status],
      )
      ids[key] = row!.id
    }
    const credentials = async (key: string, refreshToken: string, expiresIn: string | null, keyId = 'k-old', attempts = 0) => {
      await old.query(
        `insert into public.account_credentials (account_id, refresh_token, access_token, access_token_expires_at, fernet_key_id)
         values ($1, $2, $3, now() + $4::interval, $5)`,
        [ids[key], refreshToken, `gAAAA-access-${key}`, expiresIn, keyId],
      )
      // Separately: the old schedule trigger resets the streak whenever an access token is inserted.
      await old.query(`update public.account_credentials set refresh_attempts = $2 where account_id = $1`, [ids[key], attempts])
    }
    // Two Ads profiles of one consent: saved with one refresh-token ciphertext.
    await account('ads1', 'user_alice', 'ads')
    await account('ads2', 'user_alice', 'ads')
    await credentials('ads1', 'gAAAA-ads-refresh', '1 hour')
    await credentials('ads2', 'gAAAA-ads-refresh', '1 hour')
    // A third profile whose refresh token was rewritten since: it is not merged.
    await account('ads3', 'user_alice', 'ads')
    await credentials('ads3', 'gAAAA-ads-refresh-rewritten', '20 minutes')
    // The SP-API seller, failing.
    await account('sp', 'user_alice', 'sp_api', 'error')
    await credentials('sp', 'gAAAA-sp-refresh', '30 minutes', 'k-older', 6)
    // An account whose tokens were never stored.
    await account('bare', 'user_alice', 'ads')
    // Another user with the same ciphertext (impossible in practice): consents never span users.
    await account('bobs', 'user_bob', 'ads')
    await credentials('bobs', 'gAAAA-ads-refresh', '1 hour')
    // Two profiles of one consent that disagree: one was flagged reauth_required, the other not yet.
    await account('mixed1', 'user_carol', 'ads', 'reauth_required')
    await account('mixed2', 'user_carol', 'ads')
    await credentials('mixed1', 'gAAAA-mixed-refresh', '1 hour')
    await credentials('mixed2', 'gAAAA-mixed-refresh', '1 hour')

    const rows = await old.query<{ id: string; expires: string | null; next: string | null }>(
      `select account_id as id, access_token_expires_at::text as expires, next_refresh_at::text as next from public.account_credentials`,
    )
    before = Object.fromEntries(rows.map((r) => [r.id, { expires: r.expires, next: r.next }]))

    await applyMigrations(old, [GRANTS_MIGRATION])
  }, 120_000)

  afterAll(async () => {
    await old?.close()
  })

  type Carried = {
    account_id: string
    account_status: string
    last_error: string | null
    grant_id: string | null
    user_id: string | null
    provider: string | null
    refresh_token: string | null
    access_token: string | null
    expires: string | null
    fernet_key_id: string | null
    status: string | null
    refresh_attempts: number | null
    scheduled: boolean | null
    lease_owner: string | null
  }
  const carried = async (key: string) =>
    one<Carried>(
      old,
      `select a.id as account_id, a.status as account_status, a.last_error, a.grant_id, g.user_id, g.provider, g.refresh_token,
              g.access_token, g.access_token_expires_at::text as expires, g.fernet_key_id, g.status, g.refresh_attempts,
              g.next_refresh_at = g.access_token_expires_at - interval '5 minutes' as scheduled, g.lease_owner
         from public.user_accounts a left join public.amazon_grants g on g.id = a.grant_id
        where a.id = $1`,
      [ids[key]],
    )

  it("makes one grant for the profiles of one consent, carrying the tokens, expiry and key id", async () => {
    const [ads1, ads2] = [await carried('ads1'), await carried('ads2')]
    expect(ads1.grant_id).not.toBeNull()
    expect(ads2.grant_id).toBe(ads1.grant_id)
    // The grant takes the id of one of its accounts' old rows.
    expect([ids.ads1, ids.ads2]).toContain(ads1.grant_id)
    const source = ads1.grant_id === ids.ads1 ? 'ads1' : 'ads2'
    expect(ads1).toMatchObject({
      account_status: 'active',
      user_id: 'user_alice',
      provider: 'ads',
      refresh_token: 'gAAAA-ads-refresh',
      access_token: `gAAAA-access-${source}`,
      expires: before[ids[source]!]!.expires,
      fernet_key_id: 'k-old',
      status: 'active',
      refresh_attempts: 0,
      scheduled: true,
      lease_owner: null,
    })
  })

  it('gives the SP-API account and a profile with another refresh token grants of their own, keeping the failure state', async () => {
    const [ads1, ads3, sp] = [await carried('ads1'), await carried('ads3'), await carried('sp')]
    expect(new Set([ads1.grant_id, ads3.grant_id, sp.grant_id]).size).toBe(3)
    expect(ads3).toMatchObject({ grant_id: ids.ads3, refresh_token: 'gAAAA-ads-refresh-rewritten', expires: before[ids.ads3!]!.expires, scheduled: true })
    expect(sp).toMatchObject({
      grant_id: ids.sp,
      account_status: 'error',
      provider: 'sp_api',
      refresh_token: 'gAAAA-sp-refresh',
      access_token: 'gAAAA-access-sp',
      expires: before[ids.sp!]!.expires,
      fernet_key_id: 'k-older',
      status: 'error',
      refresh_attempts: 6,
      scheduled: true,
    })
    const grants = await old.query<{ user_id: string; n: number }>(
      `select user_id, count(*)::int as n from public.amazon_grants group by user_id order by user_id`,
    )
    expect(grants).toEqual([
      { user_id: 'user_alice', n: 3 },
      { user_id: 'user_bob', n: 1 },
      { user_id: 'user_carol', n: 1 },
    ])
  })

  it("never merges two users' accounts", async () => {
    const bobs = await carried('bobs')
    expect(bobs).toMatchObject({ grant_id: ids.bobs, user_id: 'user_bob', refresh_token: 'gAAAA-ads-refresh' })
  })

  it('gives a consent its worst account\'s status, and all its accounts with it when that is reauth_required', async () => {
    const [mixed1, mixed2] = [await carried('mixed1'), await carried('mixed2')]
    expect(mixed2.grant_id).toBe(mixed1.grant_id)
    expect(mixed1).toMatchObject({ status: 'reauth_required', account_status: 'reauth_required' })
    expect(mixed2).toMatchObject({ status: 'reauth_required', account_status: 'reauth_required', last_error: 'reauth_required' })
  })

  it('marks an account without stored tokens reauth_required, with no grant', async () => {
    expect(await carried('bare')).toMatchObject({ grant_id: null, account_status: 'reauth_required', last_error: 'reauth_required' })
  })

  it('drops account_credentials and the functions that used it', async () => {
    const gone = await one<Record<string, unknown>>(
      old,
      `select to_regclass('public.account_credentials') as credentials,
              to_regprocedure('public.claim_due_refreshes(text, integer, integer)') as claim,
              to_regprocedure('public.save_connected_account(text, text, text, text, text[], text, text, text, timestamptz, text)') as save_one,
              to_regprocedure('public.account_credentials_schedule_refresh()') as schedule,
              to_regprocedure('public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text)') is not null as save_all`,
    )
    expect(gone).toEqual({ credentials: null, claim: null, save_one: null, schedule: null, save_all: true })
  })

  it('leaves carried grants working with the new functions: a reconnect of the bare account fixes it', async () => {
    const rows = await asService(old, (tx) =>
      tx.query<{ id: string; status: string; grant_id: string }>(
        `select id, status, grant_id from public.save_connected_accounts(
           'user_alice', 'ads', 'na', $1::text::jsonb, 'gAAAA-new', 'gAAAA-new-access', now() + interval '1 hour', 'k1')`,
        [JSON.stringify([{ external_id: 'bare' }, { external_id: 'ads1' }])],
      ),
    )
    // 'bare' has no grant, so the lookup finds ads1's: both end on the consent's existing grant.
    const ads1 = await carried('ads1')
    expect(rows).toEqual([
      { id: ids.bare, status: 'active', grant_id: ads1.grant_id },
      { id: ids.ads1, status: 'active', grant_id: ads1.grant_id },
    ])
    expect(await carried('ads2')).toMatchObject({ grant_id: ads1.grant_id, refresh_token: 'gAAAA-new' })
  })
})

// ── concurrency (needs a server: PGlite runs one transaction at a time) ─────────────────────────────
describe.runIf(Boolean(process.env.SCHEMA_TEST_DATABASE_URL || inject('databaseServerUrl')))('concurrency', () => {
  const deferred = <T = void>() => {
    let resolve!: (value: T) => void
    const promise = new Promise<T>((r) => (resolve = r))
    return { promise, resolve }
  }
  const pause = () => new Promise((r) => setTimeout(r, 200)) // let the other call start and block

  it('two claimers never lease the same grant, and neither waits for the other', async () => {
    const userId = await makeUser()
    const grants: string[] = []
    for (let i = 0; i < 4; i++) grants.push(await makeGrant(userId, { due: true }))
    const claimMine = (tx: Queryable) => claimDue(tx, 1000, 60).then((rows) => onlyThese(rows, grants).map((r) => r.grant_id))
    // Only the first two are due for the first claim.
    await db.query(`update public.amazon_grants set next_refresh_at = now() + interval '1 day' where id = any($1::uuid[])`, [grants.slice(2)])
    const firstHolds = deferred<string[]>()
    const release = deferred()
    const first = asService(db, async (tx) => {
      const rows = await claimMine(tx)
      firstHolds.resolve(rows)
      await release.promise // keep the rows locked, lease not yet committed
      return rows
    })
    const firstRows = await firstHolds.promise
    await db.query(`update public.amazon_grants set next_refresh_at = now() - interval '1 second' where id = any($1::uuid[])`, [grants.slice(2)])
    let secondRows: string[]
    try {
      secondRows = await asService(db, async (tx) => {
        await tx.exec(`set local lock_timeout = '2s'`) // without SKIP LOCKED it would wait: fail fast instead
        return claimMine(tx)
      })
    } finally {
      release.resolve()
      await first
    }
    expect(firstRows.sort()).toEqual(grants.slice(0, 2).sort())
    expect(secondRows.sort()).toEqual(grants.slice(2).sort())
  })

  it('the cron skips a grant whose refresh is being started, without waiting for it', async () => {
    const grantId = await makeGrant(await makeUser(), { due: true })
    const starting = deferred()
    const release = deferred()
    const start = asService(db, async (tx) => {
      await tx.query(`select * from public.start_grant_refresh($1, $2)`, [grantId, randomUUID()])
      starting.resolve()
      await release.promise
    })
    await starting.promise
    try {
      const claimed = await asService(db, async (tx) => {
        await tx.exec(`set local lock_timeout = '2s'`)
        return onlyThese(await claimDue(tx), [grantId])
      })
      expect(claimed).toEqual([])
    } finally {
      release.resolve()
      await start
    }
  })

  it('two sessions starting one grant at once: the second waits for the first, then finds it busy', async () => {
    const grantId = await makeGrant(await makeUser())
    const firstOwner = randomUUID()
    const firstStarted = deferred()
    const release = deferred()
    const first = asService(db, async (tx) => {
      const rows = await tx.query(`select * from public.start_grant_refresh($1, $2)`, [grantId, firstOwner])
      firstStarted.resolve()
      await release.promise
      return rows
    })
    await firstStarted.promise
    const second = asService(db, (tx) => tx.query(`select * from public.start_grant_refresh($1, $2)`, [grantId, randomUUID()]))
    await pause()
    release.resolve()
    expect(await first).toHaveLength(1)
    expect(await second).toEqual([])
    expect(await grantOf(grantId)).toMatchObject({ lease_owner: firstOwner, refresh_attempts: 1 })
  })

  it("a refresher finishing while a reconnect is saving waits for it, then loses: the reconnect's tokens stay", async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId)
    const externalId = (await one<{ external_id: string }>(db, `select external_id from public.user_accounts where id = $1`, [accountIds[0]])).external_id
    const owner = randomUUID()
    await startRefresh(grantId, owner)
    const saving = deferred()
    const release = deferred()
    const reconnect = asService(db, async (tx) => {
      await tx.query(
        `select * from public.save_connected_accounts($1, 'ads', 'na', $2::text::jsonb, 'gAAAA-reconnected', 'gAAAA-reconnected-access',
           now() + interval '1 hour', 'k1')`,
        [userId, JSON.stringify([{ external_id: externalId }])],
      )
      saving.resolve()
      await release.promise
    })
    await saving.promise
    const complete = completeRefresh(grantId, owner, { access: 'gAAAA-refreshed', refresh: 'gAAAA-rotated' })
    await pause()
    release.resolve()
    await reconnect
    expect(await complete).toBe(false)
    expect(await grantOf(grantId)).toMatchObject({ refresh_token: 'gAAAA-reconnected', access_token: 'gAAAA-reconnected-access' })
  })

  it('concurrent set_default_account calls for one user both succeed and leave one default', async () => {
    const userId = await makeUser()
    await makeAccount(userId, { isDefault: true })
    const second = await makeAccount(userId)
    const third = await makeAccount(userId)
    const firstDone = deferred()
    const release = deferred()
    const one = asUser(db, userId, async (tx) => {
      await tx.query(`select public.set_default_account($1)`, [second])
      firstDone.resolve()
      await release.promise
    })
    await firstDone.promise
    const two = asUser(db, userId, (tx) => tx.query(`select public.set_default_account($1)`, [third]))
    await new Promise((r) => setTimeout(r, 200)) // let the second call start and wait for the first
    release.resolve()
    const results = await Promise.allSettled([one, two])
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'))).toEqual(['ok', 'ok'])
    const defaults = await db.query<{ id: string }>(`select id from public.user_accounts where user_id = $1 and is_default`, [userId])
    expect(defaults.map((r) => r.id)).toEqual([third])
  })

  it('two first connects at once for a user with no default both succeed, and leave exactly one default', async () => {
    const userId = await makeUser()
    const connect = (tx: Queryable, externalId: string) =>
      tx.query<{ id: string; is_default: boolean }>(
        `select id, is_default from public.save_connected_accounts($1, 'sp_api', 'na', $2::text::jsonb, 'gAAAA-refresh', 'gAAAA-access',
           now() + interval '1 hour', 'k1')`,
        [userId, JSON.stringify([{ external_id: externalId }])],
      )
    const firstSaved = deferred()
    const release = deferred()
    // The first connect has saved its account as the default and not yet committed when the second one runs.
    const first = asService(db, async (tx) => {
      const rows = await connect(tx, unique('A1FIRST'))
      firstSaved.resolve()
      await release.promise
      return rows
    })
    await firstSaved.promise
    const second = asService(db, (tx) => connect(tx, unique('A1SECOND')))
    await pause() // let the second connect start and wait for the first
    release.resolve()
    const results = await Promise.allSettled([first, second])
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'))).toEqual(['ok', 'ok'])
    const [firstRows, secondRows] = results.map((r) => (r as PromiseFulfilledResult<Array<{ id: string; is_default: boolean }>>).value)
    expect(firstRows).toMatchObject([{ is_default: true }])
    expect(secondRows).toMatchObject([{ is_default: false }])
    const defaults = await db.query<{ id: string }>(`select id from public.user_accounts where user_id = $1 and is_default`, [userId])
    expect(defaults.map((r) => r.id)).toEqual([firstRows![0]!.id])
    // Both connects kept their audit trail.
    expect((await eventsOf(secondRows![0]!.id)).map((e) => e.kind)).toEqual(['connected'])
  })

  it('set_default_account waits for a connect in progress, and the connect does not take the default it moved', async () => {
    const userId = await makeUser()
    const existing = await makeAccount(userId) // no default yet (an old account whose default was disconnected)
    const connecting = deferred()
    const release = deferred()
    const connect = asService(db, async (tx) => {
      const rows = await tx.query<{ id: string; is_default: boolean }>(
        `select id, is_default from public.save_connected_accounts($1, 'sp_api', 'na', $2::text::jsonb, 'gAAAA-refresh', 'gAAAA-access',
           now() + interval '1 hour', 'k1')`,
        [userId, JSON.stringify([{ external_id: unique('A1NEW') }])],
      )
      connecting.resolve()
      await release.promise
      return rows
    })
    await connecting.promise
    const makeDefault = asUser(db, userId, (tx) => tx.query(`select id from public.set_default_account($1)`, [existing]))
    await pause()
    release.resolve()
    const [connected] = await connect
    expect(await makeDefault).toEqual([{ id: existing }])
    expect(connected!.is_default).toBe(true)
    const defaults = await db.query<{ id: string }>(`select id from public.user_accounts where user_id = $1 and is_default`, [userId])
    expect(defaults.map((r) => r.id)).toEqual([existing])
  })

  it('concurrent identical renames of one account: one change, one event', async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    const rename = () => asUser(db, userId, (tx) => tx.query(`select public.rename_account($1, 'Same name')`, [accountId]))
    await Promise.all([rename(), rename(), rename(), rename()])
    expect((await eventsOf(accountId)).map((e) => e.kind)).toEqual(['renamed'])
  })

  it('an update racing a delete of the same user waits for it, and does not bring the user back', async () => {
    const userId = await makeUser()
    const deleting = deferred()
    const release = deferred()
    const remove = asService(db, async (tx) => {
      await tx.query(`select public.delete_clerk_user($1)`, [userId])
      deleting.resolve()
      await release.promise // deleted and tombstoned, not yet committed
    })
    await deleting.promise
    const update = asService(db, (tx) =>
      one<{ applied: boolean }>(tx, `select public.sync_clerk_user($1, 'race@example.com', 'Race', null, null, $2) as applied`, [userId, Date.now()]),
    )
    await new Promise((r) => setTimeout(r, 200)) // let the update start and wait on the delete's lock
    release.resolve()
    await remove
    expect(await update).toEqual({ applied: false })
    expect(await one<{ n: number }>(db, `select count(*)::int as n from public.users where id = $1`, [userId])).toEqual({ n: 0 })
  })
})
// ── privileges and RLS, at the SQL level ─────────────────────────────────────────────────────────
describe('privileges', () => {
  it('anon can execute no function in public, authenticated only the three that change an account with its event', async () => {
    const rows = await db.query<{ name: string; anon: boolean; authenticated: boolean; service: boolean }>(
      `select p.proname as name,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
              has_function_privilege('service_role', p.oid, 'execute') as service
         from pg_proc p where p.pronamespace = 'public'::regnamespace order by 1`,
    )
    expect(rows.filter((r) => r.anon)).toEqual([])
    const userFunctions = ['disconnect_account', 'rename_account', 'set_default_account']
    expect(rows.filter((r) => r.authenticated).map((r) => r.name)).toEqual(userFunctions)
    // Trigger functions are no API, not even the service role's; the user functions find nothing without a
    // user's token, so the service role may not call them either.
    expect(rows.filter((r) => !r.service).map((r) => r.name).sort()).toEqual(['delete_orphaned_grant', ...userFunctions, 'set_updated_at'].sort())
    // And every grant function is there for the Worker.
    const service = rows.filter((r) => r.service).map((r) => r.name)
    for (const name of [
      'refresh_backoff',
      'claim_due_grants',
      'start_grant_refresh',
      'complete_grant_refresh',
      'fail_grant_refresh',
      'release_grant',
      'save_reencrypted_grants',
      'token_engine_health',
      'save_connected_accounts',
      'prune_expired',
    ]) {
      expect(service).toContain(name)
    }
  })

  it('anon has no privilege on any table; RLS is on for every table', async () => {
    const rows = await db.query<{ name: string; rls: boolean; anon: boolean }>(
      `select c.relname as name, c.relrowsecurity as rls,
              has_table_privilege('anon', c.oid, 'select,insert,update,delete,truncate,references,trigger') as anon
         from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual([
      'account_events',
      'amazon_grants',
      'deleted_users',
      'oauth_states',
      'user_accounts',
      'users',
      'webhook_events',
    ])
    expect(rows.filter((r) => !r.rls || r.anon)).toEqual([])
  })

  it.each(['deleted_users', 'oauth_states', 'webhook_events'])(
    'authenticated has no privilege and no policy on %s',
    async (table) => {
      const row = await one<{ any_privilege: boolean; any_column: boolean; policies: number }>(
        db,
        `select has_table_privilege('authenticated', $1::regclass, 'select,insert,update,delete,truncate,references,trigger') as any_privilege,
                has_any_column_privilege('authenticated', $1::regclass, 'select,insert,update,references') as any_column,
                (select count(*)::int from pg_policy where polrelid = $1::regclass) as policies`,
        [`public.${table}`],
      )
      expect(row).toEqual({ any_privilege: false, any_column: false, policies: 0 })
    },
  )

  it('authenticated may read exactly the health columns of amazon_grants and write none; anon nothing', async () => {
    const columns = await db.query<{ name: string; read: boolean; write: boolean; anon: boolean }>(
      `select a.attname as name,
              has_column_privilege('authenticated', a.attrelid, a.attnum, 'select') as read,
              has_column_privilege('authenticated', a.attrelid, a.attnum, 'insert,update,references') as write,
              has_column_privilege('anon', a.attrelid, a.attnum, 'select,insert,update,references') as anon
         from pg_attribute a
        where a.attrelid = 'public.amazon_grants'::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
    )
    expect(columns.filter((c) => c.read).map((c) => c.name).sort()).toEqual(
      [
        'id',
        'user_id',
        'provider',
        'region',
        'status',
        'access_token_expires_at',
        'next_refresh_at',
        'refresh_attempts',
        'last_error_class',
        'last_attempt_at',
        'last_refreshed_at',
        'created_at',
      ].sort(),
    )
    expect(columns.filter((c) => c.write || c.anon)).toEqual([])
    const table = await one<{ authenticated: boolean; anon: boolean }>(
      db,
      `select has_table_privilege('authenticated', 'public.amazon_grants', 'select,insert,update,delete,truncate,references,trigger') as authenticated,
              has_table_privilege('anon', 'public.amazon_grants', 'select,insert,update,delete,truncate,references,trigger') as anon`,
    )
    expect(table).toEqual({ authenticated: false, anon: false })
  })
})

describe('row-level security', () => {
  it("a user sees only their own user row, accounts and events", async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const alicesAccount = await makeAccount(alice)
    await makeAccount(bob)
    await db.query(`insert into public.account_events (account_id, user_id, kind) values ($1, $2, 'connected')`, [alicesAccount, alice])
    await db.query(`insert into public.account_events (user_id, kind) values ($1, 'synced')`, [bob])

    const seen = await asUser(db, alice, async (tx) => ({
      users: (await tx.query<{ id: string }>(`select id from public.users`)).map((r) => r.id),
      accounts: (await tx.query<{ user_id: string }>(`select user_id from public.user_accounts`)).map((r) => r.user_id),
      events: (await tx.query<{ user_id: string }>(`select user_id from public.account_events`)).map((r) => r.user_id),
    }))
    expect(seen).toEqual({ users: [alice], accounts: [alice], events: [alice] })
  })

  it('a user can write no account directly, not even their own: every change goes through a function', async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const alicesAccount = await makeAccount(alice)
    const before = await one<{ row: unknown }>(db, `select to_jsonb(a) as row from public.user_accounts a where id = $1`, [alicesAccount])
    for (const user of [alice, bob]) {
      for (const statement of [
        // A rename or a default without its event, or a disconnect that leaves no trace.
        `update public.user_accounts set display_name = 'pwned' where id = $1`,
        `update public.user_accounts set is_default = true where id = $1`,
        `delete from public.user_accounts where id = $1`,
      ]) {
        await expect(asUser(db, user, (tx) => tx.query(statement, [alicesAccount])), statement).rejects.toMatchObject({ code: '42501' })
      }
    }
    expect(await one(db, `select to_jsonb(a) as row from public.user_accounts a where id = $1`, [alicesAccount])).toEqual(before)
  })

  it('a user cannot create accounts: no credential-less "active" account with an external id of their choosing', async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    for (const [statement, params] of [
      [`insert into public.user_accounts (provider, region, external_id) values ('ads', 'na', 'P1')`, []],
      [`insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'ads', 'na', 'P2')`, [alice]],
      [`insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'ads', 'na', 'P3')`, [bob]],
    ] as const) {
      await expect(asUser(db, alice, (tx) => tx.query(statement, [...params])), statement).rejects.toMatchObject({ code: '42501' })
    }
    expect(await db.query(`select 1 from public.user_accounts where user_id = any($1::text[])`, [[alice, bob]])).toEqual([])
  })

  it('a user cannot move their account to someone else', async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const accountId = await makeAccount(alice)
    await expect(
      asUser(db, alice, (tx) => tx.query(`update public.user_accounts set user_id = $1 where id = $2`, [bob, accountId])),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it.each([
    [`update public.user_accounts set status = 'active' where id = $1`],
    // Pointing an account at another consent would hand it someone else's tokens.
    [`update public.user_accounts set grant_id = null where id = $1`],
    [`update public.user_accounts set authorized_at = now() where id = $1`],
    [`update public.user_accounts set last_sync_at = now() where id = $1`],
  ])('a user may not write service-owned columns: %s', async (statement) => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await expect(asUser(db, alice, (tx) => tx.query(statement, [accountId]))).rejects.toMatchObject({ code: '42501' })
  })

  it('a user may not write their users row (the Clerk mirror): not their name, not their email', async () => {
    const alice = await makeUser()
    for (const statement of [
      `update public.users set first_name = 'Alice' where id = $1`,
      `update public.users set last_name = 'Anders' where id = $1`,
      `update public.users set email = 'x@evil.test' where id = $1`,
      `delete from public.users where id = $1`,
    ]) {
      await expect(asUser(db, alice, (tx) => tx.query(statement, [alice])), statement).rejects.toMatchObject({ code: '42501' })
    }
    expect(await one(db, `select first_name, email from public.users where id = $1`, [alice])).toEqual({ first_name: null, email: `${alice}@example.com` })
  })

  it('authenticated holds exactly SELECT on users, user_accounts and account_events, and no write privilege on any table', async () => {
    const rows = await db.query<{ name: string; select: boolean; write: boolean; column_write: boolean }>(
      `select c.relname as name,
              has_table_privilege('authenticated', c.oid, 'select') as select,
              has_table_privilege('authenticated', c.oid, 'insert,update,delete,truncate,references,trigger') as write,
              has_any_column_privilege('authenticated', c.oid, 'insert,update,references') as column_write
         from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`,
    )
    expect(rows.filter((r) => r.select).map((r) => r.name)).toEqual(['account_events', 'user_accounts', 'users'])
    expect(rows.filter((r) => r.write || r.column_write)).toEqual([])
    // Policies only for what is granted: reading one's own rows.
    const policies = await db.query<{ name: string; command: string }>(
      `select polname as name, polcmd::text as command from pg_policy
        where polrelid = any(array['public.users', 'public.user_accounts', 'public.account_events', 'public.amazon_grants']::regclass[])
        order by 1`,
    )
    expect(policies.filter((p) => p.command !== 'r')).toEqual([])
  })

  it("a user reads the health of their own grants only, never the tokens or the lease", async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const alices = await makeConsent(alice, { attempts: 2 })
    await makeConsent(bob)
    const health = await asUser(db, alice, (tx) =>
      tx.query<{ id: string; user_id: string; status: string; refresh_attempts: number }>(
        `select id, user_id, provider, region, status, access_token_expires_at, next_refresh_at, refresh_attempts,
                last_error_class, last_attempt_at, last_refreshed_at, created_at
           from public.amazon_grants`,
      ),
    )
    expect(health.map(({ id, user_id, status, refresh_attempts }) => ({ id, user_id, status, refresh_attempts }))).toEqual([
      { id: alices.grantId, user_id: alice, status: 'active', refresh_attempts: 2 },
    ])
    // And through the account, as the API reads it.
    const joined = await asUser(db, alice, (tx) =>
      tx.query(`select g.status from public.user_accounts a join public.amazon_grants g on g.id = a.grant_id`),
    )
    expect(joined).toEqual([{ status: 'active' }])
    for (const column of ['refresh_token', 'access_token', 'fernet_key_id', 'lease_owner', 'lease_expires_at', 'refresh_started_at', 'updated_at', '*']) {
      await expect(asUser(db, alice, (tx) => tx.query(`select ${column} from public.amazon_grants`)), column).rejects.toMatchObject({
        code: '42501',
      })
    }
  })

  it('amazon_grants is out of reach of anon, and no user may write it', async () => {
    const alice = await makeUser()
    const { grantId } = await makeConsent(alice)
    const before = await snapshotOf(grantId)
    await expect(asAnon(db, (tx) => tx.query(`select id, status from public.amazon_grants`))).rejects.toMatchObject({ code: '42501' })
    for (const statement of [
      `update public.amazon_grants set status = 'active' where id = $1`,
      `update public.amazon_grants set refresh_token = 'x' where id = $1`,
      `delete from public.amazon_grants where id = $1`,
      `insert into public.amazon_grants (id, user_id, provider, region, refresh_token, fernet_key_id) values (gen_random_uuid(), $1, 'ads', 'na', 'x', 'k1')`,
    ]) {
      const param = statement.startsWith('insert') ? alice : grantId
      await expect(asUser(db, alice, (tx) => tx.query(statement, [param])), statement).rejects.toMatchObject({ code: '42501' })
      await expect(asAnon(db, (tx) => tx.query(statement, [param])), statement).rejects.toMatchObject({ code: '42501' })
    }
    expect(await snapshotOf(grantId)).toEqual(before)
  })

  it('the service role reads and writes everything (it bypasses RLS)', async () => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await asService(db, async (tx) => {
      const [grant] = await tx.query<{ id: string }>(
        `insert into public.amazon_grants (user_id, provider, region, refresh_token, fernet_key_id) values ($1, 'sp_api', 'na', 'gAAAA', 'k1') returning id`,
        [alice],
      )
      await tx.query(`insert into public.account_events (account_id, user_id, kind, detail) values ($1, $2, 'refreshed', '{"ms": 12}')`, [
        accountId,
        alice,
      ])
      await tx.query(`insert into public.webhook_events (svix_id, type) values ($1, 'user.updated')`, [unique('msg')])
      await tx.query(`update public.user_accounts set status = 'refreshing', last_sync_at = now(), grant_id = $2 where id = $1`, [
        accountId,
        grant!.id,
      ])
    })
    const row = await one<{ status: string; has_grant: boolean }>(
      db,
      `select status, grant_id is not null as has_grant from public.user_accounts where id = $1`,
      [accountId],
    )
    expect(row).toEqual({ status: 'refreshing', has_grant: true })
  })
})

describe('deletes', () => {
  it('deleting a user removes their accounts, grants, states and events', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2 })
    await db.query(
      `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash) values ($1, $2, 'ads', 'na', $3)`,
      [sha256(unique('s')), userId, sha256(unique('n'))],
    )
    await db.query(`insert into public.account_events (account_id, user_id, kind) values ($1, $2, 'connected')`, [accountIds[0], userId])

    await asService(db, (tx) => tx.query(`delete from public.users where id = $1`, [userId]))
    const left = await one<{ accounts: number; grants: number; states: number; events: number }>(
      db,
      `select (select count(*)::int from public.user_accounts where user_id = $1) as accounts,
              (select count(*)::int from public.amazon_grants where id = $2 or user_id = $1) as grants,
              (select count(*)::int from public.oauth_states where user_id = $1) as states,
              (select count(*)::int from public.account_events where user_id = $1) as events`,
      [userId, grantId],
    )
    expect(left).toEqual({ accounts: 0, grants: 0, states: 0, events: 0 })
  })

  it('deleting one profile of a consent keeps the grant; deleting the last one deletes it', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2 })
    const other = await makeConsent(userId) // the user's other consent stays
    await asService(db, (tx) => tx.query(`delete from public.user_accounts where id = $1`, [accountIds[0]]))
    expect(await grantExists(grantId)).toBe(true)
    await asService(db, (tx) => tx.query(`delete from public.user_accounts where id = $1`, [accountIds[1]]))
    expect(await grantExists(grantId)).toBe(false)
    expect(await grantExists(other.grantId)).toBe(true)
  })

  // DELETE /api/accounts/:id runs with the user's token, and users may not touch amazon_grants: the
  // trigger must still be able to drop the orphaned grant (it runs as the table owner).
  it('a user disconnecting their last account of a consent deletes it and its grant', async () => {
    const userId = await makeUser()
    const { grantId, accountIds } = await makeConsent(userId, { accounts: 2 })
    // The first of two works (the grant is still used, the trigger deletes nothing).
    await asUser(db, userId, (tx) => tx.query(`select public.disconnect_account($1)`, [accountIds[0]]))
    expect(await grantExists(grantId)).toBe(true)
    const deleted = await asUser(db, userId, (tx) => tx.query(`select id, grant_id from public.disconnect_account($1)`, [accountIds[1]]))
    expect(deleted).toEqual([{ id: accountIds[1], grant_id: grantId }])
    expect(await grantExists(grantId)).toBe(false)
  })

  it("disconnecting an account keeps its history, detached", async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await db.query(`insert into public.account_events (account_id, user_id, kind) values ($1, $2, 'connected')`, [accountId, userId])
    await asUser(db, userId, (tx) => tx.query(`select public.disconnect_account($1)`, [accountId]))
    const events = await db.query<{ account_id: string | null; kind: string }>(
      `select account_id, kind from public.account_events where user_id = $1 order by id`,
      [userId],
    )
    expect(events).toEqual([
      { account_id: null, kind: 'connected' },
      { account_id: null, kind: 'disconnected' },
    ])
  })
})

describe('seed', () => {
  it('applies again without error', async () => {
    await db.exec(readSql(seedSqlPath))
    const row = await one<{ n: number }>(db, `select count(*)::int as n from public.users where id = 'user_seed_demo'`)
    expect(row.n).toBe(1)
  })
})
