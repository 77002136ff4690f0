// Row-level security and grants through the real PostgREST, behind the Supabase-style gateway, with
// supabase-js and real (stand-in) Clerk session tokens: what the Worker and the dashboard will see.
// dev/test/global-setup.ts starts the stack and applies the schema; the database is shared by every
// suite of the run, so everything here is created with fresh ids and only ever filtered by them.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { type SupabaseClient, createClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { type ClerkSession, createClerkSession } from './clerk-session.ts'

const supabaseUrl = inject('supabaseUrl')
const clientOptions = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } }

const service = createClient(supabaseUrl, inject('supabaseServiceRoleKey'), clientOptions)
const anon = createClient(supabaseUrl, inject('supabaseAnonKey'), clientOptions)

/** The client the Worker builds per request: anon key + the caller's Clerk session token. */
function clientFor(session: ClerkSession): SupabaseClient {
  return createClient(supabaseUrl, inject('supabaseAnonKey'), { accessToken: () => session.getToken() })
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const unique = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`

/** The Clerk webhook's upsert, through the rpc. */
async function syncUser(session: ClerkSession): Promise<void> {
  const { user } = session
  const { data, error } = await service.rpc('sync_clerk_user', {
    p_id: user.id,
    p_email: user.email_addresses[0]?.email_address ?? null,
    p_first_name: user.first_name,
    p_last_name: user.last_name,
    p_image_url: user.image_url,
    p_clerk_updated_at: user.updated_at,
  })
  expect(error).toBeNull()
  expect(data).toBe(true)
}

type Account = { id: string; user_id: string; display_name: string | null; is_default: boolean; status: string; grant_id: string }

/** The OAuth callback's save, through the rpc: one SP-API seller, one consent, one grant. */
async function connectAccount(userId: string, displayName: string): Promise<Account> {
  const { data, error } = await service.rpc('save_connected_accounts', {
    p_user_id: userId,
    p_provider: 'sp_api',
    p_region: 'na',
    p_accounts: [{ external_id: unique('A1SELLER'), marketplaces: ['ATVPDKIKX0DER'], display_name: displayName }],
    p_refresh_token: 'gAAAAA-refresh-ciphertext',
    p_access_token: 'gAAAAA-access-ciphertext',
    p_access_token_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    p_fernet_key_id: 'k1',
  })
  expect(error).toBeNull()
  expect(data).toHaveLength(1)
  const [account] = data as Account[]
  expect(account!.grant_id).toEqual(expect.any(String))
  return account!
}

/** The columns of amazon_grants users may read: the grant's health, never its tokens or lease. */
const GRANT_HEALTH_COLUMNS =
  'id, user_id, provider, region, status, access_token_expires_at, next_refresh_at, refresh_attempts, last_error_class, last_attempt_at, last_refreshed_at, created_at'

async function accountAsService(id: string): Promise<Account | null> {
  const { data, error } = await service.from('user_accounts').select('*').eq('id', id).maybeSingle()
  expect(error).toBeNull()
  return data as Account | null
}

let alice: ClerkSession
let bob: ClerkSession
let asAlice: SupabaseClient
let asBob: SupabaseClient
let alicesMain: Account
let alicesSecond: Account
let bobsAccount: Account

beforeAll(async () => {
  ;[alice, bob] = await Promise.all([
    createClerkSession(inject('clerkUrl'), inject('clerkSecretKey'), { firstName: 'Alice' }),
    createClerkSession(inject('clerkUrl'), inject('clerkSecretKey'), { firstName: 'Bob' }),
  ])
  await syncUser(alice)
  await syncUser(bob)
  asAlice = clientFor(alice)
  asBob = clientFor(bob)
  alicesMain = await connectAccount(alice.user.id, 'Alice US')
  alicesSecond = await connectAccount(alice.user.id, 'Alice EU')
  bobsAccount = await connectAccount(bob.user.id, 'Bob US')
}, 30_000)

describe('a user with a Clerk session token', () => {
  it('sees only their own user row', async () => {
    const { data, error } = await asAlice.from('users').select('id, first_name')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: alice.user.id, first_name: 'Alice' }])
  })

  it('sees only their own accounts; their first one is the default', async () => {
    const { data, error } = await asAlice.from('user_accounts').select('id, user_id, is_default').order('created_at')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: alicesMain.id, user_id: alice.user.id, is_default: true },
      { id: alicesSecond.id, user_id: alice.user.id, is_default: false },
    ])
  })

  it('sees only their own account events', async () => {
    const { data, error } = await asAlice.from('account_events').select('user_id, account_id, kind')
    expect(error).toBeNull()
    expect(data).toHaveLength(2)
    for (const event of data!) expect(event).toMatchObject({ user_id: alice.user.id, kind: 'connected' })
  })

  it('renames their own account through rename_account, which records the event with the change', async () => {
    const renamed = await asAlice.rpc('rename_account', { p_account_id: alicesMain.id, p_display_name: 'Alice US (main)' })
    expect(renamed.error).toBeNull()
    expect(renamed.data).toMatchObject({ id: alicesMain.id, display_name: 'Alice US (main)' })
    const events = await asAlice.from('account_events').select('kind').eq('account_id', alicesMain.id).order('id')
    expect(events).toMatchObject({ error: null, data: [{ kind: 'connected' }, { kind: 'renamed' }] })

    // The same name again changes nothing and records nothing.
    const same = await asAlice.rpc('rename_account', { p_account_id: alicesMain.id, p_display_name: 'Alice US (main)' })
    expect(same).toMatchObject({ error: null, data: { display_name: 'Alice US (main)' } })
    const after = await asAlice.from('account_events').select('kind').eq('account_id', alicesMain.id)
    expect(after.data).toHaveLength(2)
  })

  it('cannot write accounts or their user row directly: no change without its event, no edit of the Clerk mirror', async () => {
    const renamed = await asAlice.from('user_accounts').update({ display_name: 'no event' }).eq('id', alicesMain.id).select('id')
    expect(renamed.error?.code).toBe('42501')
    const deleted = await asAlice.from('user_accounts').delete().eq('id', alicesSecond.id).select('id')
    expect(deleted.error?.code).toBe('42501')
    const named = await asAlice.from('users').update({ last_name: 'Anders' }).eq('id', alice.user.id).select('last_name')
    expect(named.error?.code).toBe('42501')
    expect(await accountAsService(alicesMain.id)).toMatchObject({ display_name: 'Alice US (main)' })
    expect(await accountAsService(alicesSecond.id)).not.toBeNull()
  })

  it("cannot read, update or delete another user's account", async () => {
    const read = await asBob.from('user_accounts').select('id').eq('id', alicesMain.id)
    expect(read).toMatchObject({ error: null, data: [] })

    const updated = await asBob.from('user_accounts').update({ display_name: 'mine now' }).eq('id', alicesSecond.id).select('id')
    expect(updated.error?.code).toBe('42501')
    const deleted = await asBob.from('user_accounts').delete().eq('id', alicesSecond.id).select('id')
    expect(deleted.error?.code).toBe('42501')

    // Through the functions, her account is simply not there for him.
    const rename = await asBob.rpc('rename_account', { p_account_id: alicesSecond.id, p_display_name: 'mine now' })
    expect(rename.error?.code).toBe('PT404')
    const disconnect = await asBob.rpc('disconnect_account', { p_account_id: alicesSecond.id })
    expect(disconnect.error?.code).toBe('PT404')
    const bobsEvents = await asBob.from('account_events').select('kind').in('kind', ['renamed', 'disconnected'])
    expect(bobsEvents).toMatchObject({ error: null, data: [] })

    expect(await accountAsService(alicesSecond.id)).toMatchObject({ user_id: alice.user.id, display_name: 'Alice EU' })
  })

  it("cannot read another user's row or events", async () => {
    const users = await asBob.from('users').select('id').eq('id', alice.user.id)
    expect(users).toMatchObject({ error: null, data: [] })
    const events = await asBob.from('account_events').select('id').eq('user_id', alice.user.id)
    expect(events).toMatchObject({ error: null, data: [] })
  })

  it('cannot create accounts, not even for themselves: accounts come only from a connect', async () => {
    const externalId = unique('PROFILE')
    const own = await asBob.from('user_accounts').insert({ provider: 'ads', region: 'eu', external_id: externalId }).select('user_id, status')
    expect(own.error?.code).toBe('42501')
    const forAlice = await asBob
      .from('user_accounts')
      .insert({ user_id: alice.user.id, provider: 'ads', region: 'eu', external_id: unique('PROFILE') })
    expect(forAlice.error?.code).toBe('42501')
    const { data } = await service.from('user_accounts').select('id').eq('external_id', externalId)
    expect(data).toEqual([])
  })

  it('cannot write the columns the service owns', async () => {
    const status = await asAlice.from('user_accounts').update({ status: 'active' }).eq('id', alicesSecond.id)
    expect(status.error?.code).toBe('42501')
    const moved = await asAlice.from('user_accounts').update({ user_id: bob.user.id }).eq('id', alicesSecond.id)
    expect(moved.error?.code).toBe('42501')
    const email = await asAlice.from('users').update({ email: 'x@evil.test' }).eq('id', alice.user.id)
    expect(email.error?.code).toBe('42501')
    const insertedStatus = await asAlice
      .from('user_accounts')
      .insert({ provider: 'ads', region: 'na', external_id: unique('PROFILE'), status: 'reauth_required' })
    expect(insertedStatus.error?.code).toBe('42501')
    expect(await accountAsService(alicesSecond.id)).toMatchObject({ user_id: alice.user.id, status: 'active' })
  })

  it('cannot create users, delete their user row, or write events', async () => {
    const created = await asAlice.from('users').insert({ id: unique('user'), clerk_updated_at: 1 })
    expect(created.error?.code).toBe('42501')
    const deleted = await asAlice.from('users').delete().eq('id', alice.user.id)
    expect(deleted.error?.code).toBe('42501')
    const event = await asAlice.from('account_events').insert({ user_id: alice.user.id, kind: 'synced' })
    expect(event.error?.code).toBe('42501')
  })

  it('reads the health of their own grants, and never the tokens or the lease', async () => {
    const health = await asAlice.from('amazon_grants').select(GRANT_HEALTH_COLUMNS).order('created_at')
    expect(health.error).toBeNull()
    expect(health.data!.map((g) => g.id)).toEqual([alicesMain.grant_id, alicesSecond.grant_id])
    for (const grant of health.data!) {
      expect(grant).toMatchObject({ user_id: alice.user.id, provider: 'sp_api', region: 'na', status: 'active', refresh_attempts: 0 })
    }
    // The way the API reads it: embedded in the account.
    const embedded = await asAlice.from('user_accounts').select('id, grant:amazon_grants(status)').eq('id', alicesMain.id).single()
    expect(embedded).toMatchObject({ error: null, data: { id: alicesMain.id, grant: { status: 'active' } } })
    // Bob's grant is not there for her.
    const others = await asAlice.from('amazon_grants').select('id').eq('id', bobsAccount.grant_id)
    expect(others).toMatchObject({ error: null, data: [] })

    for (const columns of ['refresh_token', 'access_token', 'lease_owner', 'fernet_key_id', '*']) {
      const refused = await asAlice.from('amazon_grants').select(columns)
      expect(refused.error?.code, columns).toBe('42501')
      expect(refused.data).toBeNull()
    }
  })

  it('cannot write amazon_grants', async () => {
    const inserted = await asAlice
      .from('amazon_grants')
      .insert({ user_id: alice.user.id, provider: 'ads', region: 'na', refresh_token: 'x', fernet_key_id: 'k1' })
    expect(inserted.error?.code).toBe('42501')
    const updated = await asAlice.from('amazon_grants').update({ status: 'active' }).eq('id', alicesMain.grant_id)
    expect(updated.error?.code).toBe('42501')
    const deleted = await asAlice.from('amazon_grants').delete().eq('id', alicesMain.grant_id)
    expect(deleted.error?.code).toBe('42501')
    const { data } = await service.from('amazon_grants').select('id, refresh_token').eq('id', alicesMain.grant_id).single()
    expect(data).toEqual({ id: alicesMain.grant_id, refresh_token: 'gAAAAA-refresh-ciphertext' })
  })

  it.each([
    ['oauth_states', 'created_at'],
    ['webhook_events', 'received_at'],
    ['deleted_users', 'deleted_at'],
  ])('can neither read nor write %s', async (table, column) => {
    const row: Record<string, unknown> = { [column]: new Date().toISOString() }
    const read = await asAlice.from(table).select('*')
    expect(read.error?.code).toBe('42501')
    const inserted = await asAlice.from(table).insert(row)
    expect(inserted.error?.code).toBe('42501')
    const updated = await asAlice.from(table).update(row).not(column, 'is', null)
    expect(updated.error?.code).toBe('42501')
    const deleted = await asAlice.from(table).delete().not(column, 'is', null)
    expect(deleted.error?.code).toBe('42501')
  })

  it('cannot call the service-role functions', async () => {
    const sync = await asAlice.rpc('sync_clerk_user', {
      p_id: alice.user.id,
      p_email: 'x@evil.test',
      p_first_name: null,
      p_last_name: null,
      p_image_url: null,
      p_clerk_updated_at: Date.now() + 1_000_000,
    })
    expect(sync.error?.code).toBe('42501')
    const consume = await asAlice.rpc('consume_oauth_state', { p_state_hash: sha256('x'), p_nonce_hash: sha256('y') })
    expect(consume.error?.code).toBe('42501')
    const claim = await asAlice.rpc('claim_due_grants', { p_limit: 10 })
    expect(claim.error?.code).toBe('42501')
    const start = await asAlice.rpc('start_grant_refresh', { p_grant_id: alicesMain.grant_id, p_owner: randomUUID() })
    expect(start.error?.code).toBe('42501')
    const prune = await asAlice.rpc('prune_expired', { p_limit: 10 })
    expect(prune.error?.code).toBe('42501')
    const save = await asAlice.rpc('save_connected_accounts', {
      p_user_id: alice.user.id,
      p_provider: 'sp_api',
      p_region: 'na',
      p_accounts: [{ external_id: unique('A1SELLER') }],
      p_refresh_token: 'x',
      p_access_token: 'x',
      p_access_token_expires_at: new Date().toISOString(),
      p_fernet_key_id: 'k1',
    })
    expect(save.error?.code).toBe('42501')
  })

  it('moves their default with set_default_account, keeping one default, with its event', async () => {
    const { data, error } = await asAlice.rpc('set_default_account', { p_account_id: alicesSecond.id })
    expect(error).toBeNull()
    expect(data).toMatchObject({ id: alicesSecond.id, is_default: true })
    const defaults = await service.from('user_accounts').select('id').eq('user_id', alice.user.id).eq('is_default', true)
    expect(defaults.data).toEqual([{ id: alicesSecond.id }])
    const events = await asAlice.from('account_events').select('kind').eq('account_id', alicesSecond.id).eq('kind', 'default_changed')
    expect(events).toMatchObject({ error: null, data: [{ kind: 'default_changed' }] })

    // Defaults move only through the function: a direct update is not allowed at all.
    const direct = await asAlice.from('user_accounts').update({ is_default: true }).eq('id', alicesMain.id)
    expect(direct.error?.code).toBe('42501')
  })

  it("cannot make another user's account their default", async () => {
    const { error } = await asBob.rpc('set_default_account', { p_account_id: alicesMain.id })
    expect(error?.code).toBe('PT404')
    expect(await accountAsService(alicesMain.id)).toMatchObject({ user_id: alice.user.id })
  })

  it('disconnects an account with disconnect_account: the account, its grant and a disconnected event in one call', async () => {
    const extra = await connectAccount(alice.user.id, 'Alice JP')
    const { data, error } = await asAlice.rpc('disconnect_account', { p_account_id: extra.id })
    expect(error).toBeNull()
    expect(data).toMatchObject({ id: extra.id, grant_id: extra.grant_id })
    expect(await accountAsService(extra.id)).toBeNull()
    const grant = await service.from('amazon_grants').select('id').eq('id', extra.grant_id)
    expect(grant).toMatchObject({ error: null, data: [] })
    const events = await asAlice.from('account_events').select('account_id, detail').eq('kind', 'disconnected')
    expect(events.error).toBeNull()
    expect(events.data).toEqual([{ account_id: null, detail: expect.objectContaining({ account_id: extra.id, provider: 'sp_api', region: 'na' }) }])
    // Once gone, not found.
    expect((await asAlice.rpc('disconnect_account', { p_account_id: extra.id })).error?.code).toBe('PT404')
  })
})

describe('anon (no session token)', () => {
  it.each(['users', 'user_accounts', 'account_events', 'amazon_grants', 'oauth_states', 'webhook_events', 'deleted_users'])(
    'sees nothing in %s',
    async (table) => {
      const { data, error } = await anon.from(table).select('*')
      // Revoked from anon entirely: a permission error, never rows.
      expect(error?.code).toBe('42501')
      expect(data).toBeNull()
    },
  )

  it('cannot call any function', async () => {
    for (const [name, args] of [
      ['set_default_account', { p_account_id: alicesMain.id }],
      ['rename_account', { p_account_id: alicesMain.id, p_display_name: 'anon' }],
      ['disconnect_account', { p_account_id: alicesMain.id }],
      ['prune_expired', { p_limit: 10 }],
    ] as const) {
      const { error } = await anon.rpc(name, args)
      expect(error?.code, name).toBe('42501')
    }
    expect(await accountAsService(alicesMain.id)).not.toBeNull()
  })
})

describe('the service role', () => {
  it('applies a newer Clerk event and ignores an older one', async () => {
    const args = (firstName: string, updatedAt: number) => ({
      p_id: bob.user.id,
      p_email: bob.user.email_addresses[0]!.email_address,
      p_first_name: firstName,
      p_last_name: null,
      p_image_url: null,
      p_clerk_updated_at: updatedAt,
    })
    const newer = await service.rpc('sync_clerk_user', args('Robert', bob.user.updated_at + 1_000))
    expect(newer).toMatchObject({ error: null, data: true })
    const older = await service.rpc('sync_clerk_user', args('Bobby', bob.user.updated_at + 500))
    expect(older).toMatchObject({ error: null, data: false })
    const { data } = await asBob.from('users').select('first_name').single()
    expect(data).toEqual({ first_name: 'Robert' })
  })

  it("refreshes a grant under a lease (the refresh job), and the user sees the new schedule", async () => {
    const owner = randomUUID()
    const started = await service.rpc('start_grant_refresh', { p_grant_id: bobsAccount.grant_id, p_owner: owner })
    expect(started.error).toBeNull()
    expect(started.data).toMatchObject([{ id: bobsAccount.grant_id, status: 'refreshing', refresh_token: 'gAAAAA-refresh-ciphertext' }])

    const expiresAt = new Date(Date.now() + 2 * 3_600_000)
    const complete = (by: string) =>
      service.rpc('complete_grant_refresh', {
        p_grant_id: bobsAccount.grant_id,
        p_owner: by,
        p_access_token: 'gAAAAA-new-access',
        p_access_token_expires_at: expiresAt.toISOString(),
        p_refresh_token: null,
        p_fernet_key_id: 'k1',
      })
    expect(await complete(randomUUID())).toMatchObject({ error: null, data: false }) // not the lease owner
    expect(await complete(owner)).toMatchObject({ error: null, data: true })

    const { data } = await service
      .from('amazon_grants')
      .select('access_token, refresh_token, next_refresh_at, lease_owner')
      .eq('id', bobsAccount.grant_id)
      .single()
    expect(data).toMatchObject({ access_token: 'gAAAAA-new-access', refresh_token: 'gAAAAA-refresh-ciphertext', lease_owner: null })
    expect(new Date(data!.next_refresh_at as string).getTime()).toBe(expiresAt.getTime() - 5 * 60_000)
    const health = await asBob.from('amazon_grants').select('status, next_refresh_at').single()
    expect(health.error).toBeNull()
    expect(health.data!.status).toBe('active')
    expect(new Date(health.data!.next_refresh_at as string).getTime()).toBe(expiresAt.getTime() - 5 * 60_000)
  })

  it('stores a connect attempt and consumes it exactly once', async () => {
    const stateHash = sha256(unique('state'))
    const nonceHash = sha256(unique('nonce'))
    const inserted = await service
      .from('oauth_states')
      .insert({ state_hash: stateHash, user_id: alice.user.id, provider: 'ads', region: 'fe', nonce_hash: nonceHash })
    expect(inserted.error).toBeNull()

    const wrongNonce = await service.rpc('consume_oauth_state', { p_state_hash: stateHash, p_nonce_hash: sha256('other') })
    expect(wrongNonce).toMatchObject({ error: null, data: [] })
    const first = await service.rpc('consume_oauth_state', { p_state_hash: stateHash, p_nonce_hash: nonceHash })
    expect(first.error).toBeNull()
    expect(first.data).toMatchObject([{ state_hash: stateHash, user_id: alice.user.id, provider: 'ads', region: 'fe' }])
    const again = await service.rpc('consume_oauth_state', { p_state_hash: stateHash, p_nonce_hash: nonceHash })
    expect(again).toMatchObject({ error: null, data: [] })
  })

  it('records webhook deliveries idempotently and writes events', async () => {
    const svixId = unique('msg')
    expect((await service.from('webhook_events').insert({ svix_id: svixId, type: 'user.updated' })).error).toBeNull()
    const duplicate = await service.from('webhook_events').insert({ svix_id: svixId, type: 'user.updated' })
    expect(duplicate.error?.code).toBe('23505')

    const event = await service
      .from('account_events')
      .insert({ account_id: bobsAccount.id, user_id: bob.user.id, kind: 'refreshed', detail: { expires_in: 3600 } })
    expect(event.error).toBeNull()
    const { data } = await asBob.from('account_events').select('kind').eq('kind', 'refreshed')
    expect(data).toEqual([{ kind: 'refreshed' }])
  })

  it('prunes a webhook id past Svix\'s retry window with prune_expired, and keeps a recent one', async () => {
    const [old, recent] = [unique('msg'), unique('msg')]
    const inserted = await service.from('webhook_events').insert([
      { svix_id: old, type: 'user.updated', received_at: new Date(Date.now() - 8 * 86_400_000).toISOString() },
      { svix_id: recent, type: 'user.updated', received_at: new Date(Date.now() - 6 * 86_400_000).toISOString() },
    ])
    expect(inserted.error).toBeNull()
    const { data, error } = await service.rpc('prune_expired', { p_limit: 1000 })
    expect(error).toBeNull()
    expect(data).toEqual([{ oauth_states: expect.any(Number), webhook_events: expect.any(Number), account_events: expect.any(Number) }])
    expect((data as Array<{ webhook_events: number }>)[0]!.webhook_events).toBeGreaterThanOrEqual(1)
    const left = await service.from('webhook_events').select('svix_id').in('svix_id', [old, recent])
    expect(left).toMatchObject({ error: null, data: [{ svix_id: recent }] })
  })

  it('cannot act for a user: the user functions are theirs alone', async () => {
    for (const [name, args] of [
      ['set_default_account', { p_account_id: bobsAccount.id }],
      ['rename_account', { p_account_id: bobsAccount.id, p_display_name: 'service' }],
      ['disconnect_account', { p_account_id: bobsAccount.id }],
    ] as const) {
      const { error } = await service.rpc(name, args)
      expect(error?.code, name).toBe('42501')
    }
    expect(await accountAsService(bobsAccount.id)).toMatchObject({ display_name: 'Bob US' })
  })

  it('deleting a user (user.deleted) removes their accounts and grants', async () => {
    const carol = await createClerkSession(inject('clerkUrl'), inject('clerkSecretKey'), { firstName: 'Carol' })
    await syncUser(carol)
    const account = await connectAccount(carol.user.id, 'Carol US')
    const grant = await service.from('amazon_grants').select('id').eq('id', account.grant_id)
    expect(grant.data).toHaveLength(1)

    const deleted = await service.from('users').delete().eq('id', carol.user.id)
    expect(deleted.error).toBeNull()
    expect(await accountAsService(account.id)).toBeNull()
    const left = await service.from('amazon_grants').select('id').eq('user_id', carol.user.id)
    expect(left).toMatchObject({ error: null, data: [] })
    // And Carol's token now reaches nothing.
    const { data } = await clientFor(carol).from('user_accounts').select('id')
    expect(data).toEqual([])
  })
})
