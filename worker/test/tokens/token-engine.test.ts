// The token lifecycle end to end inside workerd: Cron Trigger → queue → AccountSession → SQL functions,
// against the real PostgREST + Postgres and the Amazon stand-in. Other suites share the database, so each
// test leases its own grant the way the cron would, and counts LWA calls for its own seller only.
import { runInDurableObject, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { Fernet } from '../../src/crypto/fernet.ts'
import { type GrantStore, supabaseGrantStore } from '../../src/db/grants.ts'
import { serviceDb } from '../../src/db/supabase.ts'
import { parseConfig } from '../../src/env.ts'
import { accountSession } from '../../src/tokens/session-stub.ts'
import { amazonControl, connectSeller, injectFault, syncedUser } from '../support/amazon.ts'
import { serviceClient } from '../support/db.ts'
import { grantOf, updateGrantOf } from '../support/grants.ts'
import { bindings, connectAds, cronTick, deliverClaims, leaseLikeCron, makeDue, refreshesOf } from '../support/token-engine.ts'

const db = serviceClient()
const fernet = new Fernet(bindings.FERNET_KEYS!)
const decrypt = async (token: string) => new TextDecoder().decode(await fernet.decrypt(token))

afterEach(async () => {
  await amazonControl('DELETE', '/faults')
})

async function seller() {
  const user = await syncedUser()
  const { accountId, seller } = await connectSeller(user.token)
  const grant = (await grantOf(accountId))!
  return { ...user, accountId, subject: seller.sellingPartnerId, grant }
}

const accountRow = async (id: string) => (await db.from('user_accounts').select('status, last_error').eq('id', id).single()).data!
const eventsOf = async (accountId: string) =>
  (await db.from('account_events').select('kind, detail').eq('account_id', accountId).order('id')).data!.map((event) => event.kind)

describe('background refresh', () => {
  it('one cron tick refreshes a due grant through the queue and its AccountSession', async () => {
    const { accountId, subject, grant } = await seller()
    await makeDue(accountId)
    await cronTick()
    await expect.poll(async () => (await grantOf(accountId))!.access_token, { timeout: 15_000 }).not.toBe(grant.access_token)
    const after = (await grantOf(accountId))!
    expect(after).toMatchObject({ status: 'active', refresh_attempts: 0, last_error_class: null, lease_owner: null })
    expect(Date.parse(after.next_refresh_at!)).toBe(Date.parse(after.access_token_expires_at!) - 5 * 60_000)
    expect(Date.parse(after.access_token_expires_at!)).toBeGreaterThan(Date.now() + 50 * 60_000)
    expect(await refreshesOf(subject)).toBe(1)
  })

  it('one grant, at the same moment: the cron’s claim, two syncs and a forced refresh make exactly one LWA call', async () => {
    const { token, accountId, subject, grant } = await seller()
    await makeDue(accountId)
    const leaseOwner = await leaseLikeCron(accountId)
    const staleToken = await decrypt(grant.access_token!)
    await injectFault({ kind: 'hang', target: '/api.amazon.com/auth/o2/token', ms: 400 }) // keep the refresh in flight
    const sync = () => SELF.fetch(`http://localhost/api/accounts/${accountId}/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    const [claim, syncA, syncB, forced] = await Promise.all([
      deliverClaims([{ grantId: grant.id, leaseOwner }]),
      sync(),
      sync(),
      accountSession(bindings, grant.id).forceRefresh(grant.id, staleToken),
    ])
    expect(claim.explicitAcks).toHaveLength(1)
    expect([syncA.status, syncB.status]).toEqual([200, 200])
    expect(forced).toMatchObject({ ok: true })
    expect(await refreshesOf(subject)).toBe(1)
    expect(await grantOf(accountId)).toMatchObject({ status: 'active', refresh_attempts: 0, lease_owner: null })
  })

  it('a refresher that died mid-refresh: the lease expires, the next tick completes it, the dead one’s late write loses', async () => {
    const { accountId, grant } = await seller()
    const deadOwner = crypto.randomUUID()
    await makeDue(accountId)
    await updateGrantOf(accountId, {
      lease_owner: deadOwner,
      lease_expires_at: new Date(Date.now() - 1000).toISOString(),
      refresh_started_at: new Date(Date.now() - 61_000).toISOString(),
      status: 'refreshing',
    })
    await cronTick()
    await expect.poll(async () => (await grantOf(accountId))!.access_token, { timeout: 15_000 }).not.toBe(grant.access_token)
    const refreshed = (await grantOf(accountId))!

    const late = await db.rpc('complete_grant_refresh', {
      p_grant_id: grant.id,
      p_owner: deadOwner,
      p_access_token: grant.access_token,
      p_access_token_expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      p_refresh_token: null,
      p_fernet_key_id: grant.fernet_key_id,
    })
    expect(late.data).toBe(false)
    expect((await grantOf(accountId))!.access_token).toBe(refreshed.access_token)
  })

  it('a refresh token LWA rotates is written before the message is acknowledged, even when the writes fail at first', async () => {
    const { accountId, grant } = await seller()
    await makeDue(accountId)
    const leaseOwner = await leaseLikeCron(accountId)
    const session = accountSession(bindings, grant.id)
    await runInDurableObject(session, (instance: { store: GrantStore | undefined }) => {
      instance.store = failingCompletes(supabaseGrantStore(serviceDb(parseConfig(bindings))), 3)
    })
    await amazonControl('POST', '/rotate-refresh-tokens', { count: 1 })

    const first = await deliverClaims([{ grantId: grant.id, leaseOwner }])
    expect(first.retryMessages).toHaveLength(1) // not acknowledged: the new tokens are not stored yet
    expect(first.explicitAcks).toHaveLength(0)
    expect((await grantOf(accountId))!.refresh_token).toBe(grant.refresh_token)
    // Parked as ciphertexts only: Durable Object storage never holds a plaintext token.
    const parked = await runInDurableObject(session, (_instance, state) => state.storage.get('pending'))
    expect(parked).toBeDefined()
    expect(JSON.stringify(parked)).toMatch(/gAAAAA/)
    expect(JSON.stringify(parked)).not.toMatch(/Atz[ar]\|/)

    const redelivered = await deliverClaims([{ grantId: grant.id, leaseOwner }], 2)
    expect(redelivered.explicitAcks).toHaveLength(1)
    const stored = (await grantOf(accountId))!
    expect(await decrypt(stored.refresh_token)).not.toBe(await decrypt(grant.refresh_token))
    expect(await runInDurableObject(session, (_instance, state) => state.storage.get('pending'))).toBeUndefined()
    // The stored refresh token is the one LWA now honours (the old one died with the rotation).
    const lwa = await fetch(`${bindings.AMAZON_BASE_URL}/api.amazon.com/auth/o2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: await decrypt(stored.refresh_token),
        client_id: bindings.LWA_CLIENT_ID!,
        client_secret: bindings.LWA_CLIENT_SECRET!,
      }),
    })
    expect(lwa.status).toBe(200)
  })
})

describe('refresh error classes', () => {
  it('invalid_grant on an Ads grant flags every profile account, with an event each, and stops refreshing', async () => {
    const user = await syncedUser()
    const advertiser = await connectAds(user.token, ['A1F83G8C2ARO7P', 'A1PA6795UKMFR9'])
    const { data: accounts } = await db.from('user_accounts').select('id, grant_id').eq('user_id', user.user.id)
    expect(accounts).toHaveLength(2)
    expect(new Set(accounts!.map((account) => account.grant_id)).size).toBe(1)
    const grantId = accounts![0]!.grant_id as string
    await amazonControl('POST', '/revoke', { adsAccountId: advertiser.accountId })
    await makeDue(accounts![0]!.id)
    const leaseOwner = await leaseLikeCron(accounts![0]!.id)

    const result = await deliverClaims([{ grantId, leaseOwner }])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await refreshesOf(advertiser.accountId)).toBe(1) // one grant, refreshed once for both profiles
    for (const account of accounts!) {
      expect(await accountRow(account.id)).toEqual({ status: 'reauth_required', last_error: 'reauth_required' })
      expect(await eventsOf(account.id)).toEqual(['connected', 'reauth_required'])
    }
    expect(await grantOf(accounts![0]!.id)).toMatchObject({ status: 'reauth_required', last_error_class: 'invalid_grant', lease_owner: null })
    // The session answers from the database without asking LWA again.
    expect(await accountSession(bindings, grantId).accessToken(grantId)).toEqual({ ok: false, failure: 'reauth_required' })
    expect(await refreshesOf(advertiser.accountId)).toBe(1)
  })

  it('invalid_client is ours: no seller status changes, health says rejected, sync does not ask to reconnect, and the fix recovers', async () => {
    const { token, accountId, subject, grant } = await seller()
    await makeDue(accountId)
    await injectFault({ kind: 'lwa_error', target: '/api.amazon.com/auth/o2/token', error: 'invalid_client' })
    const result = await deliverClaims([{ grantId: grant.id, leaseOwner: await leaseLikeCron(accountId) }])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await accountRow(accountId)).toEqual({ status: 'active', last_error: null })
    const failed = (await grantOf(accountId))!
    expect(failed).toMatchObject({ status: 'active', last_error_class: 'invalid_client', refresh_attempts: 1, lease_owner: null })
    expect(Date.parse(failed.next_refresh_at!)).toBeGreaterThan(Date.now() - 1000) // retried later, with backoff
    const health = (await (await SELF.fetch('http://localhost/api/health')).json()) as { tokens: { amazon_credentials: { sp_api: string } } }
    expect(health.tokens.amazon_credentials.sp_api).toBe('rejected')

    await injectFault({ kind: 'lwa_error', target: '/api.amazon.com/auth/o2/token', error: 'invalid_client' })
    const sync = await SELF.fetch(`http://localhost/api/accounts/${accountId}/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(sync.status).toBe(503)
    expect(await sync.json()).toMatchObject({ error: { code: 'amazon_credentials_rejected' } })
    expect(await accountRow(accountId)).toMatchObject({ status: 'active' })

    // The credentials are fixed: the next attempt succeeds.
    const fixed = await deliverClaims([{ grantId: grant.id, leaseOwner: await leaseLikeCron(accountId) }])
    expect(fixed.explicitAcks).toHaveLength(1)
    expect(await grantOf(accountId)).toMatchObject({ status: 'active', last_error_class: null, refresh_attempts: 0 })
    expect(await refreshesOf(subject)).toBe(3)
  })

  it('Amazon failing 8 times in a row turns grant and account to error, still retried; a success brings them back', async () => {
    const { accountId, grant } = await seller()
    await makeDue(accountId)
    await updateGrantOf(accountId, { refresh_attempts: 7 })
    await injectFault({ kind: 'error', target: '/api.amazon.com/auth/o2/token', status: 503 })
    await deliverClaims([{ grantId: grant.id, leaseOwner: await leaseLikeCron(accountId) }])
    const failing = (await grantOf(accountId))!
    expect(failing).toMatchObject({ status: 'error', last_error_class: 'unavailable', refresh_attempts: 8 })
    expect(Date.parse(failing.next_refresh_at!) - Date.now()).toBeLessThanOrEqual(3600_000) // hourly at most
    expect(await accountRow(accountId)).toEqual({ status: 'error', last_error: 'amazon_unavailable' })

    await deliverClaims([{ grantId: grant.id, leaseOwner: await leaseLikeCron(accountId) }])
    expect(await grantOf(accountId)).toMatchObject({ status: 'active', refresh_attempts: 0, last_error_class: null })
    expect(await accountRow(accountId)).toEqual({ status: 'active', last_error: null })
    expect(await eventsOf(accountId)).toEqual(['connected', 'refresh_failed', 'refreshed'])
  })

  it('a grant no configured Fernet key decrypts fails as key_missing: named, ours, no seller status change', async () => {
    const { token, accountId, subject, grant } = await seller()
    const strangerKey = new Fernet(Fernet.generateKey())
    await updateGrantOf(accountId, {
      refresh_token: await strangerKey.encrypt('Atzr|unreadable'),
      access_token: await strangerKey.encrypt('Atza|unreadable'),
      next_refresh_at: new Date(Date.now() - 1000).toISOString(),
    })
    const result = await deliverClaims([{ grantId: grant.id, leaseOwner: await leaseLikeCron(accountId) }])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await grantOf(accountId)).toMatchObject({ status: 'active', last_error_class: 'key_missing', lease_owner: null })
    expect(await accountRow(accountId)).toEqual({ status: 'active', last_error: null })
    expect(await refreshesOf(subject)).toBe(0)
    const sync = await SELF.fetch(`http://localhost/api/accounts/${accountId}/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(sync.status).toBe(503)
    expect(await sync.json()).toMatchObject({ error: { code: 'token_key_missing' } })
  })

  it('a stale claim (its lease taken over) is acknowledged without calling LWA', async () => {
    const { accountId, subject, grant } = await seller()
    const result = await deliverClaims([{ grantId: grant.id, leaseOwner: crypto.randomUUID() }])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await refreshesOf(subject)).toBe(0)
    expect((await grantOf(accountId))!.access_token).toBe(grant.access_token)
  })

  it('a malformed message is acknowledged, not retried forever', async () => {
    const result = await deliverClaims([{ grantId: 'not-a-uuid', leaseOwner: 'x' }])
    expect(result.explicitAcks).toHaveLength(1)
  })
})

/** The real store, except that the first `failures` token writes fail as if the database were down. */
function failingCompletes(store: GrantStore, failures: number): GrantStore {
  let remaining = failures
  return {
    ...store,
    async complete(...args) {
      if (remaining-- > 0) throw new (await import('../../src/db/supabase.ts')).DatabaseError('complete grant refresh')
      return store.complete(...args)
    },
  }
}
