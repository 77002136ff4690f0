// The schema in an embedded Postgres (PGlite), or on a real server with SCHEMA_TEST_DATABASE_URL
// (a superuser URL, e.g. postgres://postgres@127.0.0.1:5432/postgres: a throwaway database is created
// and dropped, and the concurrency tests run too): dev/db/supabase-platform.sql, then supabase/migrations/*. Requests are simulated the way PostgREST
// makes them (`set local role …` + `request.jwt.claims`), so RLS and grants are exercised for real.
// The same rules through the real PostgREST and supabase-js are in rls.test.ts.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  MIGRATION_FILE,
  applySchema,
  migrationFiles,
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
  fields: { isDefault?: boolean; status?: string; provider?: string } = {},
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into public.user_accounts (user_id, provider, region, external_id, is_default, status)
     values ($1, $2, 'na', $3, $4, $5) returning id`,
    [userId, fields.provider ?? 'sp_api', unique('A1SELLER'), fields.isDefault ?? false, fields.status ?? 'active'],
  )
  return row!.id
}

async function makeCredentials(accountId: string, expiresIn: string | null = '1 hour'): Promise<void> {
  await db.query(
    `insert into public.account_credentials (account_id, refresh_token, access_token, access_token_expires_at, fernet_key_id)
     values ($1, 'gAAAA-refresh', 'gAAAA-access', now() + $2::interval, 'k1')`,
    [accountId, expiresIn],
  )
}

async function one<T>(q: Queryable, text: string, params: unknown[] = []): Promise<T> {
  const rows = await q.query<T>(text, params)
  expect(rows).toHaveLength(1)
  return rows[0]!
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
    const row = await one<{ anon_creds: boolean; auth_creds: boolean; svc_creds: boolean }>(
      db,
      `select has_table_privilege('anon', 'public.account_credentials', 'select') as anon_creds,
              has_table_privilege('authenticated', 'public.account_credentials', 'select') as auth_creds,
              has_table_privilege('service_role', 'public.account_credentials', 'select,insert,update,delete') as svc_creds`,
    )
    expect(row).toEqual({ anon_creds: false, auth_creds: false, svc_creds: true })
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
    ['account_credentials', `update public.account_credentials set lease_owner = 'worker-1' where account_id = $1`],
  ])('stamps %s.updated_at on every update', async (table, update) => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await makeCredentials(accountId)
    const key = table === 'account_credentials' ? 'account_id' : 'id'
    const id = table === 'users' ? userId : accountId
    // The rows were written in earlier transactions, so only the trigger can make updated_at = now() here.
    const row = await db.transaction(async (tx) => {
      await tx.query(update, [id])
      return one<{ fresh: boolean }>(tx, `select updated_at = now() as fresh from public.${table} where ${key} = $1`, [id])
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

describe('refresh schedule trigger on account_credentials', () => {
  const schedule = (q: Queryable, accountId: string) =>
    one<{ five_before: boolean; now: boolean; attempts: number; next: string }>(
      q,
      `select next_refresh_at = access_token_expires_at - interval '5 minutes' as five_before,
              next_refresh_at = now() as now, refresh_attempts as attempts, next_refresh_at::text as next
         from public.account_credentials where account_id = $1`,
      [accountId],
    )

  it('on insert: 5 minutes before expiry, or now when there is no expiry', async () => {
    const withExpiry = await makeAccount(await makeUser())
    await makeCredentials(withExpiry, '1 hour')
    expect((await schedule(db, withExpiry)).five_before).toBe(true)

    const withoutExpiry = await makeAccount(await makeUser())
    const row = await db.transaction(async (tx) => {
      await tx.query(
        `insert into public.account_credentials (account_id, refresh_token, fernet_key_id, next_refresh_at)
         values ($1, 'gAAAA-refresh', 'k1', now() + interval '1 day')`,
        [withoutExpiry],
      )
      return schedule(tx, withoutExpiry)
    })
    expect(row.now).toBe(true)
  })

  it('follows a new expiry, and keeps a backoff the refresher sets while the expiry is unchanged', async () => {
    const accountId = await makeAccount(await makeUser())
    await makeCredentials(accountId, '1 hour')

    await db.query(
      `update public.account_credentials set access_token_expires_at = now() + interval '2 hours' where account_id = $1`,
      [accountId],
    )
    expect((await schedule(db, accountId)).five_before).toBe(true)

    // A failed refresh: attempts + 1 and a backoff, expiry untouched. The trigger must not undo it.
    await db.query(
      `update public.account_credentials
          set refresh_attempts = refresh_attempts + 1, next_refresh_at = '2030-01-01T00:00:00Z'
        where account_id = $1`,
      [accountId],
    )
    const backoff = await one<{ next_year: number }>(
      db,
      `select extract(year from next_refresh_at at time zone 'UTC')::int as next_year
         from public.account_credentials where account_id = $1`,
      [accountId],
    )
    expect(backoff.next_year).toBe(2030)

    // Expiry cleared: refresh at once.
    const cleared = await db.transaction(async (tx) => {
      await tx.query(
        `update public.account_credentials set access_token = null, access_token_expires_at = null where account_id = $1`,
        [accountId],
      )
      return schedule(tx, accountId)
    })
    expect(cleared.now).toBe(true)
  })

  it('resets refresh_attempts when a new access token arrives, and only then', async () => {
    const accountId = await makeAccount(await makeUser())
    await makeCredentials(accountId)
    await db.query(
      `update public.account_credentials set refresh_attempts = 3, last_refresh_error = 'timeout' where account_id = $1`,
      [accountId],
    )
    expect((await schedule(db, accountId)).attempts).toBe(3)

    // Same token, other changes: the streak continues.
    await db.query(`update public.account_credentials set lease_owner = 'w' where account_id = $1`, [accountId])
    expect((await schedule(db, accountId)).attempts).toBe(3)

    await db.query(
      `update public.account_credentials
          set access_token = 'gAAAA-new-access', access_token_expires_at = now() + interval '1 hour'
        where account_id = $1`,
      [accountId],
    )
    expect((await schedule(db, accountId)).attempts).toBe(0)
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
    const accountId = await makeAccount(id)
    await makeCredentials(accountId)
    await asService(db, (tx) => remove(tx, id))
    const left = await one<{ users: number; accounts: number; credentials: number; tombstones: number }>(
      db,
      `select (select count(*)::int from public.users where id = $1) as users,
              (select count(*)::int from public.user_accounts where user_id = $1) as accounts,
              (select count(*)::int from public.account_credentials where account_id = $2) as credentials,
              (select count(*)::int from public.deleted_users where id = $1) as tombstones`,
      [id, accountId],
    )
    expect(left).toEqual({ users: 0, accounts: 0, credentials: 0, tombstones: 1 })
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

describe('set_default_account', () => {
  const defaults = (userId: string) =>
    db
      .query<{ id: string }>(`select id from public.user_accounts where user_id = $1 and is_default`, [userId])
      .then((rows) => rows.map((r) => r.id))

  it("moves the caller's default in one call", async () => {
    const userId = await makeUser()
    const first = await makeAccount(userId, { isDefault: true })
    const second = await makeAccount(userId)
    const row = await asUser(db, userId, (tx) =>
      one<{ id: string; is_default: boolean }>(tx, `select id, is_default from public.set_default_account($1)`, [second]),
    )
    expect(row).toEqual({ id: second, is_default: true })
    expect(await defaults(userId)).toEqual([second])
    // And back; also fine when the account already is the default.
    await asUser(db, userId, (tx) => tx.query(`select public.set_default_account($1)`, [first]))
    await asUser(db, userId, (tx) => tx.query(`select public.set_default_account($1)`, [first]))
    expect(await defaults(userId)).toEqual([first])
  })

  it("cannot touch another user's account (not found, nothing changed)", async () => {
    const owner = await makeUser()
    const intruder = await makeUser()
    const ownersDefault = await makeAccount(owner, { isDefault: true })
    const ownersOther = await makeAccount(owner)
    await makeAccount(intruder, { isDefault: true })
    await expect(
      asUser(db, intruder, (tx) => tx.query(`select public.set_default_account($1)`, [ownersOther])),
    ).rejects.toMatchObject({ code: 'PT404' })
    expect(await defaults(owner)).toEqual([ownersDefault])
  })

  it('is not callable by anon', async () => {
    const accountId = await makeAccount(await makeUser())
    await expect(asAnon(db, (tx) => tx.query(`select public.set_default_account($1)`, [accountId]))).rejects.toMatchObject({
      code: '42501',
    })
  })
})

describe('save_connected_account', () => {
  const save = (userId: string, externalId: string, accessToken: string, displayName: string | null = 'Main store') =>
    asService(db, (tx) =>
      one<{ id: string; status: string; is_default: boolean; display_name: string }>(
        tx,
        `select id, status, is_default, display_name from public.save_connected_account(
           $1, 'sp_api', 'eu', $2, array['A1PM5H6Z1R8J9I'], $3, 'gAAAA-refresh', $4, now() + interval '1 hour', 'k1')`,
        [userId, externalId, displayName, accessToken],
      ),
    )
  const events = (accountId: string) =>
    db
      .query<{ kind: string }>(`select kind from public.account_events where account_id = $1 order by id`, [accountId])
      .then((rows) => rows.map((r) => r.kind))

  it('saves account, tokens and a connected event; the first account becomes the default', async () => {
    const userId = await makeUser()
    const account = await save(userId, 'A2SELLER', 'gAAAA-access-1')
    expect(account).toMatchObject({ status: 'active', is_default: true, display_name: 'Main store' })
    const creds = await one<{ access_token: string; scheduled: boolean }>(
      db,
      `select access_token, next_refresh_at = access_token_expires_at - interval '5 minutes' as scheduled
         from public.account_credentials where account_id = $1`,
      [account.id],
    )
    expect(creds).toEqual({ access_token: 'gAAAA-access-1', scheduled: true })
    expect(await events(account.id)).toEqual(['connected'])

    const second = await save(userId, 'A3SELLER', 'gAAAA-access-2')
    expect(second.is_default).toBe(false)
  })

  it('a reconnect reactivates the same row, keeps the chosen name and resets the failure streak', async () => {
    const userId = await makeUser()
    const account = await save(userId, 'A4SELLER', 'gAAAA-access-1')
    await db.query(
      `update public.user_accounts set status = 'reauth_required', display_name = 'My EU shop',
              authorized_at = now() - interval '1 year' where id = $1`,
      [account.id],
    )
    await db.query(`update public.account_credentials set refresh_attempts = 7, lease_owner = 'w' where account_id = $1`, [account.id])

    const again = await save(userId, 'A4SELLER', 'gAAAA-access-2', 'Amazon name')
    expect(again).toMatchObject({ id: account.id, status: 'active', display_name: 'My EU shop', is_default: true })
    const creds = await one<{ access_token: string; refresh_attempts: number; lease_owner: string | null }>(
      db,
      `select access_token, refresh_attempts, lease_owner from public.account_credentials where account_id = $1`,
      [account.id],
    )
    expect(creds).toEqual({ access_token: 'gAAAA-access-2', refresh_attempts: 0, lease_owner: null })
    const fresh = await one<{ recent: boolean }>(
      db,
      `select authorized_at > now() - interval '1 minute' as recent from public.user_accounts where id = $1`,
      [account.id],
    )
    expect(fresh.recent).toBe(true)
    expect(await events(account.id)).toEqual(['connected', 'reconnected'])
  })

  it('saves nothing when any part fails', async () => {
    const userId = await makeUser()
    await expect(
      asService(db, (tx) =>
        tx.query(
          `select public.save_connected_account($1, 'sp_api', 'na', 'A5SELLER', '{}', null, 'gAAAA-refresh', null, null, null)`,
          [userId],
        ),
      ),
    ).rejects.toMatchObject({ code: '23502' }) // fernet_key_id is required
    expect(await db.query(`select 1 from public.user_accounts where user_id = $1`, [userId])).toEqual([])
  })

  it('is not callable by users', async () => {
    const userId = await makeUser()
    await expect(
      asUser(db, userId, (tx) =>
        tx.query(`select public.save_connected_account($1, 'sp_api', 'na', 'X', '{}', null, 'r', 'a', null, 'k1')`, [userId]),
      ),
    ).rejects.toMatchObject({ code: '42501' })
  })
})

describe('save_connected_accounts', () => {
  const saveAll = (q: Queryable, userId: string, accounts: unknown) =>
    q.query<{ external_id: string; is_default: boolean; marketplaces: string[] }>(
      `select external_id, is_default, marketplaces from public.save_connected_accounts(
         $1, 'ads', 'na', $2::text::jsonb, 'gAAAA-refresh', 'gAAAA-access', now() + interval '1 hour', 'k1')`,
      [userId, JSON.stringify(accounts)],
    )

  it('saves every profile of one consent, in order, the first becoming the default', async () => {
    const userId = await makeUser()
    const rows = await asService(db, (tx) =>
      saveAll(tx, userId, [
        { external_id: '1001', marketplaces: ['ATVPDKIKX0DER'], display_name: 'US ads' },
        { external_id: '1002', marketplaces: ['A2EUQ1WTGCTBG2'], display_name: null },
      ]),
    )
    expect(rows).toEqual([
      { external_id: '1001', is_default: true, marketplaces: ['ATVPDKIKX0DER'] },
      { external_id: '1002', is_default: false, marketplaces: ['A2EUQ1WTGCTBG2'] },
    ])
    const saved = await one<{ credentials: number }>(
      db,
      `select count(*)::int as credentials from public.account_credentials c join public.user_accounts a on a.id = c.account_id where a.user_id = $1`,
      [userId],
    )
    expect(saved).toEqual({ credentials: 2 })
  })

  it('saves none when one of them fails', async () => {
    const userId = await makeUser()
    await expect(
      asService(db, (tx) =>
        saveAll(tx, userId, [
          { external_id: '2001', marketplaces: ['ATVPDKIKX0DER'], display_name: 'Fine' },
          { external_id: '', marketplaces: [], display_name: null }, // breaks external_id's check
        ]),
      ),
    ).rejects.toMatchObject({ code: '23514' })
    expect(await db.query(`select 1 from public.user_accounts where user_id = $1`, [userId])).toEqual([])
  })

  it('refuses an empty or malformed list, and is not callable by users', async () => {
    const userId = await makeUser()
    await expect(asService(db, (tx) => saveAll(tx, userId, []))).rejects.toMatchObject({ code: '22023' })
    await expect(asService(db, (tx) => saveAll(tx, userId, { external_id: '1' }))).rejects.toMatchObject({ code: '22023' })
    await expect(asUser(db, userId, (tx) => saveAll(tx, userId, [{ external_id: '3001' }]))).rejects.toMatchObject({ code: '42501' })
  })
})

describe('claim_due_refreshes', () => {
  it('leases due accounts once, skips those not due or needing reauth, and reclaims expired leases', async () => {
    const userId = await makeUser()
    const due = await makeAccount(userId)
    await makeCredentials(due, '2 minutes') // next_refresh_at = 3 minutes ago
    const later = await makeAccount(userId)
    await makeCredentials(later, '1 hour')
    const broken = await makeAccount(userId, { status: 'reauth_required' })
    await makeCredentials(broken, null)

    const claim = (owner: string) =>
      asService(db, (tx) =>
        tx.query<{ account_id: string; user_id: string; provider: string }>(
          `select * from public.claim_due_refreshes($1, 1000, 60)`,
          [owner],
        ),
      ).then((rows) => rows.filter((r) => r.user_id === userId))

    const first = await claim('worker-a')
    expect(first).toEqual([{ account_id: due, user_id: userId, provider: 'sp_api', region: 'na', refresh_attempts: 0 }])
    expect(await claim('worker-b')).toEqual([]) // leased by worker-a

    await db.query(`update public.account_credentials set lease_expires_at = now() - interval '1 second' where account_id = $1`, [due])
    const reclaimed = await claim('worker-b')
    expect(reclaimed.map((r) => r.account_id)).toEqual([due])
    const lease = await one<{ lease_owner: string }>(db, `select lease_owner from public.account_credentials where account_id = $1`, [due])
    expect(lease.lease_owner).toBe('worker-b')
  })

  it('is not callable by users', async () => {
    await expect(
      asUser(db, unique('user'), (tx) => tx.query(`select * from public.claim_due_refreshes('me')`)),
    ).rejects.toMatchObject({ code: '42501' })
  })
})

// ── concurrency (needs a server: PGlite runs one transaction at a time) ─────────────────────────────
describe.runIf(Boolean(process.env.SCHEMA_TEST_DATABASE_URL || inject('databaseServerUrl')))('concurrency', () => {
  const deferred = <T = void>() => {
    let resolve!: (value: T) => void
    const promise = new Promise<T>((r) => (resolve = r))
    return { promise, resolve }
  }

  it('two claimers never lease the same account, and neither waits for the other', async () => {
    const userId = await makeUser()
    const accounts: string[] = []
    for (let i = 0; i < 4; i++) {
      const id = await makeAccount(userId)
      await makeCredentials(id, null)
      accounts.push(id)
    }
    const claim = (tx: Queryable, owner: string) =>
      tx
        .query<{ account_id: string; user_id: string }>(`select * from public.claim_due_refreshes($1, 1000, 60)`, [owner])
        .then((rows) => rows.filter((r) => r.user_id === userId).map((r) => r.account_id))
    // Take two first: with only this user's rows due, restrict the first claim to them.
    await db.query(
      `update public.account_credentials set next_refresh_at = now() + interval '1 day' where account_id = any($1::uuid[])`,
      [accounts.slice(2)],
    )
    const firstHolds = deferred<string[]>()
    const release = deferred()
    const first = asService(db, async (tx) => {
      const rows = await claim(tx, 'worker-a')
      firstHolds.resolve(rows)
      await release.promise // keep the rows locked, lease not yet committed
      return rows
    })
    const firstRows = await firstHolds.promise
    await db.query(`update public.account_credentials set next_refresh_at = now() - interval '1 second' where account_id = any($1::uuid[])`, [
      accounts.slice(2),
    ])
    let secondRows: string[]
    try {
      secondRows = await asService(db, async (tx) => {
        await tx.exec(`set local lock_timeout = '2s'`) // without SKIP LOCKED it would wait: fail fast instead
        return claim(tx, 'worker-b')
      })
    } finally {
      release.resolve()
      await first
    }
    expect(firstRows.sort()).toEqual(accounts.slice(0, 2).sort())
    expect(secondRows.sort()).toEqual(accounts.slice(2).sort())
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
  it('anon can execute no function in public, authenticated only set_default_account', async () => {
    const rows = await db.query<{ name: string; anon: boolean; authenticated: boolean; service: boolean }>(
      `select p.proname as name,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
              has_function_privilege('service_role', p.oid, 'execute') as service
         from pg_proc p where p.pronamespace = 'public'::regnamespace order by 1`,
    )
    expect(rows.filter((r) => r.anon)).toEqual([])
    expect(rows.filter((r) => r.authenticated).map((r) => r.name)).toEqual(['set_default_account'])
    expect(rows.filter((r) => !r.service).map((r) => r.name).sort()).toEqual([
      'account_credentials_schedule_refresh',
      'set_updated_at',
    ])
  })

  it('anon has no privilege on any table; RLS is on for every table', async () => {
    const rows = await db.query<{ name: string; rls: boolean; anon: boolean }>(
      `select c.relname as name, c.relrowsecurity as rls,
              has_table_privilege('anon', c.oid, 'select,insert,update,delete,truncate,references,trigger') as anon
         from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual([
      'account_credentials',
      'account_events',
      'deleted_users',
      'oauth_states',
      'user_accounts',
      'users',
      'webhook_events',
    ])
    expect(rows.filter((r) => !r.rls || r.anon)).toEqual([])
  })

  it.each(['account_credentials', 'deleted_users', 'oauth_states', 'webhook_events'])(
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

  it("a user's update or delete of another user's account affects no row", async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const alicesAccount = await makeAccount(alice)
    const affected = await asUser(db, bob, async (tx) => [
      ...(await tx.query(`update public.user_accounts set display_name = 'pwned' where id = $1 returning id`, [alicesAccount])),
      ...(await tx.query(`delete from public.user_accounts where id = $1 returning id`, [alicesAccount])),
    ])
    expect(affected).toEqual([])
    const row = await one<{ display_name: string | null }>(db, `select display_name from public.user_accounts where id = $1`, [alicesAccount])
    expect(row.display_name).toBeNull()
  })

  it('inserts default user_id to the caller and refuse rows for someone else', async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const row = await asUser(db, alice, (tx) =>
      one<{ user_id: string }>(
        tx,
        `insert into public.user_accounts (provider, region, external_id) values ('ads', 'na', 'P1') returning user_id`,
      ),
    )
    expect(row.user_id).toBe(alice)
    await expect(
      asUser(db, alice, (tx) =>
        tx.query(`insert into public.user_accounts (user_id, provider, region, external_id) values ($1, 'ads', 'na', 'P2')`, [bob]),
      ),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it('a user cannot move their account to someone else', async () => {
    const alice = await makeUser()
    const bob = await makeUser()
    const accountId = await makeAccount(alice)
    // user_id is not among the updatable columns; the WITH CHECK would refuse it too.
    await expect(
      asUser(db, alice, (tx) => tx.query(`update public.user_accounts set user_id = $1 where id = $2`, [bob, accountId])),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it.each([
    [`update public.user_accounts set status = 'active' where id = $1`],
    [`update public.user_accounts set authorized_at = now() where id = $1`],
    [`update public.user_accounts set last_sync_at = now() where id = $1`],
  ])('a user may not write service-owned columns: %s', async (statement) => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await expect(asUser(db, alice, (tx) => tx.query(statement, [accountId]))).rejects.toMatchObject({ code: '42501' })
  })

  it('a user may rename their account and their own name, not their email', async () => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await asUser(db, alice, async (tx) => {
      await tx.query(`update public.user_accounts set display_name = 'EU shop' where id = $1`, [accountId])
      await tx.query(`update public.users set first_name = 'Alice' where id = $1`, [alice])
    })
    const row = await one<{ display_name: string; first_name: string }>(
      db,
      `select a.display_name, u.first_name from public.user_accounts a join public.users u on u.id = a.user_id where a.id = $1`,
      [accountId],
    )
    expect(row).toEqual({ display_name: 'EU shop', first_name: 'Alice' })
    await expect(
      asUser(db, alice, (tx) => tx.query(`update public.users set email = 'x@evil.test' where id = $1`, [alice])),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it('account_credentials is out of reach of users and anon', async () => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await makeCredentials(accountId)
    for (const run of [
      (fn: (tx: Queryable) => Promise<unknown>) => asUser(db, alice, fn),
      (fn: (tx: Queryable) => Promise<unknown>) => asAnon(db, fn),
    ]) {
      await expect(run((tx) => tx.query(`select refresh_token from public.account_credentials`))).rejects.toMatchObject({ code: '42501' })
      await expect(
        run((tx) => tx.query(`update public.account_credentials set refresh_token = 'x' where account_id = $1`, [accountId])),
      ).rejects.toMatchObject({ code: '42501' })
    }
  })

  it('the service role reads and writes everything (it bypasses RLS)', async () => {
    const alice = await makeUser()
    const accountId = await makeAccount(alice)
    await asService(db, async (tx) => {
      await tx.query(
        `insert into public.account_credentials (account_id, refresh_token, fernet_key_id) values ($1, 'gAAAA', 'k1')`,
        [accountId],
      )
      await tx.query(`insert into public.account_events (account_id, user_id, kind, detail) values ($1, $2, 'refreshed', '{"ms": 12}')`, [
        accountId,
        alice,
      ])
      await tx.query(`insert into public.webhook_events (svix_id, type) values ($1, 'user.updated')`, [unique('msg')])
      await tx.query(`update public.user_accounts set status = 'refreshing', last_sync_at = now() where id = $1`, [accountId])
    })
    const row = await one<{ status: string }>(db, `select status from public.user_accounts where id = $1`, [accountId])
    expect(row.status).toBe('refreshing')
  })
})

describe('deletes', () => {
  it('deleting a user removes their accounts, credentials, states and events', async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await makeCredentials(accountId)
    await db.query(
      `insert into public.oauth_states (state_hash, user_id, provider, region, nonce_hash) values ($1, $2, 'ads', 'na', $3)`,
      [sha256(unique('s')), userId, sha256(unique('n'))],
    )
    await db.query(`insert into public.account_events (account_id, user_id, kind) values ($1, $2, 'connected')`, [accountId, userId])

    await asService(db, (tx) => tx.query(`delete from public.users where id = $1`, [userId]))
    const left = await one<{ accounts: number; credentials: number; states: number; events: number }>(
      db,
      `select (select count(*)::int from public.user_accounts where user_id = $1) as accounts,
              (select count(*)::int from public.account_credentials where account_id = $2) as credentials,
              (select count(*)::int from public.oauth_states where user_id = $1) as states,
              (select count(*)::int from public.account_events where user_id = $1) as events`,
      [userId, accountId],
    )
    expect(left).toEqual({ accounts: 0, credentials: 0, states: 0, events: 0 })
  })

  it("deleting an account keeps its history, detached", async () => {
    const userId = await makeUser()
    const accountId = await makeAccount(userId)
    await makeCredentials(accountId)
    await db.query(`insert into public.account_events (account_id, user_id, kind) values ($1, $2, 'connected')`, [accountId, userId])
    await asUser(db, userId, (tx) => tx.query(`delete from public.user_accounts where id = $1`, [accountId]))
    expect(await db.query(`select 1 from public.account_credentials where account_id = $1`, [accountId])).toEqual([])
    const events = await db.query<{ account_id: string | null; kind: string }>(
      `select account_id, kind from public.account_events where user_id = $1`,
      [userId],
    )
    expect(events).toEqual([{ account_id: null, kind: 'connected' }])
  })
})

describe('seed', () => {
  it('applies again without error', async () => {
    await db.exec(readSql(seedSqlPath))
    const row = await one<{ n: number }>(db, `select count(*)::int as n from public.users where id = 'user_seed_demo'`)
    expect(row.n).toBe(1)
  })
})
