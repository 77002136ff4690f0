import { SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import {
  amazonControl,
  callback,
  connectSeller,
  countAmazonRequests,
  decideConsent,
  injectFault,
  startConnect,
  syncedUser,
} from './support/amazon.ts'
import { serviceClient } from './support/db.ts'
import { expiredNow, grantOf, updateGrantOf } from './support/grants.ts'

const db = serviceClient()
const SECRETS = /Atzr\||Atza\||gAAAAA/

afterEach(async () => {
  await amazonControl('DELETE', '/faults')
})

type AccountBody = {
  id: string
  provider: string
  region: string
  external_id: string
  login_id: string | null
  marketplaces: string[]
  display_name: string | null
  status: string
  is_default: boolean
  authorized_at: string
  reauthorize_by: string | null
  last_sync_at: string | null
  last_error: string | null
  created_at: string
}

/** Calls the accounts API as a user; checks that no answer ever carries a token or ciphertext. */
async function api(token: string, method: string, path: string, body?: string | object) {
  const response = await SELF.fetch(`http://localhost/api/accounts${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  expect(text).not.toMatch(SECRETS)
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined }
}

const errorCode = (json: unknown) => (json as { error: { code: string } }).error.code

async function storedAccount(id: string) {
  const { data } = await db.from('user_accounts').select('*').eq('id', id).maybeSingle()
  return data as (AccountBody & { user_id: string }) | null
}


/** A synced user with one connected SP-API seller. */
async function userWithSeller() {
  const user = await syncedUser()
  const { accountId, seller } = await connectSeller(user.token)
  return { ...user, accountId, seller }
}

describe('GET /api/accounts', () => {
  it('lists the caller’s accounts, default first, with reauthorize_by', async () => {
    const { token, accountId, seller } = await userWithSeller()
    const second = await connectSeller(token, ['A1F83G8C2ARO7P'])
    const { status, json } = await api(token, 'GET', '')
    expect(status).toBe(200)
    const { accounts } = json as { accounts: AccountBody[] }
    expect(accounts.map((account) => account.id)).toEqual([accountId, second.accountId])
    const [first] = accounts
    expect(first).toMatchObject({ provider: 'sp_api', region: 'na', external_id: seller.sellingPartnerId, status: 'active', is_default: true })
    expect(Object.keys(first!).sort()).toEqual(
      ['authorized_at', 'created_at', 'display_name', 'external_id', 'id', 'is_default', 'last_error', 'last_sync_at', 'login_id', 'marketplaces', 'provider', 'reauthorize_by', 'region', 'status', 'token'].sort(),
    )
    // Two consents, two logins; the id is the grant's, never a token.
    expect(first!.login_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(accounts[1]!.login_id).not.toBe(first!.login_id)
    expect(Date.parse(first!.reauthorize_by!) - Date.parse(first!.authorized_at)).toBe(365 * 24 * 3600 * 1000)
    expect(accounts[1]).toMatchObject({ region: 'eu', is_default: false })
  })

  it('gives the profiles of one Amazon Ads login the same login_id', async () => {
    const { token, accountId } = await userWithSeller()
    await amazonControl('POST', '/next-ads-account', { profiles: [{ marketplaceId: 'ATVPDKIKX0DER' }, { marketplaceId: 'A2EUQ1WTGCTBG2' }] })
    const { response, cookie } = await startConnect(token, { provider: 'ads', region: 'na' })
    await callback(await decideConsent(((await response.json()) as { url: string }).url), cookie)
    const { accounts } = (await api(token, 'GET', '')).json as { accounts: AccountBody[] }
    const ads = accounts.filter((account) => account.provider === 'ads')
    expect(ads).toHaveLength(2)
    expect(ads[0]!.login_id).toBeTruthy()
    expect(ads[1]!.login_id).toBe(ads[0]!.login_id)
    expect(accounts.find((account) => account.id === accountId)!.login_id).not.toBe(ads[0]!.login_id)
  })

  it('requires a session', async () => {
    expect((await SELF.fetch('http://localhost/api/accounts')).status).toBe(401)
  })
})

describe('GET/PATCH/DELETE /api/accounts/:id', () => {
  it('reads one account', async () => {
    const { token, accountId } = await userWithSeller()
    const { status, json } = await api(token, 'GET', `/${accountId}`)
    expect(status).toBe(200)
    expect(json).toMatchObject({ id: accountId, provider: 'sp_api' })
  })

  it('answers 404 account_not_found for an unknown id or a malformed one', async () => {
    const { token } = await syncedUser()
    for (const id of [crypto.randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
      const { status, json } = await api(token, 'GET', `/${encodeURIComponent(id)}`)
      expect(status).toBe(404)
      expect(errorCode(json)).toBe('account_not_found')
    }
  })

  it('renames (trimmed) and clears the name', async () => {
    const { token, accountId } = await userWithSeller()
    const renamed = await api(token, 'PATCH', `/${accountId}`, { display_name: '  US store  ' })
    expect(renamed.status).toBe(200)
    expect(renamed.json).toMatchObject({ display_name: 'US store' })
    expect((await storedAccount(accountId))!.display_name).toBe('US store')
    const cleared = await api(token, 'PATCH', `/${accountId}`, { display_name: null })
    expect(cleared.json).toMatchObject({ display_name: null })
  })

  it('moves the default: always exactly one', async () => {
    const { token, accountId, user } = await userWithSeller()
    const second = await connectSeller(token, ['A1F83G8C2ARO7P'])
    const { status, json } = await api(token, 'PATCH', `/${second.accountId}`, { is_default: true })
    expect(status).toBe(200)
    expect(json).toMatchObject({ id: second.accountId, is_default: true })
    const { data } = await db.from('user_accounts').select('id').eq('user_id', user.id).eq('is_default', true)
    expect(data).toEqual([{ id: second.accountId }])
    expect((await storedAccount(accountId))!.is_default).toBe(false)
  })

  it.each([
    ['malformed JSON', '{"display_name":'],
    ['a wrong type', { display_name: 42 }],
    ['is_default false', { is_default: false }],
    ['an unknown field', { display_name: 'x', status: 'active' }],
    ['a field users may not write', { marketplaces: ['ATVPDKIKX0DER'] }],
    ['an empty patch', {}],
    ['a blank name', { display_name: '   ' }],
    ['a name over 100 characters', { display_name: 'x'.repeat(101) }],
    ['an oversized body', { display_name: 'x'.repeat(70_000) }],
  ])('rejects %s with a 4xx and changes nothing', async (_name, body) => {
    const { token, accountId } = await userWithSeller()
    const before = await storedAccount(accountId)
    const { status } = await api(token, 'PATCH', `/${accountId}`, body)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
    expect(await storedAccount(accountId)).toEqual(before)
  })

  it('disconnects: credentials and account gone, a disconnected event kept', async () => {
    const { token, accountId, user } = await userWithSeller()
    expect(await grantOf(accountId)).not.toBeNull()
    const { status } = await api(token, 'DELETE', `/${accountId}`)
    expect(status).toBe(204)
    expect(await storedAccount(accountId)).toBeNull()
    expect(await grantOf(accountId)).toBeNull()
    const { data } = await db.from('account_events').select('kind, detail').eq('user_id', user.id).eq('kind', 'disconnected')
    expect(data).toEqual([{ kind: 'disconnected', detail: expect.objectContaining({ account_id: accountId }) }])
    expect((await api(token, 'DELETE', `/${accountId}`)).status).toBe(404)
  })
})

describe('cross-tenant isolation', () => {
  it('user B cannot list, read, rename, default, sync or disconnect A’s account', async () => {
    const a = await userWithSeller()
    const b = await syncedUser()
    const before = await storedAccount(a.accountId)
    const credentialsBefore = await grantOf(a.accountId)

    expect((await api(b.token, 'GET', '')).json).toEqual({ accounts: [] })
    for (const [method, path, body] of [
      ['GET', `/${a.accountId}`, undefined],
      ['PATCH', `/${a.accountId}`, { display_name: 'mine now' }],
      ['PATCH', `/${a.accountId}`, { is_default: true }],
      ['POST', `/${a.accountId}/sync`, undefined],
      ['DELETE', `/${a.accountId}`, undefined],
    ] as const) {
      const { status, json } = await api(b.token, method, path, body)
      expect(status, `${method} ${path}`).toBe(404)
      expect(errorCode(json)).toBe('account_not_found')
    }
    expect(await storedAccount(a.accountId)).toEqual(before)
    expect(await grantOf(a.accountId)).toEqual(credentialsBefore)
  })
})

describe('POST /api/accounts/:id/sync', () => {
  it('uses a valid access token as is, and re-reads the marketplaces', async () => {
    const { token, accountId } = await userWithSeller()
    const refreshesBefore = await countAmazonRequests({ grantType: 'refresh_token' })
    await db.from('user_accounts').update({ marketplaces: [] }).eq('id', accountId)
    const { status, json } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(200)
    expect((json as AccountBody).marketplaces.sort()).toEqual(['A2EUQ1WTGCTBG2', 'ATVPDKIKX0DER'])
    expect((json as AccountBody).last_sync_at).not.toBeNull()
    expect(await countAmazonRequests({ grantType: 'refresh_token' })).toBe(refreshesBefore)
    // The result and its event were written together.
    const { data: events } = await db.from('account_events').select('kind, detail').eq('account_id', accountId).eq('kind', 'synced')
    expect(events).toHaveLength(1)
    expect([...(events![0]!.detail as { marketplaces: string[] }).marketplaces].sort()).toEqual(['A2EUQ1WTGCTBG2', 'ATVPDKIKX0DER'])
  })

  it('refreshes an expired access token once, and keeps the refresh token LWA did not change', async () => {
    const { token, accountId } = await userWithSeller()
    await updateGrantOf(accountId, expiredNow())
    const before = await grantOf(accountId)
    const refreshesBefore = await countAmazonRequests({ grantType: 'refresh_token' })

    expect((await api(token, 'POST', `/${accountId}/sync`)).status).toBe(200)
    expect((await api(token, 'POST', `/${accountId}/sync`)).status).toBe(200)
    expect(await countAmazonRequests({ grantType: 'refresh_token' })).toBe(refreshesBefore + 1)
    const after = await grantOf(accountId)
    expect(after!.access_token).not.toBe(before!.access_token)
    expect(Date.parse(after!.access_token_expires_at!)).toBeGreaterThan(Date.now())
    expect(after!.refresh_token).toBe(before!.refresh_token)
  })

  it('stores a rotated refresh token', async () => {
    const { token, accountId } = await userWithSeller()
    await updateGrantOf(accountId, { access_token: null, access_token_expires_at: null })
    const before = await grantOf(accountId)
    await amazonControl('POST', '/rotate-refresh-tokens', { count: 1 })
    expect((await api(token, 'POST', `/${accountId}/sync`)).status).toBe(200)
    expect((await grantOf(accountId))!.refresh_token).not.toBe(before!.refresh_token)
  })

  it('marks the account reauth_required when LWA says invalid_grant', async () => {
    const { token, accountId, seller } = await userWithSeller()
    await amazonControl('POST', '/revoke', { sellingPartnerId: seller.sellingPartnerId })
    await updateGrantOf(accountId, expiredNow())
    const { status, json } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(409)
    expect(errorCode(json)).toBe('reauth_required')
    expect(await storedAccount(accountId)).toMatchObject({ status: 'reauth_required' })
  })

  it('refreshes once when Amazon refuses an access token that has not expired yet', async () => {
    const { token, accountId } = await userWithSeller()
    await amazonControl('POST', '/expire-access-tokens') // Amazon's copy lapses; ours still looks valid
    const before = await grantOf(accountId)
    const refreshesBefore = await countAmazonRequests({ grantType: 'refresh_token' })
    const { status } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(200)
    expect(await countAmazonRequests({ grantType: 'refresh_token' })).toBe(refreshesBefore + 1)
    expect((await grantOf(accountId))!.access_token).not.toBe(before!.access_token)
    expect(await storedAccount(accountId)).toMatchObject({ status: 'active', last_error: null })
  })

  it('marks the account reauth_required when the seller revoked the app while the access token was still cached', async () => {
    const { token, accountId, seller } = await userWithSeller()
    await amazonControl('POST', '/revoke', { sellingPartnerId: seller.sellingPartnerId })
    const refreshesBefore = await countAmazonRequests({ grantType: 'refresh_token' })
    const { status, json } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(409)
    expect(errorCode(json)).toBe('reauth_required')
    expect(await countAmazonRequests({ grantType: 'refresh_token' })).toBe(refreshesBefore + 1)
    expect(await storedAccount(accountId)).toMatchObject({ status: 'reauth_required', last_error: 'reauth_required' })
  })

  it('answers 503 amazon_unavailable with last_error set when Amazon fails', async () => {
    const { token, accountId } = await userWithSeller()
    await injectFault({ kind: 'error', target: '/sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations', status: 503 })
    const { status, json } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(503)
    expect(errorCode(json)).toBe('amazon_unavailable')
    expect(await storedAccount(accountId)).toMatchObject({ status: 'active', last_error: 'amazon_unavailable' })

    // Amazon refuses the session's cached token, and LWA fails the refresh: still Amazon's trouble.
    await amazonControl('POST', '/expire-access-tokens')
    await injectFault({ kind: 'error', target: '/api.amazon.com/auth/o2/token', status: 500 })
    const failed = await api(token, 'POST', `/${accountId}/sync`)
    expect(failed.status).toBe(503)
    expect(errorCode(failed.json)).toBe('amazon_unavailable')
    expect(await storedAccount(accountId)).toMatchObject({ status: 'active' })
    expect(await grantOf(accountId)).toMatchObject({ status: 'active', last_error_class: 'unavailable', refresh_attempts: 1 })
  })
})

describe('Amazon Ads accounts', () => {
  it('sync refreshes at the region’s LWA host and re-reads the profile', async () => {
    const { token } = await syncedUser()
    await amazonControl('POST', '/next-ads-account', { profiles: [{ marketplaceId: 'A1VC38T7YXB528' }] })
    const { response, cookie } = await startConnect(token, { provider: 'ads', region: 'fe' })
    const back = await callback(await decideConsent(((await response.json()) as { url: string }).url), cookie)
    const accountId = new URL(back.headers.get('location')!).searchParams.get('connected')!
    expect(accountId).toBeTruthy()
    await updateGrantOf(accountId, expiredNow())
    const refreshesBefore = await countAmazonRequests({ grantType: 'refresh_token', host: 'api.amazon.co.jp' })
    const { status, json } = await api(token, 'POST', `/${accountId}/sync`)
    expect(status).toBe(200)
    expect(json).toMatchObject({ provider: 'ads', region: 'fe', marketplaces: ['A1VC38T7YXB528'] })
    expect(await countAmazonRequests({ grantType: 'refresh_token', host: 'api.amazon.co.jp' })).toBe(refreshesBefore + 1)
    expect((await api(token, 'GET', '')).json).toMatchObject({ accounts: [{ id: accountId, reauthorize_by: null }] }) // no yearly term for Ads
  })
})

describe('OpenAPI document', () => {
  it('describes the connect, callback and accounts routes', async () => {
    const doc = (await (await SELF.fetch('http://localhost/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/amazon/connect', '/api/auth/amazon/callback', '/api/accounts', '/api/accounts/{id}', '/api/accounts/{id}/sync']),
    )
    expect(Object.keys(doc.paths['/api/accounts/{id}']!).sort()).toEqual(['delete', 'get', 'patch'])
  })
})
