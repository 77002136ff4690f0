// Every change a user makes to an account is one database call that writes its audit event in the same
// transaction (rename_account, set_default_account, disconnect_account), and users can change nothing
// behind the API's back. Here through the API, as the dashboard calls it; the SQL side is in
// supabase/tests (schema.test.ts: atomicity and concurrency; rls.test.ts: PostgREST and grants).
import { SELF } from 'cloudflare:test'
import { createClient } from '@supabase/supabase-js'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { amazonControl, callback, connectSeller, decideConsent, startConnect, syncedUser } from './support/amazon.ts'
import { serviceClient } from './support/db.ts'
import { grantOf } from './support/grants.ts'

const db = serviceClient()
const bindings = env as unknown as Record<string, string>

afterEach(async () => {
  await amazonControl('DELETE', '/faults')
})

async function api(token: string, method: string, path: string, body?: object) {
  const response = await SELF.fetch(`http://localhost/api/accounts${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }
}

/** The user's audit trail, oldest first, read behind the API's back. */
async function eventsOfUser(userId: string) {
  const { data, error } = await db.from('account_events').select('account_id, kind, detail').eq('user_id', userId).order('id')
  if (error) throw new Error(error.message)
  return data as Array<{ account_id: string | null; kind: string; detail: Record<string, unknown> }>
}

describe('account changes carry their audit event', () => {
  it('a rename records one renamed event; the same name again records none', async () => {
    const { token, user } = await syncedUser()
    const { accountId } = await connectSeller(token)
    const renamed = await api(token, 'PATCH', `/${accountId}`, { display_name: 'Main store' })
    expect(renamed).toMatchObject({ status: 200, json: { id: accountId, display_name: 'Main store' } })
    const again = await api(token, 'PATCH', `/${accountId}`, { display_name: '  Main store ' })
    expect(again).toMatchObject({ status: 200, json: { id: accountId, display_name: 'Main store' } })
    expect((await eventsOfUser(user.id)).map((e) => [e.account_id, e.kind])).toEqual([
      [accountId, 'connected'],
      [accountId, 'renamed'],
    ])
    // And through the API's own activity list.
    const { json } = await api(token, 'GET', `/${accountId}/events`)
    expect((json!.events as Array<{ kind: string }>).map((e) => e.kind)).toEqual(['renamed', 'connected'])
  })

  it('making an account the default records one default_changed event; making it again records none', async () => {
    const { token, user } = await syncedUser()
    const first = await connectSeller(token)
    const second = await connectSeller(token, ['A1F83G8C2ARO7P'])
    expect((await api(token, 'PATCH', `/${second.accountId}`, { is_default: true })).json).toMatchObject({ is_default: true })
    expect((await api(token, 'PATCH', `/${second.accountId}`, { is_default: true })).json).toMatchObject({ is_default: true })
    const changes = (await eventsOfUser(user.id)).filter((e) => e.kind === 'default_changed')
    expect(changes.map((e) => e.account_id)).toEqual([second.accountId])
    expect((await api(token, 'GET', `/${first.accountId}`)).json).toMatchObject({ is_default: false })
  })

  it('a rename and a default change in one PATCH record one event each', async () => {
    const { token, user } = await syncedUser()
    await connectSeller(token)
    const { accountId } = await connectSeller(token, ['A1F83G8C2ARO7P'])
    const { status, json } = await api(token, 'PATCH', `/${accountId}`, { display_name: 'EU', is_default: true })
    expect(status).toBe(200)
    expect(json).toMatchObject({ display_name: 'EU', is_default: true })
    const kinds = (await eventsOfUser(user.id)).filter((e) => e.account_id === accountId).map((e) => e.kind)
    expect(kinds).toEqual(['connected', 'renamed', 'default_changed'])
  })

  it('a disconnect deletes the account and its grant and records the event, in one call', async () => {
    const { token, user } = await syncedUser()
    const { accountId, seller } = await connectSeller(token)
    const grant = (await grantOf(accountId))!
    expect((await api(token, 'DELETE', `/${accountId}`)).status).toBe(204)
    expect((await db.from('user_accounts').select('id').eq('id', accountId)).data).toEqual([])
    expect((await db.from('amazon_grants').select('id').eq('id', grant.id)).data).toEqual([])
    const events = await eventsOfUser(user.id)
    expect(events.filter((e) => e.kind === 'disconnected')).toEqual([
      {
        account_id: null,
        kind: 'disconnected',
        detail: { account_id: accountId, provider: 'sp_api', region: 'na', external_id: seller.sellingPartnerId },
      },
    ])
    // Not found afterwards, and no second event.
    expect((await api(token, 'DELETE', `/${accountId}`)).status).toBe(404)
    expect((await eventsOfUser(user.id)).filter((e) => e.kind === 'disconnected')).toHaveLength(1)
  })

  it("another user's account: 404 for rename, default and disconnect, and no event anywhere", async () => {
    const owner = await syncedUser()
    const { accountId } = await connectSeller(owner.token)
    const intruder = await syncedUser()
    for (const [method, body] of [
      ['PATCH', { display_name: 'mine' }],
      ['PATCH', { is_default: true }],
      ['DELETE', undefined],
    ] as const) {
      const { status, json } = await api(intruder.token, method, `/${accountId}`, body)
      expect(status, method).toBe(404)
      expect(json).toMatchObject({ error: { code: 'account_not_found' } })
    }
    expect((await eventsOfUser(owner.user.id)).map((e) => e.kind)).toEqual(['connected'])
    expect(await eventsOfUser(intruder.user.id)).toEqual([])
  })

  it('a user going to PostgREST directly, with the same token, can change nothing', async () => {
    const { token, user } = await syncedUser()
    const { accountId } = await connectSeller(token)
    const direct = createClient(bindings.SUPABASE_URL!, bindings.SUPABASE_ANON_KEY!, { accessToken: async () => token })
    const attempts = [
      await direct.from('user_accounts').update({ display_name: 'no event' }).eq('id', accountId),
      await direct.from('user_accounts').update({ is_default: false }).eq('id', accountId),
      await direct.from('user_accounts').delete().eq('id', accountId),
      await direct.from('user_accounts').insert({ provider: 'ads', region: 'na', external_id: 'ANY-ID-I-LIKE' }),
      await direct.from('users').update({ first_name: 'Mallory' }).eq('id', user.id),
      await direct.from('account_events').insert({ user_id: user.id, account_id: accountId, kind: 'renamed' }),
    ]
    for (const attempt of attempts) expect(attempt.error?.code).toBe('42501')
    expect((await api(token, 'GET', `/${accountId}`)).json).toMatchObject({ display_name: expect.not.stringMatching(/no event/), is_default: true })
    expect((await eventsOfUser(user.id)).map((e) => e.kind)).toEqual(['connected'])
  })
})

describe('Amazon Ads profile ids past 2^53', () => {
  it('stay exact from the Ads API to the account’s external_id, and sync still finds the profile', async () => {
    const { token } = await syncedUser()
    const big = '3999999999999999999'
    const largest = '9223372036854775807' // the largest 64-bit integer
    expect(String(Number(big))).not.toBe(big) // what JSON.parse would have made of it
    await amazonControl('POST', '/next-ads-account', {
      profiles: [
        { profileId: big, marketplaceId: 'A1VC38T7YXB528' },
        { profileId: largest, marketplaceId: 'A39IBJ37TRP1C6' },
      ],
    })
    const { response, cookie } = await startConnect(token, { provider: 'ads', region: 'fe' })
    const back = await callback(await decideConsent(((await response.json()) as { url: string }).url), cookie)
    const connected = new URL(back.headers.get('location')!).searchParams.get('connected')
    expect(connected).toBeTruthy()

    const { json } = await api(token, 'GET', '')
    const accounts = json!.accounts as Array<{ id: string; external_id: string; marketplaces: string[] }>
    expect(accounts.map((a) => a.external_id).sort()).toEqual([big, largest].sort())
    const bigAccount = accounts.find((a) => a.external_id === big)!
    const synced = await api(token, 'POST', `/${bigAccount.id}/sync`)
    expect(synced).toMatchObject({ status: 200, json: { external_id: big, marketplaces: ['A1VC38T7YXB528'] } })
  })
})
