// API keys end to end inside workerd: keys created through the Clerk stand-in's Backend API with the
// real @clerk/backend client, used against every route family, verified by the Worker with Clerk.
import { createClerkClient } from '@clerk/backend'
import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, inject, it } from 'vitest'
import { checkApiKey } from '../src/auth/api-keys.ts'
import { createApp } from '../src/app.ts'
import { connectSeller, syncedUser } from './support/amazon.ts'

const clerk = createClerkClient({ secretKey: inject('clerkSecretKey'), apiUrl: inject('clerkUrl') })
const app = createApp()

const devControl = (path: string, init: RequestInit = {}) =>
  fetch(`${inject('clerkUrl')}/__dev${path}`, {
    ...init,
    headers: { authorization: `Bearer ${inject('clerkSecretKey')}`, 'content-type': 'application/json' },
  })

async function keyFor(userId: string, scopes: string[], secondsUntilExpiration?: number) {
  const key = await clerk.apiKeys.create({ name: `test ${crypto.randomUUID()}`, subject: userId, scopes, secondsUntilExpiration })
  return { id: key.id, secret: key.secret! }
}

const ALL = ['accounts:read', 'accounts:write', 'amazon:proxy', 'amazon:proxy:pii']

function call(secret: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${secret}`)
  return SELF.fetch(`http://localhost${path}`, { ...init, headers })
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; details?: Record<string, unknown> } }).error
}

/** Verify calls the Clerk stand-in received for one key (suites share the stand-in). */
async function verificationsOf(keyId: string): Promise<number> {
  return ((await (await devControl(`/api-keys/verifications?api_key_id=${keyId}`)).json()) as { count: number }).count
}

describe('a valid key acts for its user', () => {
  it('reads the user’s accounts through row-level security and calls Amazon through the proxy', async () => {
    const user = await syncedUser()
    const { accountId } = await connectSeller(user.token)
    const { secret, id } = await keyFor(user.user.id, ALL)
    const session = await call(secret, '/api/session')
    expect(await session.json()).toEqual({ userId: user.user.id, sessionId: null, apiKeyId: id, scopes: ALL })
    const accounts = (await (await call(secret, '/api/accounts')).json()) as { accounts: Array<{ id: string }> }
    expect(accounts.accounts.map((account) => account.id)).toEqual([accountId])
    const proxied = await call(secret, `/api/amazon/${accountId}/sellers/v1/marketplaceParticipations`)
    expect(proxied.status).toBe(200)
    expect(await (await call(secret, '/api/me')).json()).toMatchObject({ id: user.user.id })
  })

  it('another user’s account is not found, as with sessions', async () => {
    const owner = await syncedUser()
    const { accountId } = await connectSeller(owner.token)
    const stranger = await syncedUser()
    const { secret } = await keyFor(stranger.user.id, ALL)
    expect((await call(secret, `/api/accounts/${accountId}`)).status).toBe(404)
    const proxied = await call(secret, `/api/amazon/${accountId}/sellers/v1/marketplaceParticipations`)
    expect(proxied.status).toBe(404)
    expect((await errorOf(proxied)).code).toBe('account_not_found')
  })

  it('cannot connect Amazon accounts: that takes a person signed in', async () => {
    const user = await syncedUser()
    const { secret } = await keyFor(user.user.id, ALL)
    const response = await call(secret, '/api/auth/amazon/connect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"provider":"sp_api"}' })
    expect(response.status).toBe(403)
    expect((await errorOf(response)).code).toBe('session_required')
  })
})

describe('scopes', () => {
  it('each route family needs its scope, named in the 403', async () => {
    const user = await syncedUser()
    const { accountId } = await connectSeller(user.token)
    const orderId = await (async () => {
      const { secret } = await keyFor(user.user.id, ['amazon:proxy'])
      const since = encodeURIComponent(new Date(Date.now() - 10 * 86_400_000).toISOString())
      const orders = await call(secret, `/api/amazon/${accountId}/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${since}`)
      return ((await orders.json()) as { payload: { Orders: Array<{ AmazonOrderId: string }> } }).payload.Orders[0]!.AmazonOrderId
    })()
    const readOnly = await keyFor(user.user.id, ['accounts:read'])
    const proxyOnly = await keyFor(user.user.id, ['amazon:proxy'])
    const cases: Array<[string, string, RequestInit, string]> = [
      [proxyOnly.secret, '/api/accounts', {}, 'accounts:read'],
      [proxyOnly.secret, `/api/accounts/${accountId}/usage`, {}, 'accounts:read'],
      [readOnly.secret, `/api/accounts/${accountId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"display_name":"x"}' }, 'accounts:write'],
      [readOnly.secret, `/api/accounts/${accountId}/sync`, { method: 'POST' }, 'accounts:write'],
      [readOnly.secret, `/api/accounts/${accountId}`, { method: 'DELETE' }, 'accounts:write'],
      [readOnly.secret, `/api/amazon/${accountId}/sellers/v1/marketplaceParticipations`, {}, 'amazon:proxy'],
      [proxyOnly.secret, `/api/amazon/${accountId}/orders/v0/orders/${orderId}/address`, {}, 'amazon:proxy:pii'],
    ]
    for (const [secret, path, init, scope] of cases) {
      const response = await call(secret, path, init)
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(403)
      expect(await errorOf(response)).toMatchObject({ code: 'insufficient_scope', details: { scope } })
    }
    // The account is untouched by the refused writes.
    const after = (await (await call(readOnly.secret, `/api/accounts/${accountId}`)).json()) as { display_name: string | null }
    expect(after.display_name).not.toBe('x')
  })

  it('a key without scopes (what Clerk’s <APIKeys/> creates) only says who it belongs to', async () => {
    const user = await syncedUser()
    const { secret } = await keyFor(user.user.id, [])
    expect((await call(secret, '/api/session')).status).toBe(200)
    expect((await call(secret, '/api/me')).status).toBe(200)
    const accounts = await call(secret, '/api/accounts')
    expect(accounts.status).toBe(403)
    expect(await errorOf(accounts)).toMatchObject({ code: 'insufficient_scope', details: { scope: 'accounts:read' } })
  })
})

describe('keys that do not work', () => {
  it('a forged, a revoked and an expired key are 401 api_key_invalid with the reason, on every route family', async () => {
    const user = await syncedUser()
    const revoked = await keyFor(user.user.id, ALL)
    await clerk.apiKeys.revoke({ apiKeyId: revoked.id })
    const expired = await keyFor(user.user.id, ALL, 1)
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const accountId = crypto.randomUUID()
    for (const [secret, reason] of [
      [`ak_${crypto.randomUUID().replaceAll('-', '')}`, 'unknown'],
      [revoked.secret, 'revoked'],
      [expired.secret, 'expired'],
    ] as const) {
      for (const path of ['/api/me', '/api/accounts', `/api/accounts/${accountId}/usage`, `/api/amazon/${accountId}/sellers/v1/marketplaceParticipations`]) {
        const response = await call(secret, path, { headers: { 'cf-connecting-ip': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } })
        expect(response.status, `${reason} ${path}`).toBe(401)
        expect(await errorOf(response)).toMatchObject({ code: 'api_key_invalid', details: { reason } })
      }
    }
  })

  it('a key revoked while cached keeps working at most until the cache window ends', async () => {
    const user = await syncedUser()
    const key = await keyFor(user.user.id, ALL)
    const clerkSettings = { secretKey: inject('clerkSecretKey'), apiUrl: inject('clerkUrl') }
    const now = Date.now()
    expect(await checkApiKey(key.secret, clerkSettings, now)).toMatchObject({ valid: true })
    await clerk.apiKeys.revoke({ apiKeyId: key.id })
    expect(await checkApiKey(key.secret, clerkSettings, now + 59_000)).toMatchObject({ valid: true })
    expect(await checkApiKey(key.secret, clerkSettings, now + 61_000)).toEqual({ valid: false, reason: 'revoked' })
  })
})

describe('verification with Clerk', () => {
  it('100 requests within the window cost one Backend API call', async () => {
    const user = await syncedUser()
    const { id, secret } = await keyFor(user.user.id, ALL)
    for (let i = 0; i < 100; i++) expect((await call(secret, '/api/session')).status).toBe(200)
    expect(await verificationsOf(id)).toBe(1)
  })

  it('Clerk unreachable with nothing cached: 503 auth_unavailable, never a 500 and never admitted', async () => {
    const user = await syncedUser()
    const { id, secret } = await keyFor(user.user.id, ALL)
    await devControl('/faults', { method: 'POST', body: JSON.stringify({ kind: 'error', status: 503, target: 'backend_api', api_key_id: id, count: 1 }) })
    const response = await call(secret, '/api/accounts')
    expect(response.status).toBe(503)
    expect((await errorOf(response)).code).toBe('auth_unavailable')
    // Nothing was cached: once Clerk answers, the key works.
    expect((await call(secret, '/api/accounts')).status).toBe(200)
  })

  it('each key has its own rate limit, with the IETF headers and a 429', async () => {
    const user = await syncedUser()
    const { secret } = await keyFor(user.user.id, ALL)
    const limited = { ...env, RATE_LIMITS: JSON.stringify({ api_key: { limit: 3, windowSeconds: 60 } }) }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const response = await app.request('/api/session', { headers: { authorization: `Bearer ${secret}` } }, limited)
      statuses.push(response.status)
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBeTruthy()
        expect(response.headers.get('ratelimit-policy')).toContain('"api_key";q=3')
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    // The user's own session is not affected.
    expect((await app.request('/api/session', { headers: { authorization: `Bearer ${user.token}` } }, limited)).status).toBe(200)
  })
})


describe('managing keys: /api/keys', () => {
  const asSession = (token: string, path: string, init: RequestInit = {}) =>
    SELF.fetch(`http://localhost/api/keys${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } })

  it('creates a key whose secret is shown once and works, lists it without the secret, revokes it', async () => {
    const user = await syncedUser()
    const created = await asSession(user.token, '', { method: 'POST', body: JSON.stringify({ name: 'Nightly sync', scopes: ['accounts:read'], expires_in_days: 30 }) })
    expect(created.status).toBe(201)
    const { key, secret } = (await created.json()) as { key: { id: string; scopes: string[]; expires_at: string }; secret: string }
    expect(secret).toMatch(/^ak_/)
    expect(key.scopes).toEqual(['accounts:read'])
    expect(Date.parse(key.expires_at)).toBeGreaterThan(Date.now() + 29 * 86_400_000)
    expect((await call(secret, '/api/accounts')).status).toBe(200)

    const listed = await (await asSession(user.token, '')).text()
    expect(listed).toContain(key.id)
    expect(listed).not.toContain(secret)

    const again = await asSession(user.token, '', { method: 'POST', body: JSON.stringify({ name: 'Nightly sync', scopes: ['accounts:read'], expires_in_days: null }) })
    expect(again.status).toBe(409)
    expect((await errorOf(again)).code).toBe('key_name_taken')

    const unused = (await (await asSession(user.token, '', { method: 'POST', body: JSON.stringify({ name: 'Spare', scopes: ['accounts:read'], expires_in_days: null }) })).json()) as { key: { id: string }; secret: string }
    const revoked = await asSession(user.token, `/${unused.key.id}/revoke`, { method: 'POST' })
    expect(revoked.status).toBe(200)
    expect(((await revoked.json()) as { key: { revoked: boolean } }).key.revoked).toBe(true)
    const refused = await call(unused.secret, '/api/accounts')
    expect(refused.status).toBe(401)
    expect(await errorOf(refused)).toMatchObject({ code: 'api_key_invalid', details: { reason: 'revoked' } })
  })

  it('refuses bad input naming the field, another user’s key, and API keys managing keys', async () => {
    const user = await syncedUser()
    for (const [body, field] of [
      [{ name: 'ok name', scopes: [], expires_in_days: null }, 'scopes'],
      [{ name: 'ok name', scopes: ['orders:write'], expires_in_days: null }, 'scopes'],
      [{ name: 'a\u0000b', scopes: ['accounts:read'], expires_in_days: null }, 'name'],
      [{ name: 'ok name', scopes: ['accounts:read'], expires_in_days: 400 }, 'expires_in_days'],
    ] as const) {
      const response = await asSession(user.token, '', { method: 'POST', body: JSON.stringify(body) })
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(JSON.stringify(await errorOf(response))).toContain(`json.${field}`)
    }
    const other = await syncedUser()
    const theirs = await keyFor(other.user.id, ALL)
    expect((await asSession(user.token, `/${theirs.id}/revoke`, { method: 'POST' })).status).toBe(404)
    expect((await call(theirs.secret, '/api/accounts')).status).toBe(200) // untouched
    const viaKey = await call(theirs.secret, '/api/keys')
    expect(viaKey.status).toBe(403)
    expect((await errorOf(viaKey)).code).toBe('session_required')
  })
})
