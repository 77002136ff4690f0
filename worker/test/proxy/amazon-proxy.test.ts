// The Amazon proxy end to end inside workerd: route → AccountSession (ownership, buckets, RDTs) → the
// Amazon stand-in, which enforces Amazon's documented usage plans and counts the 429s it answers.
import { runInDurableObject, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { amazonControl, connectSeller, countAmazonRequests, injectFault, syncedUser } from '../support/amazon.ts'
import { serviceClient } from '../support/db.ts'
import { accountSession } from '../../src/tokens/session-stub.ts'
import { bindings, connectAds } from '../support/token-engine.ts'

const db = serviceClient()
/** Tokens, RDTs and Fernet ciphertexts: none may ever reach a caller or a log line. */
const SECRETS = /Atz[ar]\||Atz\.sprdt|gAAAAA/

afterEach(async () => {
  await amazonControl('DELETE', '/faults')
  vi.restoreAllMocks()
})

async function seller() {
  const user = await syncedUser()
  const { accountId, seller } = await connectSeller(user.token)
  return { ...user, accountId, subject: seller.sellingPartnerId }
}

/** A call through the proxy as `token`; every answer is checked for secrets. */
async function proxy(token: string, accountId: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${token}`)
  const response = await SELF.fetch(`http://localhost/api/amazon/${accountId}${path}`, { ...init, headers })
  const text = await response.text()
  expect(text).not.toMatch(SECRETS)
  for (const [, value] of response.headers) expect(value).not.toMatch(SECRETS)
  return { response, status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
}

const since = () => new Date(Date.now() - 10 * 24 * 3600_000).toISOString()
const ordersPath = () => `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${encodeURIComponent(since())}`

const throttlesOf = async (subject: string) =>
  (await amazonControl<{ throttles: Array<{ operation: string; count: number }> }>('GET', `/throttles?subject=${subject}`)).throttles.reduce(
    (sum, entry) => sum + entry.count,
    0,
  )

/** Usage is counted once the answer has left, so read it until the counts settle. */
const usageFor = (token: string, accountId: string, operationId: string) =>
  expect.poll(async () => (await usageOf(token, accountId)).operations.find((entry) => entry.operation_id === operationId), { timeout: 5_000 })

async function usageOf(token: string, accountId: string) {
  const response = await SELF.fetch(`http://localhost/api/accounts/${accountId}/usage`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return (await response.json()) as {
    operations: Array<{ operation_id: string; calls: number; shaped_waits: number; throttled_by_sellersync: number; throttled_by_amazon: number; errors: number; rate_limit: { rate: number; burst: number; available: number; source: string } | null }>
  }
}

describe('who may call', () => {
  it('the owner reaches Amazon with the grant’s token; the answer carries Amazon’s status, body and headers', async () => {
    const { token, accountId, subject } = await seller()
    const { status, headers, json } = await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')
    expect(status).toBe(200)
    expect(json().payload.map((entry: { marketplace: { id: string } }) => entry.marketplace.id)).toContain('ATVPDKIKX0DER')
    expect(headers.get('x-amzn-requestid')).toBeTruthy()
    expect(headers.get('x-amzn-ratelimit-limit')).toBe('0.016')
    expect(headers.get('x-request-id')).toBeTruthy()
    // Our quota and the operation's bucket, in the IETF fields.
    expect(headers.get('ratelimit-policy')).toContain('"amazon-getMarketplaceParticipations";q=15')
    expect(headers.get('ratelimit')).toMatch(/"amazon-getMarketplaceParticipations";r=\d+;t=\d+/)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(await countAmazonRequests({ operation: 'getMarketplaceParticipations', subject })).toBeGreaterThanOrEqual(1)
  })

  it('another user’s account is not found, and Amazon is never called', async () => {
    const owner = await seller()
    const stranger = await syncedUser()
    const before = await countAmazonRequests({ subject: owner.subject, operation: 'getMarketplaceParticipations' })
    // Warm the session first, so the refusal comes from the ownership check, not a cold lookup.
    expect((await proxy(owner.token, owner.accountId, '/sellers/v1/marketplaceParticipations')).status).toBe(200)
    const { status, json } = await proxy(stranger.token, owner.accountId, '/sellers/v1/marketplaceParticipations')
    expect(status).toBe(404)
    expect(json().error.code).toBe('account_not_found')
    expect(await countAmazonRequests({ subject: owner.subject, operation: 'getMarketplaceParticipations' })).toBe(before + 1)
    expect((await proxy(stranger.token, crypto.randomUUID(), '/sellers/v1/marketplaceParticipations')).status).toBe(404)
    expect((await proxy(stranger.token, 'not-a-uuid', '/sellers/v1/marketplaceParticipations')).status).toBe(404)
  })

  it('a disconnected account stops at once, though its session was warm', async () => {
    const { token, accountId } = await seller()
    expect((await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')).status).toBe(200)
    const gone = await SELF.fetch(`http://localhost/api/accounts/${accountId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
    expect(gone.status).toBe(204)
    const { status, json } = await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')
    expect(status).toBe(404)
    expect(json().error.code).toBe('account_not_found')
  })

  it('an account that needs re-authorization answers 409 with what to do, without calling Amazon', async () => {
    const { token, accountId, subject } = await seller()
    await amazonControl('POST', '/revoke', { sellingPartnerId: subject })
    // Amazon refuses the revoked grant's token: the proxy renews it once, LWA says invalid_grant.
    const first = await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')
    expect(first.status).toBe(409)
    expect(first.json().error).toMatchObject({ code: 'account_reauth_required' })
    const calls = await countAmazonRequests({ subject, operation: 'getMarketplaceParticipations' })
    const again = await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')
    expect(again.status).toBe(409)
    expect(again.json().error.message).toMatch(/reconnect/i)
    expect(await countAmazonRequests({ subject, operation: 'getMarketplaceParticipations' })).toBe(calls)
  })
})

describe('known operations only', () => {
  it('an unknown path is 404 unknown_operation naming the closest known ones', async () => {
    const { token, accountId } = await seller()
    const { status, json } = await proxy(token, accountId, '/orders/v0/order?MarketplaceIds=ATVPDKIKX0DER')
    expect(status).toBe(404)
    expect(json().error.code).toBe('unknown_operation')
    expect(json().error.details.closest[0]).toMatchObject({ operationId: 'getOrders', method: 'GET', path: '/orders/v0/orders' })
  })

  it('a stranger asking for an unknown path learns nothing about the account', async () => {
    const owner = await seller()
    const stranger = await syncedUser()
    const { status, json } = await proxy(stranger.token, owner.accountId, '/no/such/thing')
    expect(status).toBe(404)
    expect(json().error.code).toBe('account_not_found')
  })

  it('malformed steering headers are a 400 naming the header', async () => {
    const { token, accountId } = await seller()
    for (const [name, value] of [
      ['Sellersync-Max-Wait', '40000'],
      ['Sellersync-Max-Wait', '-1'],
      ['Cache-Control', 'max-age=301'],
      ['Sellersync-RDT', 'buyerInfo'],
    ] as const) {
      const { status, json } = await proxy(token, accountId, '/sellers/v1/marketplaceParticipations', { headers: { [name]: value } })
      expect(status, `${name}: ${value}`).toBe(400)
      expect(json().error).toMatchObject({ code: 'invalid_header', details: { header: name } })
    }
  })

  it('bodies up to 1 MiB go through; a larger one is 413, also when streamed without a length', async () => {
    const { token, accountId } = await seller()
    const huge = 'x'.repeat(1024 * 1024 + 1)
    const declared = await proxy(token, accountId, '/tokens/2021-03-01/restrictedDataToken', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    })
    expect(declared.status).toBe(413)
    expect(declared.json().error.code).toBe('payload_too_large')
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(64 * 1024)))
        controller.close()
      },
    })
    const streamed = await proxy(token, accountId, '/tokens/2021-03-01/restrictedDataToken', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' } })
    expect(streamed.status).toBe(413)
  })
})

describe('rate shaping', () => {
  it('50 concurrent getOrders: Amazon never throttles; the excess gets our 429 with Retry-After', async () => {
    const { token, accountId, subject } = await seller()
    const answers = await Promise.all(Array.from({ length: 50 }, () => proxy(token, accountId, ordersPath(), { headers: { 'Sellersync-Max-Wait': '0' } })))
    const ok = answers.filter((answer) => answer.status === 200)
    const refused = answers.filter((answer) => answer.status === 429)
    expect(ok).toHaveLength(20) // getOrders: burst 20
    expect(refused).toHaveLength(30)
    for (const answer of refused) {
      expect(answer.json().error).toMatchObject({ code: 'amazon_rate_limited', details: { operationId: 'getOrders', source: 'sellersync' } })
      // 0.0167 requests/s: about a minute until the next token.
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(59)
      expect(answer.headers.get('ratelimit')).toContain('"amazon-getOrders";r=0')
    }
    expect(await throttlesOf(subject)).toBe(0)
    await usageFor(token, accountId, 'getOrders').toMatchObject({ calls: 50, throttled_by_sellersync: 30, throttled_by_amazon: 0 })
  })

  it('past the burst, a call waits for the next token inside its budget instead of failing', async () => {
    const { token, accountId, subject } = await seller()
    const orderId = (await proxy(token, accountId, ordersPath())).json().payload.Orders[0].AmazonOrderId
    // getOrder: 0.5 requests/s, burst 30. The 31st call waits 2 s for its token.
    const answers = await Promise.all(Array.from({ length: 31 }, () => proxy(token, accountId, `/orders/v0/orders/${orderId}`, { headers: { 'Sellersync-Max-Wait': '3000' } })))
    expect(answers.map((answer) => answer.status)).toEqual(Array(31).fill(200))
    expect(await throttlesOf(subject)).toBe(0)
    await usageFor(token, accountId, 'getOrder').toMatchObject({ calls: 31, shaped_waits: 1, throttled_by_sellersync: 0 })
  })

  it('learns the rate Amazon states on a successful answer', async () => {
    const { token, accountId } = await seller()
    const before = (await usageOf(token, accountId)).operations.find((entry) => entry.operation_id === 'searchCatalogItems')
    expect(before).toBeUndefined()
    await amazonControl('POST', '/rate-limits', { operation: 'searchCatalogItems', rate: 5, burst: 2 })
    try {
      const answer = await proxy(token, accountId, '/catalog/2022-04-01/items?marketplaceIds=ATVPDKIKX0DER&keywords=mug')
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-amzn-ratelimit-limit')).toBe('5')
      await usageFor(token, accountId, 'searchCatalogItems').toMatchObject({ rate_limit: { rate: 5, burst: 2, source: 'amazon' } })
    } finally {
      await amazonControl('POST', '/rate-limits', { operation: 'searchCatalogItems', rate: 2, burst: 2 })
    }
  })

  it('Amazon’s 429 is retried inside the budget, then passed on with our Retry-After', async () => {
    const { token, accountId } = await seller()
    const orderId = (await proxy(token, accountId, ordersPath())).json().payload.Orders[0].AmazonOrderId
    const path = `/orders/v0/orders/${orderId}`
    await injectFault({ kind: 'throttle', target: `/sellingpartnerapi-na.amazon.com${path}`, count: 1 })
    // Amazon's 429 empties the bucket: the retry waits for the next token (2 s at 0.5/s), inside 5 s.
    expect((await proxy(token, accountId, path, { headers: { 'Sellersync-Max-Wait': '5000' } })).status).toBe(200)

    await usageFor(token, accountId, 'getOrder').toMatchObject({ calls: 1, throttled_by_amazon: 1 })

    // Without budget, Amazon's 429 is passed on as Amazon wrote it, with the wait our bucket now needs.
    const items = `/orders/v0/orders/${orderId}/orderItems`
    await injectFault({ kind: 'throttle', target: `/sellingpartnerapi-na.amazon.com${items}`, count: 10 })
    const passedOn = await proxy(token, accountId, items, { headers: { 'Sellersync-Max-Wait': '0' } })
    expect(passedOn.status).toBe(429)
    expect(passedOn.json().errors[0].code).toBe('QuotaExceeded')
    expect(Number(passedOn.headers.get('retry-after'))).toBeGreaterThanOrEqual(2) // getOrderItems: 0.5/s
    await usageFor(token, accountId, 'getOrderItems').toMatchObject({ calls: 1, throttled_by_amazon: 1 })
  })
})

describe('Restricted Data Tokens', () => {
  it('20 concurrent calls for the same buyer data mint one RDT; another seller gets its own', async () => {
    const a = await seller()
    const b = await seller()
    const orderOf = async (who: typeof a) => (await proxy(who.token, who.accountId, ordersPath())).json().payload.Orders[0].AmazonOrderId as string
    const [orderA, orderB] = await Promise.all([orderOf(a), orderOf(b)])
    const answers = await Promise.all(Array.from({ length: 20 }, () => proxy(a.token, a.accountId, `/orders/v0/orders/${orderA}/address`)))
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200))
    expect(answers[0]!.json().payload.ShippingAddress).toBeTruthy()
    expect(await countAmazonRequests({ operation: 'createRestrictedDataToken', subject: a.subject })).toBe(1)

    const other = await proxy(b.token, b.accountId, `/orders/v0/orders/${orderB}/address`)
    expect(other.status).toBe(200)
    expect(await countAmazonRequests({ operation: 'createRestrictedDataToken', subject: b.subject })).toBe(1)
  })

  it('getOrders with data elements asks for them in the RDT and returns the buyer data', async () => {
    const { token, accountId, subject } = await seller()
    const plain = (await proxy(token, accountId, ordersPath())).json()
    expect(plain.payload.Orders[0].ShippingAddress).toBeUndefined()
    const restricted = await proxy(token, accountId, ordersPath(), { headers: { 'Sellersync-RDT': 'shippingAddress' } })
    expect(restricted.status).toBe(200)
    expect(restricted.json().payload.Orders[0].ShippingAddress).toBeTruthy()
    expect(await countAmazonRequests({ operation: 'createRestrictedDataToken', subject })).toBe(1)
  })
})

describe('Amazon Ads', () => {
  async function adsAccount() {
    const user = await syncedUser()
    await connectAds(user.token, ['ATVPDKIKX0DER'])
    const { data } = await db.from('user_accounts').select('id, external_id').eq('user_id', user.user.id).eq('provider', 'ads').single()
    return { ...user, accountId: data!.id as string, profileId: data!.external_id as string }
  }

  it('campaigns need Amazon’s vendor media type; the profile goes as Amazon-Advertising-API-Scope', async () => {
    const { token, accountId } = await adsAccount()
    const media = 'application/vnd.spCampaign.v3+json'
    const listed = await proxy(token, accountId, '/sp/campaigns/list', { method: 'POST', headers: { 'content-type': media, accept: media }, body: '{"maxResults":10}' })
    expect(listed.status).toBe(200)
    expect(Array.isArray(listed.json().campaigns)).toBe(true)
    const wrong = await proxy(token, accountId, '/sp/campaigns/list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(wrong.status).toBe(415)
    expect(wrong.json().error).toMatchObject({ code: 'unsupported_media_type', details: { expected: media } })
  })

  it('an Ads 429 is honoured: its Retry-After is passed on and kept for the next caller', async () => {
    const { token, accountId, profileId } = await adsAccount()
    await injectFault({ kind: 'throttle', target: '/advertising-api.amazon.com/v2/profiles', count: 1 })
    const throttled = await proxy(token, accountId, '/v2/profiles', { headers: { 'Sellersync-Max-Wait': '0' } })
    expect(throttled.status).toBe(429)
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const next = await proxy(token, accountId, '/v2/profiles', { headers: { 'Sellersync-Max-Wait': '0' } })
    expect(next.status).toBe(429)
    expect(next.json().error).toMatchObject({ code: 'amazon_rate_limited', details: { source: 'sellersync' } })
    expect(profileId).toMatch(/^\d+$/)
  })
})

describe('edge cache', () => {
  it('a GET with Cache-Control: max-age is answered from the cache the second time', async () => {
    const { token, accountId, subject } = await seller()
    const ask = () => proxy(token, accountId, '/sellers/v1/marketplaceParticipations', { headers: { 'cache-control': 'max-age=60' } })
    const first = await ask()
    expect(first.headers.get('x-cache')).toBe('MISS')
    const before = await countAmazonRequests({ subject, operation: 'getMarketplaceParticipations' })
    const second = await ask()
    expect(second.status).toBe(200)
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(second.text).toBe(first.text)
    expect(await countAmazonRequests({ subject, operation: 'getMarketplaceParticipations' })).toBe(before)
    // Another user with the same account id and header gets no cached answer.
    const stranger = await syncedUser()
    expect((await proxy(stranger.token, accountId, '/sellers/v1/marketplaceParticipations', { headers: { 'cache-control': 'max-age=60' } })).status).toBe(404)
  })

  it('restricted operations are never cached', async () => {
    const { token, accountId } = await seller()
    const orderId = (await proxy(token, accountId, ordersPath())).json().payload.Orders[0].AmazonOrderId
    const ask = () => proxy(token, accountId, `/orders/v0/orders/${orderId}/address`, { headers: { 'cache-control': 'max-age=60' } })
    expect((await ask()).headers.get('x-cache')).toBeNull()
    expect((await ask()).headers.get('x-cache')).toBeNull()
  })
})

describe('the warm path', () => {
  it('makes no database round trip, and no log line carries a secret', async () => {
    const { token, accountId } = await seller()
    expect((await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')).status).toBe(200)
    const fetches = vi.spyOn(globalThis, 'fetch')
    const logged: string[] = []
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    }
    for (let i = 0; i < 3; i++) expect((await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')).status).toBe(200)
    const databaseCalls = fetches.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(bindings.SUPABASE_URL!))
    expect(databaseCalls).toHaveLength(0)
    expect(fetches.mock.calls.length).toBeGreaterThanOrEqual(3) // the spy does see the Amazon calls
    expect(logged.join('\n')).not.toMatch(SECRETS)
  })

  it('keeps what an evicted session needs in its storage: the account list and the token’s ciphertext, never the token', async () => {
    const { token, accountId } = await seller()
    expect((await proxy(token, accountId, '/sellers/v1/marketplaceParticipations')).status).toBe(200)
    const { data } = await db.from('user_accounts').select('grant_id').eq('id', accountId).single()
    const stored = await runInDurableObject(accountSession(bindings, data!.grant_id!), (_instance, state) => ({
      directory: state.storage.kv.get<{ accounts: Array<{ id: string }> }>('directory'),
      access: state.storage.kv.get<{ ciphertext: string; expiresAt: number }>('access'),
    }))
    expect(stored.directory!.accounts.map((entry) => entry.id)).toEqual([accountId])
    expect(stored.access!.ciphertext).toMatch(/^gAAAAA/)
    expect(stored.access!.expiresAt).toBeGreaterThan(Date.now() + 5 * 60_000)
    expect(JSON.stringify(stored)).not.toMatch(/Atz[ar]\|/)
  })
})
