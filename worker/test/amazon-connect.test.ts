import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { Fernet, MultiFernet } from '../src/crypto/fernet.ts'
import {
  amazonControl,
  callback,
  connectSeller,
  decideConsent,
  injectFault,
  nextSeller,
  startConnect,
  syncedUser,
} from './support/amazon.ts'
import { signIn } from './support/clerk.ts'
import { serviceClient } from './support/db.ts'
import { grantOf } from './support/grants.ts'

const bindings = env as unknown as Record<string, string>
const appUrl = bindings.APP_URL!
const db = serviceClient()
const fernet = new MultiFernet(bindings.FERNET_KEYS!.split(',').map((key) => new Fernet(key.trim())))
const SECRETS = /Atzr\||Atza\||gAAAAA/

afterEach(async () => {
  await amazonControl('DELETE', '/faults')
})

/** Where the callback sent the browser, as the dashboard sees it. */
function landing(response: Response) {
  expect(response.status).toBe(302)
  const location = new URL(response.headers.get('location')!)
  expect(`${location.origin}${location.pathname}`).toBe(`${appUrl}/accounts`)
  return location.searchParams
}

async function accountsOf(userId: string) {
  const { data, error } = await db.from('user_accounts').select('*').eq('user_id', userId)
  if (error) throw new Error(error.message)
  return data as Array<{ id: string; external_id: string; status: string; marketplaces: string[]; provider: string; region: string; display_name: string | null; is_default: boolean }>
}



const decrypt = async (token: string) => new TextDecoder().decode(await fernet.decrypt(token))

/** Starts an SP-API connect for a fresh seller and approves it; the callback is not called yet. */
async function approvedSpApi(token: string, body: unknown = { provider: 'sp_api', region: 'na' }) {
  const seller = await nextSeller()
  const { response, cookie } = await startConnect(token, body)
  expect(response.status).toBe(200)
  const { url } = (await response.json()) as { url: string }
  return { seller, cookie, location: await decideConsent(url), url }
}

describe('POST /api/auth/amazon/connect', () => {
  it('returns the Seller Central consent URL and sets the nonce cookie', async () => {
    const { token, user } = await syncedUser()
    const { response, setCookie } = await startConnect(token, { provider: 'sp_api', marketplace: 'A1PA6795UKMFR9' })
    expect(response.status).toBe(200)
    const { url } = (await response.json()) as { url: string }
    const consent = new URL(url)
    expect(consent.pathname).toBe('/sellercentral-europe.amazon.com/apps/authorize/consent')
    expect(consent.searchParams.get('application_id')).toBe(bindings.SPAPI_APPLICATION_ID)
    expect(consent.searchParams.get('version')).toBe('beta')
    expect(consent.searchParams.get('redirect_uri')).toBe(`${appUrl}/api/auth/amazon/callback`)
    expect(consent.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(setCookie).toMatch(/^sellersync_oauth_nonce=[A-Za-z0-9_-]{43};/)
    expect(setCookie).toContain('Max-Age=600')
    expect(setCookie).toContain('Path=/api/auth/amazon/callback')
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Lax')
    expect(setCookie).not.toContain('Secure') // APP_URL is http://localhost here

    // Only hashes are stored.
    const { data } = await db.from('oauth_states').select('*').eq('user_id', user.id)
    expect(data).toHaveLength(1)
    const row = data![0] as { state_hash: string; region: string; marketplace_id: string; provider: string }
    expect(row).toMatchObject({ provider: 'sp_api', region: 'eu', marketplace_id: 'A1PA6795UKMFR9' })
    expect(row.state_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.state_hash).not.toBe(consent.searchParams.get('state'))
  })

  it('builds the Login with Amazon URL for Ads', async () => {
    const { token } = await syncedUser()
    const { response } = await startConnect(token, { provider: 'ads', region: 'eu' })
    const consent = new URL(((await response.json()) as { url: string }).url)
    expect(consent.pathname).toBe('/eu.account.amazon.com/ap/oa')
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      client_id: bindings.LWA_CLIENT_ID,
      scope: 'advertising::campaign_management',
      response_type: 'code',
      redirect_uri: `${appUrl}/api/auth/amazon/callback`,
    })
  })

  it('answers 409 user_not_synced before Clerk has delivered the user', async () => {
    const { token } = await signIn()
    const { response } = await startConnect(token, { provider: 'sp_api', region: 'na' })
    expect(response.status).toBe(409)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('user_not_synced')
  })

  it('requires a session', async () => {
    const { response } = await startConnect('not-a-token', { provider: 'sp_api', region: 'na' })
    expect(response.status).toBe(401)
  })

  it.each([
    ['malformed JSON', '{"provider":'],
    ['wrong provider', JSON.stringify({ provider: 'vendor', region: 'na' })],
    ['wrong type', JSON.stringify({ provider: 'sp_api', region: 3 })],
    ['unknown field', JSON.stringify({ provider: 'sp_api', region: 'na', redirect_to: 'https://evil.example' })],
    ['unknown marketplace', JSON.stringify({ provider: 'sp_api', marketplace: 'XXXX' })],
    ['region and marketplace disagree', JSON.stringify({ provider: 'sp_api', region: 'na', marketplace: 'A1PA6795UKMFR9' })],
    ['neither region nor marketplace', JSON.stringify({ provider: 'ads' })],
    ['oversized', JSON.stringify({ provider: 'sp_api', region: 'na', pad: 'x'.repeat(70_000) })],
  ])('rejects %s with a 4xx and stores nothing', async (_name, body) => {
    const { token, user } = await syncedUser()
    const response = await fetchConnectRaw(token, body)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    expect(response.headers.get('set-cookie')).toBeNull()
    const { data } = await db.from('oauth_states').select('state_hash').eq('user_id', user.id)
    expect(data).toEqual([])
  })
})

async function fetchConnectRaw(token: string, body: string) {
  return SELF.fetch('http://localhost/api/auth/amazon/connect', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  })
}

describe('GET /api/auth/amazon/callback: SP-API', () => {
  it('connects the seller: account active with marketplaces, tokens Fernet-encrypted', async () => {
    const { token, user } = await syncedUser()
    const { seller, cookie, location } = await approvedSpApi(token)
    const response = await callback(location, cookie)
    const params = landing(response)
    const accountId = params.get('connected')!
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/)
    expect([...params.keys()]).toEqual(['connected'])
    expect(response.headers.get('set-cookie')).toMatch(/sellersync_oauth_nonce=;.*Max-Age=0/)

    const [account] = await accountsOf(user.id)
    expect(account).toMatchObject({
      id: accountId,
      provider: 'sp_api',
      region: 'na',
      external_id: seller.sellingPartnerId,
      status: 'active',
      is_default: true,
      display_name: seller.storeName,
    })
    expect(account!.marketplaces.sort()).toEqual([...seller.marketplaceIds].sort())

    const credentials = await grantOf(accountId)
    expect(credentials!.refresh_token).toMatch(/^gAAAAA/)
    expect(credentials!.access_token).toMatch(/^gAAAAA/)
    expect(await decrypt(credentials!.refresh_token)).toMatch(/^Atzr\|/)
    expect(await decrypt(credentials!.access_token!)).toMatch(/^Atza\|/)
    // The decrypted refresh token is the stand-in's: LWA accepts it.
    const refresh = await fetch(`${bindings.AMAZON_BASE_URL}/api.amazon.com/auth/o2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: await decrypt(credentials!.refresh_token),
        client_id: bindings.LWA_CLIENT_ID!,
        client_secret: bindings.LWA_CLIENT_SECRET!,
      }),
    })
    expect(refresh.status).toBe(200)

    const { data: events } = await db.from('account_events').select('kind').eq('user_id', user.id)
    expect(events).toEqual([{ kind: 'connected' }])
  })

  it('refuses a replayed state', async () => {
    const { token, user } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    expect(landing(await callback(location, cookie)).get('connected')).toBeTruthy()
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('state_invalid')
    expect(await accountsOf(user.id)).toHaveLength(1)
  })

  it('refuses an expired state', async () => {
    const { token, user } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    await db.from('oauth_states').update({ expires_at: new Date(Date.now() - 1000).toISOString() }).eq('user_id', user.id)
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('state_invalid')
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('refuses a callback without the nonce cookie, or with another browser’s', async () => {
    const { token, user } = await syncedUser()
    const { location } = await approvedSpApi(token)
    expect(landing(await callback(location, undefined)).get('connect_error')).toBe('state_invalid')
    expect(landing(await callback(location, 'sellersync_oauth_nonce=someone-elses-nonce')).get('connect_error')).toBe('state_invalid')
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('reports a denied consent and burns the state', async () => {
    const { token, user } = await syncedUser()
    const { response, cookie } = await startConnect(token, { provider: 'sp_api', region: 'na' })
    const { url } = (await response.json()) as { url: string }
    const location = await decideConsent(url, 'deny')
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('access_denied')
    const { data } = await db.from('oauth_states').select('consumed_at').eq('user_id', user.id)
    expect(data![0]!.consumed_at).not.toBeNull()
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('reports missing parameters', async () => {
    const { token, user } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    expect(landing(await callback(`${appUrl}/api/auth/amazon/callback`, cookie)).get('connect_error')).toBe('missing_parameters')
    const withoutCode = new URL(location)
    withoutCode.searchParams.delete('spapi_oauth_code')
    expect(landing(await callback(withoutCode.href, cookie)).get('connect_error')).toBe('missing_parameters')
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('reports a reused code as grant_invalid', async () => {
    const { token, user } = await syncedUser()
    const first = await approvedSpApi(token)
    expect(landing(await callback(first.location, first.cookie)).get('connected')).toBeTruthy()
    // A second connect attempt, but the browser brings back the first attempt's (already redeemed) code.
    const second = await approvedSpApi(token)
    const reused = new URL(second.location)
    reused.searchParams.set('spapi_oauth_code', new URL(first.location).searchParams.get('spapi_oauth_code')!)
    reused.searchParams.set('selling_partner_id', new URL(first.location).searchParams.get('selling_partner_id')!)
    expect(landing(await callback(reused.href, second.cookie)).get('connect_error')).toBe('grant_invalid')
    expect(await accountsOf(user.id)).toHaveLength(1)
  })

  it.each([
    ['LWA answers 500', { kind: 'error', target: '/api.amazon.com/auth/o2/token', status: 500 }],
    ['LWA answers 503', { kind: 'error', target: '/api.amazon.com/auth/o2/token', status: 503 }],
    ['SP-API fails after the token exchange', { kind: 'error', target: '/sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations', status: 503 }],
    ['SP-API throttles after the token exchange', { kind: 'throttle', target: '/sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations' }],
  ] as const)('saves nothing when %s', async (_name, fault) => {
    const { token, user } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    await injectFault(fault)
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('amazon_unavailable')
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('saves nothing when LWA times out', { timeout: 30_000 }, async () => {
    const { token, user } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    await injectFault({ kind: 'hang', target: '/api.amazon.com/auth/o2/token', ms: 12_000 })
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('amazon_unavailable')
    expect(await accountsOf(user.id)).toEqual([])
  })

  it('updates the account on reconnect instead of duplicating it', async () => {
    const { token, user } = await syncedUser()
    const { accountId, seller } = await connectSeller(token)
    const before = await grantOf(accountId)
    // The same seller approves again, now selling in one more marketplace.
    await amazonControl('POST', '/next-seller', { sellingPartnerId: seller.sellingPartnerId, marketplaceIds: [...seller.marketplaceIds, 'A1AM78C64UM0Y8'] })
    const { response, cookie } = await startConnect(token, { provider: 'sp_api', region: 'na' })
    const back = await callback(await decideConsent(((await response.json()) as { url: string }).url), cookie)
    expect(landing(back).get('connected')).toBe(accountId)
    const accounts = await accountsOf(user.id)
    expect(accounts).toHaveLength(1)
    expect(accounts[0]!.marketplaces).toContain('A1AM78C64UM0Y8')
    const after = await grantOf(accountId)
    expect(after!.id).toBe(before!.id) // the same grant, renewed
    expect(after!.refresh_token).not.toBe(before!.refresh_token)
    const { data: events } = await db.from('account_events').select('kind').eq('user_id', user.id).order('id')
    expect(events!.map((event) => event.kind)).toEqual(['connected', 'reconnected'])
  })

  it('never puts a token, code or state in the redirect', async () => {
    const { token } = await syncedUser()
    const { cookie, location } = await approvedSpApi(token)
    const response = await callback(location, cookie)
    const target = response.headers.get('location')!
    const sent = new URL(location).searchParams
    for (const secret of [sent.get('state')!, sent.get('spapi_oauth_code')!]) expect(target).not.toContain(secret)
    expect(target).not.toMatch(SECRETS)
    expect(await response.text()).not.toMatch(SECRETS)
  })
})

describe('GET /api/auth/amazon/callback: Amazon Ads', () => {
  it('connects one account per advertising profile', async () => {
    const { token, user } = await syncedUser()
    const { account: advertiser } = await amazonControl<{ account: { profiles: Array<{ profileId: number; accountInfo: { marketplaceStringId: string } }> } }>(
      'POST',
      '/next-ads-account',
      { name: 'Ads Test Co', profiles: [{ marketplaceId: 'A1F83G8C2ARO7P' }, { marketplaceId: 'A1PA6795UKMFR9' }] },
    )
    const { response, cookie } = await startConnect(token, { provider: 'ads', marketplace: 'A1F83G8C2ARO7P' })
    const { url } = (await response.json()) as { url: string }
    const params = landing(await callback(await decideConsent(url), cookie))
    expect(params.get('connected')).toBeTruthy()

    const accounts = await accountsOf(user.id)
    expect(accounts.map((account) => account.external_id).sort()).toEqual(advertiser.profiles.map((profile) => String(profile.profileId)).sort())
    for (const account of accounts) {
      expect(account).toMatchObject({ provider: 'ads', region: 'eu', status: 'active' })
      const profile = advertiser.profiles.find((candidate) => String(candidate.profileId) === account.external_id)!
      expect(account.marketplaces).toEqual([profile.accountInfo.marketplaceStringId])
      expect(await decrypt((await grantOf(account.id))!.refresh_token)).toMatch(/^Atzr\|/)
    }
    expect(accounts.filter((account) => account.is_default)).toHaveLength(1)
    // One consent, one grant: its refresh token is refreshed once for all the profiles.
    expect(new Set(await Promise.all(accounts.map(async (account) => (await grantOf(account.id))!.id))).size).toBe(1)
  })

  it('saves nothing when the Ads API fails after the token exchange', async () => {
    const { token, user } = await syncedUser()
    const { response, cookie } = await startConnect(token, { provider: 'ads', region: 'fe' })
    const location = await decideConsent(((await response.json()) as { url: string }).url)
    await injectFault({ kind: 'error', target: 'ads', status: 500 })
    expect(landing(await callback(location, cookie)).get('connect_error')).toBe('amazon_unavailable')
    expect(await accountsOf(user.id)).toEqual([])
  })
})
