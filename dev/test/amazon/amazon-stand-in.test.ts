import { get, type IncomingHttpHeaders } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type AmazonStandIn, type AmazonStandInOptions, amazonUrl, startAmazonStandIn } from '../../amazon/server.ts'

const CLIENT = {
  clientId: 'amzn1.application-oa2-client.standintest',
  clientSecret: 'amzn1.oa2-cs.v1.stand-in-test-secret',
  applicationId: 'amzn1.sp.solution.standintest',
  name: 'Stand-in Test App',
}
const OTHER_CLIENT = { clientId: 'amzn1.application-oa2-client.other', clientSecret: 'amzn1.oa2-cs.v1.other-secret' }
const REDIRECT_URI = 'https://app.example.test/api/auth/amazon/callback'
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

const EU_SELLER = 'A1EUSTANDIN001'
const UK = 'A1F83G8C2ARO7P'
const DE = 'A1PA6795UKMFR9'
const US = 'ATVPDKIKX0DER'

// Every stand-in a test starts is stopped after that test, pass or fail.
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

/** A stand-in on a clock the test moves by hand. */
async function start(overrides: Partial<AmazonStandInOptions> = {}) {
  const clock = { now: Date.parse('2026-11-20T12:00:00Z') }
  const standIn = await startAmazonStandIn({ clients: [CLIENT, OTHER_CLIENT], now: () => clock.now, ...overrides })
  cleanups.push(() => standIn.stop())
  return { standIn, clock }
}

type Reply = { status: number; headers: Headers; text: string; body: any }

/** In SP-API's documented form, like the Worker's (worker/src/amazon/user-agent.ts). */
const USER_AGENT = 'sellersync-stand-in-test/1.0 (Language=TypeScript; Platform=Node.js)'

/** A User-Agent of exactly `length` characters, still in the documented form. */
function userAgentOfLength(length: number): string {
  const [head, tail] = ['sellersync-stand-in-test/1.0 (Language=TypeScript; Platform=', ')']
  return head + 'x'.repeat(length - head.length - tail.length) + tail
}

/** fetch with our User-Agent unless the caller sets one (SP-API refuses calls without; fetch alone sends `node`). */
async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const headers = new Headers(init.headers)
  if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT)
  const response = await fetch(url, { redirect: 'manual', ...init, headers })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, headers: response.headers, text, body }
}

function spApiConsentUrl(standIn: AmazonStandIn, params: Record<string, string>, host = 'sellercentral-europe.amazon.com') {
  return standIn.amazonUrl(host, `/apps/authorize/consent?${new URLSearchParams(params)}`)
}

function adsConsentUrl(standIn: AmazonStandIn, params: Record<string, string>, host = 'eu.account.amazon.com') {
  return standIn.amazonUrl(host, `/ap/oa?${new URLSearchParams(params)}`)
}

/** Answers a consent page the way its form does, returning where Amazon redirects to. */
async function decide(url: string, decision: 'approve' | 'deny'): Promise<URL> {
  const reply = await call(url, { method: 'POST', headers: FORM, body: `decision=${decision}` })
  expect(reply.status).toBe(302)
  return new URL(reply.headers.get('location')!)
}

async function spApiCode(standIn: AmazonStandIn, { host = 'sellercentral-europe.amazon.com', state = 'state-1' } = {}) {
  const location = await decide(
    spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, state, redirect_uri: REDIRECT_URI }, host),
    'approve',
  )
  return { code: location.searchParams.get('spapi_oauth_code')!, sellingPartnerId: location.searchParams.get('selling_partner_id')! }
}

async function tokenRequest(standIn: AmazonStandIn, params: Record<string, string>, host = 'api.amazon.com', init: RequestInit = {}) {
  return call(standIn.amazonUrl(host, '/auth/o2/token'), {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams(params).toString(),
    ...init,
  })
}

async function exchangeSpApiCode(standIn: AmazonStandIn, code: string, overrides: Record<string, string> = {}) {
  return tokenRequest(standIn, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...overrides,
  })
}

async function spApiTokens(standIn: AmazonStandIn, host?: string) {
  const { code, sellingPartnerId } = await spApiCode(standIn, { host })
  const reply = await exchangeSpApiCode(standIn, code)
  expect(reply.status).toBe(200)
  return { accessToken: reply.body.access_token as string, refreshToken: reply.body.refresh_token as string, sellingPartnerId }
}

async function refresh(standIn: AmazonStandIn, refreshToken: string, host = 'api.amazon.com') {
  return tokenRequest(
    standIn,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
    host,
  )
}

async function participations(standIn: AmazonStandIn, accessToken: string | undefined, host = 'sellingpartnerapi-eu.amazon.com') {
  return call(standIn.amazonUrl(host, '/sellers/v1/marketplaceParticipations'), {
    headers: accessToken === undefined ? {} : { 'x-amz-access-token': accessToken },
  })
}

async function adsTokens(standIn: AmazonStandIn, region: { consentHost: string; tokenHost: string } = { consentHost: 'eu.account.amazon.com', tokenHost: 'api.amazon.co.uk' }) {
  const location = await decide(
    adsConsentUrl(
      standIn,
      { client_id: CLIENT.clientId, scope: 'advertising::campaign_management', response_type: 'code', redirect_uri: REDIRECT_URI, state: 'ads-state' },
      region.consentHost,
    ),
    'approve',
  )
  const reply = await tokenRequest(
    standIn,
    { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
    region.tokenHost,
  )
  expect(reply.status).toBe(200)
  return { accessToken: reply.body.access_token as string, refreshToken: reply.body.refresh_token as string }
}

/** `clientId: null` leaves the Amazon-Advertising-API-ClientId header out. */
async function profiles(standIn: AmazonStandIn, accessToken: string | undefined, { host = 'advertising-api-eu.amazon.com', clientId = CLIENT.clientId as string | null } = {}) {
  const headers: Record<string, string> = {}
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`
  if (clientId !== null) headers['amazon-advertising-api-clientid'] = clientId
  return call(standIn.amazonUrl(host, '/v2/profiles'), { headers })
}

/** A GET with no User-Agent header at all: node:http adds none, where fetch would send `node`. */
function getWithoutUserAgent(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: any }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text) }))
    }).on('error', reject)
  })
}

async function control(standIn: AmazonStandIn, method: string, path: string, body?: unknown) {
  return call(`${standIn.url}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

describe('amazonUrl', () => {
  it('maps an Amazon URL onto the stand-in with the host as first segment, or leaves it alone', () => {
    expect(amazonUrl(undefined, 'api.amazon.com', '/auth/o2/token')).toBe('https://api.amazon.com/auth/o2/token')
    expect(amazonUrl('http://127.0.0.1:9', 'sellingpartnerapi-eu.amazon.com', '/orders/v0/orders?MarketplaceIds=X')).toBe(
      'http://127.0.0.1:9/sellingpartnerapi-eu.amazon.com/orders/v0/orders?MarketplaceIds=X',
    )
    expect(amazonUrl('http://127.0.0.1:9/', 'api.amazon.com', '/auth/o2/token')).toBe('http://127.0.0.1:9/api.amazon.com/auth/o2/token')
    expect(amazonUrl('', 'api.amazon.com', '/x')).toBe('https://api.amazon.com/x')
    expect(() => amazonUrl(undefined, 'api.amazon.com', 'auth/o2/token')).toThrow(TypeError)
    expect(() => amazonUrl(undefined, 'evil.example/x', '/y')).toThrow(TypeError)
  })
})

describe('SP-API website authorization', () => {
  it('consent page → code → tokens → marketplaceParticipations on the seller region host', async () => {
    const { standIn } = await start()
    const consentUrl = spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, state: 'opaque-state', redirect_uri: REDIRECT_URI })

    const page = await call(consentUrl)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.text).toContain('Stand-in Test App')
    expect(page.text).toContain(EU_SELLER)
    expect(page.text).toMatch(/<button type="submit" name="decision" value="approve">Approve<\/button>/)
    expect(page.text).toMatch(/<button type="submit" name="decision" value="deny">Deny<\/button>/)
    expect(page.text).toMatch(/<form method="post" action="\/sellercentral-europe\.amazon\.com\/apps\/authorize\/consent\?[^"]*application_id=/)
    expect(page.text).toContain('<html lang="en">')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    // A form-action CSP would make browsers block the redirect to the app after the POST.
    expect(page.headers.get('content-security-policy')).not.toMatch(/form-action/)

    const location = await decide(consentUrl, 'approve')
    expect(location.origin + location.pathname).toBe(REDIRECT_URI)
    expect(location.searchParams.get('state')).toBe('opaque-state')
    expect(location.searchParams.get('selling_partner_id')).toBe(EU_SELLER)
    const code = location.searchParams.get('spapi_oauth_code')!
    expect(code).toMatch(/^[A-Za-z]{20}$/)

    const tokens = await exchangeSpApiCode(standIn, code)
    expect(tokens.status).toBe(200)
    expect(tokens.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    expect(tokens.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(tokens.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type'])
    expect(tokens.body.access_token).toMatch(/^Atza\|[\w-]{300,}$/)
    expect(tokens.body.refresh_token).toMatch(/^Atzr\|[\w-]{300,}$/)
    expect(tokens.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 })

    const reply = await participations(standIn, tokens.body.access_token)
    expect(reply.status).toBe(200)
    expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('0.016')
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    const byId = Object.fromEntries(reply.body.payload.map((entry: any) => [entry.marketplace.id, entry]))
    expect(Object.keys(byId).sort()).toEqual([UK, DE, 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS'].sort())
    expect(byId[UK]).toEqual({
      marketplace: { id: UK, countryCode: 'GB', name: 'Amazon.co.uk', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'www.amazon.co.uk' },
      participation: { isParticipating: true, hasSuspendedListings: false },
      storeName: 'Stand-in Seller EU',
    })
  })

  it('refuses a call without a User-Agent or with one over 500 characters (400 InvalidInput); LWA and Ads do not check', async () => {
    const { standIn } = await start()
    const { accessToken, refreshToken } = await spApiTokens(standIn)
    const url = standIn.amazonUrl('sellingpartnerapi-eu.amazon.com', '/sellers/v1/marketplaceParticipations')
    const invalidInput = (details: string) => ({ errors: [{ code: 'InvalidInput', message: 'Invalid Input', details }] })
    const withUserAgent = (userAgent: string) => call(url, { headers: { 'x-amz-access-token': accessToken, 'user-agent': userAgent } })

    const absent = await getWithoutUserAgent(url, { 'x-amz-access-token': accessToken })
    expect(absent.status).toBe(400)
    expect(absent.body).toEqual(invalidInput('The User-Agent header is missing.'))
    expect(absent.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/)
    const blank = await withUserAgent('')
    expect(blank.status).toBe(400)
    expect(blank.body).toEqual(invalidInput('The User-Agent header is missing.'))
    const tooLong = await withUserAgent(userAgentOfLength(501))
    expect(tooLong.status).toBe(400)
    expect(tooLong.body).toEqual(invalidInput('The User-Agent header is longer than 500 characters.'))
    expect(tooLong.headers.get('x-amzn-requestid')).toBeTruthy()
    // The check comes before the token's: even a call without a token is refused for its User-Agent first.
    expect((await getWithoutUserAgent(url, {})).body).toEqual(invalidInput('The User-Agent header is missing.'))

    expect((await withUserAgent(userAgentOfLength(500))).status).toBe(200)
    expect((await participations(standIn, accessToken)).status).toBe(200)
    expect(standIn.requests({ kind: 'sp_api' }).map((record) => [record.status, record.userAgent])).toEqual([
      [400, undefined],
      [400, undefined],
      [400, userAgentOfLength(501)],
      [400, undefined],
      [200, userAgentOfLength(500)],
      [200, USER_AGENT],
    ])

    // Only SP-API documents the rule: LWA and Amazon Ads answer without one.
    const lwa = await tokenRequest(
      standIn,
      { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
      'api.amazon.com',
      { headers: { ...FORM, 'user-agent': '' } },
    )
    expect(lwa.status).toBe(200)
    const ads = await adsTokens(standIn)
    const adsReply = await call(standIn.amazonUrl('advertising-api-eu.amazon.com', '/v2/profiles'), {
      headers: { authorization: `Bearer ${ads.accessToken}`, 'amazon-advertising-api-clientid': CLIENT.clientId, 'user-agent': '' },
    })
    expect(adsReply.status).toBe(200)
  })

  it('rejects an access token on another region host like Amazon does (403 Unauthorized)', async () => {
    const { standIn } = await start()
    const { accessToken } = await spApiTokens(standIn)
    for (const host of ['sellingpartnerapi-na.amazon.com', 'sellingpartnerapi-fe.amazon.com']) {
      const reply = await participations(standIn, accessToken, host)
      expect(reply.status).toBe(403)
      expect(reply.body).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] })
      expect(reply.headers.get('x-amzn-requestid')).toBeTruthy()
    }
    expect((await participations(standIn, accessToken, 'sellingpartnerapi-eu.amazon.com')).status).toBe(200)
  })

  it('answers missing, unknown and expired access tokens with the SP-API 403 details', async () => {
    const { standIn, clock } = await start()
    const missing = await participations(standIn, undefined)
    expect(missing.status).toBe(403)
    expect(missing.body.errors[0]).toEqual({ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'Access token is missing in the request header.' })
    const unknown = await participations(standIn, 'Atza|not-a-token')
    expect(unknown.body.errors[0].details).toBe('The access token you provided is revoked, malformed or invalid.')

    const { accessToken } = await spApiTokens(standIn)
    clock.now += 3599_000
    expect((await participations(standIn, accessToken)).status).toBe(200)
    clock.now += 1000
    const expired = await participations(standIn, accessToken)
    expect(expired.status).toBe(403)
    expect(expired.body.errors[0].details).toBe('The access token you provided has expired.')
  })

  it('the region comes from the seller; nextSeller picks who approves', async () => {
    const { standIn } = await start()
    const seller = standIn.nextSeller({ sellingPartnerId: 'A2TESTSELLERJP9', marketplaceIds: ['A1VC38T7YXB528'], storeName: 'Tokyo Store' })
    expect(seller.region).toBe('fe')
    const page = await call(spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, state: 's', redirect_uri: REDIRECT_URI }, 'sellercentral.amazon.co.jp'))
    expect(page.text).toContain('A2TESTSELLERJP9')
    const { accessToken, sellingPartnerId } = await spApiTokens(standIn, 'sellercentral.amazon.co.jp')
    expect(sellingPartnerId).toBe('A2TESTSELLERJP9')
    const reply = await participations(standIn, accessToken, 'sellingpartnerapi-fe.amazon.com')
    expect(reply.body.payload).toHaveLength(1)
    expect(reply.body.payload[0].marketplace).toMatchObject({ id: 'A1VC38T7YXB528', countryCode: 'JP', defaultCurrencyCode: 'JPY' })
    expect(reply.body.payload[0].storeName).toBe('Tokyo Store')
    expect((await participations(standIn, accessToken, 'sellingpartnerapi-eu.amazon.com')).status).toBe(403)

    // The override was used up: the next approval on the NA host is the NA default seller.
    expect((await spApiCode(standIn, { host: 'sellercentral.amazon.com' })).sellingPartnerId).toBe('A1NASTANDIN001')
    expect(() => standIn.nextSeller({ marketplaceIds: [US, UK] })).toThrow(/same region/)
  })

  it('serves getOrders with filters, pagination and validation', async () => {
    const { standIn } = await start()
    const { accessToken } = await spApiTokens(standIn)
    const orders = (query: string) =>
      call(standIn.amazonUrl('sellingpartnerapi-eu.amazon.com', `/orders/v0/orders?${query}`), { headers: { 'x-amz-access-token': accessToken } })

    const all = await orders(`MarketplaceIds=${UK},${DE}&CreatedAfter=2026-01-01T00:00:00Z`)
    expect(all.status).toBe(200)
    expect(all.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167')
    expect(all.body.payload.Orders).toHaveLength(12)
    expect(all.body.payload.NextToken).toBeUndefined()
    const order = all.body.payload.Orders.find((candidate: any) => candidate.MarketplaceId === UK)
    expect(order.AmazonOrderId).toMatch(/^\d{3}-\d{7}-\d{7}$/)
    expect(order.OrderTotal.CurrencyCode).toBe('GBP')
    expect(order.PurchaseDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    const recent = await orders(`MarketplaceIds=${UK}&CreatedAfter=2026-11-18T00:00:00Z`)
    expect(recent.body.payload.Orders.length).toBeGreaterThan(0)
    expect(recent.body.payload.Orders.length).toBeLessThan(6)
    expect(recent.body.payload.Orders.every((o: any) => o.PurchaseDate >= '2026-11-18T00:00:00Z')).toBe(true)

    const first = await orders(`MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z&MaxResultsPerPage=4`)
    expect(first.body.payload.Orders).toHaveLength(4)
    const second = await orders(`MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z&MaxResultsPerPage=4&NextToken=${first.body.payload.NextToken}`)
    expect(second.body.payload.Orders).toHaveLength(2)
    expect(second.body.payload.NextToken).toBeUndefined()

    const noDate = await orders(`MarketplaceIds=${UK}`)
    expect(noDate.status).toBe(400)
    expect(noDate.body.errors[0]).toMatchObject({ code: 'InvalidInput' })
    expect((await orders('CreatedAfter=2026-01-01T00:00:00Z')).status).toBe(400)
    expect((await orders(`MarketplaceIds=${US}&CreatedAfter=2026-01-01T00:00:00Z`)).status).toBe(400)
    expect((await orders(`MarketplaceIds=${UK}&CreatedAfter=yesterday`)).status).toBe(400)
  })

  it('answers 429 QuotaExceeded (without x-amzn-RateLimit-Limit) once the bucket is empty, per seller, and refills with time', async () => {
    const { standIn, clock } = await start({ rateLimits: { getMarketplaceParticipations: { rate: 0.5, burst: 2 } } })
    const { accessToken } = await spApiTokens(standIn)
    expect((await participations(standIn, accessToken)).status).toBe(200)
    expect((await participations(standIn, accessToken)).status).toBe(200)
    const throttled = await participations(standIn, accessToken)
    expect(throttled.status).toBe(429)
    expect(throttled.body).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] })
    // Amazon no longer sends the rate-limit header with a 429.
    expect(throttled.headers.get('x-amzn-ratelimit-limit')).toBeNull()
    expect(throttled.headers.get('x-amzn-requestid')).toBeTruthy()

    // Another operation and another seller have buckets of their own.
    const ordersReply = await call(standIn.amazonUrl('sellingpartnerapi-eu.amazon.com', `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`), {
      headers: { 'x-amz-access-token': accessToken },
    })
    expect(ordersReply.status).toBe(200)
    standIn.nextSeller({ sellingPartnerId: 'A2SECONDSELLER1', marketplaceIds: [UK] })
    const second = await spApiTokens(standIn)
    expect((await participations(standIn, second.accessToken)).status).toBe(200)

    clock.now += 1999
    expect((await participations(standIn, accessToken)).status).toBe(429)
    clock.now += 1
    expect((await participations(standIn, accessToken)).status).toBe(200)
    expect((await participations(standIn, accessToken)).status).toBe(429)

    // setRateLimit starts the operation's buckets over.
    standIn.setRateLimit('getMarketplaceParticipations', { rate: 1, burst: 1 })
    const fresh = await participations(standIn, accessToken)
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('x-amzn-ratelimit-limit')).toBe('1')
    expect((await participations(standIn, accessToken)).status).toBe(429)
  })

  it('uses Amazon documented rates by default', async () => {
    const { standIn } = await start()
    const { accessToken } = await spApiTokens(standIn)
    for (let i = 0; i < 15; i++) expect((await participations(standIn, accessToken)).status).toBe(200)
    expect((await participations(standIn, accessToken)).status).toBe(429)
  })

  it('deny redirects with error=access_denied and the state, and no code', async () => {
    const { standIn } = await start()
    const location = await decide(spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, state: 'deny-state', redirect_uri: REDIRECT_URI }), 'deny')
    expect(location.origin + location.pathname).toBe(REDIRECT_URI)
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('state')).toBe('deny-state')
    expect(location.searchParams.has('spapi_oauth_code')).toBe(false)
    expect(location.searchParams.has('selling_partner_id')).toBe(false)
  })

  it('shows an error page, never a redirect, for requests Amazon cannot trust', async () => {
    const { standIn } = await start({
      clients: [
        CLIENT,
        { clientId: 'c-draft', clientSecret: 's', applicationId: 'app-draft', draft: true, redirectUris: [REDIRECT_URI] },
        { clientId: 'c-registered', clientSecret: 's', applicationId: 'app-registered', redirectUris: [REDIRECT_URI] },
      ],
    })
    const unknownApp = await call(spApiConsentUrl(standIn, { application_id: 'amzn1.sp.solution.nope', state: 's', redirect_uri: REDIRECT_URI }))
    expect(unknownApp.status).toBe(400)
    expect(unknownApp.headers.get('location')).toBeNull()
    expect(unknownApp.text).toContain('could not find the application')
    const postUnknown = await call(spApiConsentUrl(standIn, { application_id: 'nope', state: 's', redirect_uri: REDIRECT_URI }), { method: 'POST', headers: FORM, body: 'decision=approve' })
    expect(postUnknown.status).toBe(400)

    const draft = await call(spApiConsentUrl(standIn, { application_id: 'app-draft', state: 's' }))
    expect(draft.status).toBe(400)
    expect(draft.text).toContain('MD1000')
    expect((await call(spApiConsentUrl(standIn, { application_id: 'app-draft', state: 's', version: 'beta' }))).status).toBe(200)

    const badRedirect = await call(spApiConsentUrl(standIn, { application_id: 'app-registered', state: 's', redirect_uri: 'https://evil.example/cb' }))
    expect(badRedirect.status).toBe(400)
    expect(badRedirect.text).toContain('MD5101')

    // Without redirect_uri Amazon uses the app's registered one, and the token request need not repeat it.
    const location = await decide(spApiConsentUrl(standIn, { application_id: 'app-registered', state: 's' }), 'approve')
    expect(location.origin + location.pathname).toBe(REDIRECT_URI)
    const tokens = await tokenRequest(standIn, { grant_type: 'authorization_code', code: location.searchParams.get('spapi_oauth_code')!, client_id: 'c-registered', client_secret: 's' })
    expect(tokens.status).toBe(200)

    expect((await call(spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, redirect_uri: REDIRECT_URI }))).status).toBe(400)
    const noDecision = await call(spApiConsentUrl(standIn, { application_id: CLIENT.applicationId, state: 's', redirect_uri: REDIRECT_URI }), { method: 'POST', headers: FORM, body: 'decision=maybe' })
    expect(noDecision.status).toBe(400)
    expect((await call(standIn.amazonUrl('sellercentral.amazon.com', '/somewhere-else'))).status).toBe(404)
  })
})

describe('LWA token endpoint', () => {
  it('codes are single use: a reused code is invalid_grant', async () => {
    const { standIn } = await start()
    const { code } = await spApiCode(standIn)
    expect((await exchangeSpApiCode(standIn, code)).status).toBe(200)
    const reused = await exchangeSpApiCode(standIn, code)
    expect(reused.status).toBe(400)
    expect(reused.body).toEqual({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : code' })
  })

  it('codes expire after five minutes', async () => {
    const { standIn, clock } = await start()
    const late = await spApiCode(standIn)
    const inTime = await spApiCode(standIn)
    clock.now += 299_000
    expect((await exchangeSpApiCode(standIn, inTime.code)).status).toBe(200)
    clock.now += 1000
    const expired = await exchangeSpApiCode(standIn, late.code)
    expect(expired.status).toBe(400)
    expect(expired.body.error).toBe('invalid_grant')
  })

  it('checks redirect_uri, the client the code was issued to, and the token host', async () => {
    const { standIn } = await start()
    const { code } = await spApiCode(standIn)
    const mismatch = await exchangeSpApiCode(standIn, code, { redirect_uri: 'https://app.example.test/other' })
    expect(mismatch.status).toBe(400)
    expect(mismatch.body).toEqual({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : redirect_uri' })
    const params = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })
    const missing = await call(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'), { method: 'POST', headers: FORM, body: params.toString() })
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'The request is missing a required parameter : redirect_uri' })
    const otherClient = await exchangeSpApiCode(standIn, code, { client_id: OTHER_CLIENT.clientId, client_secret: OTHER_CLIENT.clientSecret })
    expect(otherClient.body.error).toBe('invalid_grant')
    // SP-API grants are redeemed at api.amazon.com only.
    const wrongHost = await tokenRequest(
      standIn,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
      'api.amazon.co.uk',
    )
    expect(wrongHost.body.error).toBe('invalid_grant')
    // None of the failures used the code up.
    expect((await exchangeSpApiCode(standIn, code)).status).toBe(200)
  })

  it('a wrong or missing client secret is invalid_client (401), without echoing it', async () => {
    const { standIn } = await start()
    const { code } = await spApiCode(standIn)
    const wrong = await exchangeSpApiCode(standIn, code, { client_secret: 'wrong-secret-value' })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' })
    expect(wrong.text).not.toContain('wrong-secret-value')
    expect((await exchangeSpApiCode(standIn, code, { client_id: 'amzn1.application-oa2-client.unknown' })).status).toBe(401)
    const noSecret = await tokenRequest(standIn, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId })
    expect(noSecret.status).toBe(401)
    expect((await tokenRequest(standIn, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).body).toEqual({
      error: 'invalid_request',
      error_description: 'The request is missing a required parameter : client_id',
    })

    // HTTP Basic client authentication works too, and a bad one gets the challenge header.
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
    const badBasic = await tokenRequest(standIn, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, 'api.amazon.com', {
      headers: { ...FORM, authorization: basic(CLIENT.clientId, 'nope') },
    })
    expect(badBasic.status).toBe(401)
    expect(badBasic.headers.get('www-authenticate')).toMatch(/^Basic/)
    const goodBasic = await tokenRequest(standIn, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, 'api.amazon.com', {
      headers: { ...FORM, authorization: basic(CLIENT.clientId, CLIENT.clientSecret) },
    })
    expect(goodBasic.status).toBe(200)
  })

  it('rejects JSON bodies, missing and repeated parameters, and unknown grant types', async () => {
    const { standIn } = await start()
    const { code } = await spApiCode(standIn)
    const asJson = await call(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    })
    expect(asJson.status).toBe(400)
    expect(asJson.body.error).toBe('invalid_request')
    expect(asJson.text).not.toContain(CLIENT.clientSecret)
    expect((await exchangeSpApiCode(standIn, code)).status).toBe(200) // the JSON attempt did not consume it

    expect((await tokenRequest(standIn, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })).body).toEqual({
      error: 'invalid_request',
      error_description: 'The request is missing a required parameter : grant_type',
    })
    const unsupported = await tokenRequest(standIn, { grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })
    expect(unsupported.status).toBe(400)
    expect(unsupported.body.error).toBe('unsupported_grant_type')
    const repeated = await call(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'), {
      method: 'POST',
      headers: FORM,
      body: `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${CLIENT.clientId}&client_secret=${CLIENT.clientSecret}`,
    })
    expect(repeated.body).toEqual({ error: 'invalid_request', error_description: 'The request has a repeated parameter : refresh_token' })
    expect((await tokenRequest(standIn, { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })).body.error).toBe(
      'invalid_request',
    )
  })

  it('a client limited to some grant types gets unauthorized_client for others', async () => {
    const { standIn } = await start({ clients: [{ ...CLIENT, grantTypes: ['authorization_code'] }] })
    const { refreshToken } = await spApiTokens(standIn)
    const reply = await refresh(standIn, refreshToken)
    expect(reply.status).toBe(400)
    expect(reply.body.error).toBe('unauthorized_client')
  })

  it('the refresh grant returns a new access token and no refresh token', async () => {
    const { standIn } = await start()
    const { accessToken, refreshToken } = await spApiTokens(standIn)
    const reply = await refresh(standIn, refreshToken)
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.body).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
    expect(reply.body.access_token).not.toBe(accessToken)
    expect((await participations(standIn, reply.body.access_token)).status).toBe(200)
    expect((await participations(standIn, accessToken)).status).toBe(200) // earlier tokens live out their hour
    expect((await refresh(standIn, refreshToken)).status).toBe(200) // refresh tokens are reusable
    expect((await refresh(standIn, 'Atzr|unknown')).body).toEqual({
      error: 'invalid_grant',
      error_description: "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
    })
    const otherClient = await tokenRequest(standIn, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: OTHER_CLIENT.clientId,
      client_secret: OTHER_CLIENT.clientSecret,
    })
    expect(otherClient.body.error).toBe('invalid_grant')
    expect((await refresh(standIn, refreshToken, 'api.amazon.co.jp')).body.error).toBe('invalid_grant')
  })

  it('rotates refresh tokens when told to: the new one works, the old one stops (unless keepOld)', async () => {
    const { standIn } = await start()
    const { refreshToken } = await spApiTokens(standIn)
    standIn.rotateRefreshTokens()
    const rotated = await refresh(standIn, refreshToken)
    expect(rotated.body.refresh_token).toMatch(/^Atzr\|/)
    expect(rotated.body.refresh_token).not.toBe(refreshToken)
    expect((await refresh(standIn, refreshToken)).body.error).toBe('invalid_grant')
    const next = await refresh(standIn, rotated.body.refresh_token)
    expect(next.status).toBe(200)
    expect(next.body.refresh_token).toBeUndefined() // only the next refresh rotated

    standIn.rotateRefreshTokens({ keepOld: true })
    const kept = await refresh(standIn, rotated.body.refresh_token)
    expect(kept.body.refresh_token).toMatch(/^Atzr\|/)
    expect((await refresh(standIn, rotated.body.refresh_token)).status).toBe(200)
  })

  it('a revoked grant: refresh is invalid_grant, its access tokens are refused; other sellers are untouched', async () => {
    const { standIn } = await start()
    const revoked = await spApiTokens(standIn)
    standIn.nextSeller({ sellingPartnerId: 'A2OTHERSELLER01', marketplaceIds: [DE] })
    const other = await spApiTokens(standIn)
    expect(standIn.revokeGrant({ sellingPartnerId: EU_SELLER })).toBe(1)

    const refreshReply = await refresh(standIn, revoked.refreshToken)
    expect(refreshReply.status).toBe(400)
    expect(refreshReply.body.error).toBe('invalid_grant')
    const api = await participations(standIn, revoked.accessToken)
    expect(api.status).toBe(403)
    expect(api.body.errors[0].details).toBe('The access token you provided is revoked, malformed or invalid.')
    expect((await participations(standIn, other.accessToken)).status).toBe(200)
    expect((await refresh(standIn, other.refreshToken)).status).toBe(200)

    // Consenting again creates a new grant.
    const again = await spApiTokens(standIn)
    expect((await participations(standIn, again.accessToken)).status).toBe(200)
  })

  it('expireAccessTokens makes every issued access token expired', async () => {
    const { standIn } = await start()
    const { accessToken, refreshToken } = await spApiTokens(standIn)
    expect(standIn.expireAccessTokens()).toBe(1)
    expect((await participations(standIn, accessToken)).body.errors[0].details).toBe('The access token you provided has expired.')
    const renewed = await refresh(standIn, refreshToken)
    expect((await participations(standIn, renewed.body.access_token)).status).toBe(200)
  })

  it('issueRefreshToken seeds a grant without the consent dance', async () => {
    const { standIn } = await start()
    const refreshToken = standIn.issueRefreshToken({ clientId: CLIENT.clientId, sellingPartnerId: 'A1NASTANDIN001' })
    const reply = await refresh(standIn, refreshToken)
    expect(reply.status).toBe(200)
    expect((await participations(standIn, reply.body.access_token, 'sellingpartnerapi-na.amazon.com')).status).toBe(200)
    const adsRefresh = standIn.issueRefreshToken({ clientId: CLIENT.clientId, adsAccountId: 'amzn1.account.STANDINADVERTISERFE00000000' })
    expect((await refresh(standIn, adsRefresh, 'api.amazon.co.jp')).status).toBe(200)
    expect((await refresh(standIn, adsRefresh, 'api.amazon.com')).body.error).toBe('invalid_grant')
  })
})

describe('Amazon Ads authorization and profiles', () => {
  const adsParams = { client_id: CLIENT.clientId, scope: 'advertising::campaign_management', response_type: 'code', redirect_uri: REDIRECT_URI, state: 'ads-state' }

  it('consent → code → tokens at the regional LWA host → /v2/profiles', async () => {
    const { standIn } = await start()
    const page = await call(adsConsentUrl(standIn, adsParams))
    expect(page.status).toBe(200)
    expect(page.text).toContain('Stand-in Advertiser EU')
    expect(page.text).toMatch(/<button type="submit" name="decision" value="approve">Approve<\/button>/)

    const location = await decide(adsConsentUrl(standIn, adsParams), 'approve')
    expect(location.origin + location.pathname).toBe(REDIRECT_URI)
    expect(location.searchParams.get('scope')).toBe('advertising::campaign_management')
    expect(location.searchParams.get('state')).toBe('ads-state')
    const code = location.searchParams.get('code')!
    const exchange = (host: string) =>
      tokenRequest(standIn, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, host)
    // EU Ads grants are redeemed at api.amazon.co.uk, not api.amazon.com.
    expect((await exchange('api.amazon.com')).body.error).toBe('invalid_grant')
    const tokens = await exchange('api.amazon.co.uk')
    expect(tokens.status).toBe(200)
    expect(tokens.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 })

    const reply = await profiles(standIn, tokens.body.access_token)
    expect(reply.status).toBe(200)
    expect(reply.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(reply.body.map((profile: any) => profile.profileId)).toEqual([2_000_000_000_001, 2_000_000_000_002, 2_000_000_000_003])
    expect(reply.body[0]).toEqual({
      profileId: 2_000_000_000_001,
      countryCode: 'UK',
      currencyCode: 'GBP',
      dailyBudget: 999_999_999,
      timezone: 'Europe/London',
      accountInfo: { marketplaceStringId: UK, id: EU_SELLER, type: 'seller', name: 'Stand-in Seller EU', validPaymentMethod: true },
    })
    // Profiles are per region: the NA host lists none of this EU advertiser's.
    const naHost = await profiles(standIn, tokens.body.access_token, { host: 'advertising-api.amazon.com' })
    expect(naHost.status).toBe(200)
    expect(naHost.body).toEqual([])
  })

  it('checks Authorization and Amazon-Advertising-API-ClientId like Ads does', async () => {
    const { standIn } = await start()
    const { accessToken } = await adsTokens(standIn)
    const noClientId = await profiles(standIn, accessToken, { clientId: null })
    expect(noClientId.status).toBe(400)
    expect(noClientId.body).toMatchObject({ code: '400', requestId: expect.any(String) })
    const wrongClientId = await profiles(standIn, accessToken, { clientId: OTHER_CLIENT.clientId })
    expect(wrongClientId.status).toBe(401)
    expect(wrongClientId.body.code).toBe('UNAUTHORIZED')
    expect((await profiles(standIn, undefined)).status).toBe(401)
    expect((await profiles(standIn, 'Atza|bogus')).status).toBe(401)
    // An SP-API token is no Ads token.
    const spApi = await spApiTokens(standIn)
    expect((await profiles(standIn, spApi.accessToken)).status).toBe(401)
    // …and an Ads token is no SP-API token.
    expect((await participations(standIn, accessToken)).status).toBe(403)
    const typeFilter = await call(standIn.amazonUrl('advertising-api.amazon.com', '/v2/profiles?profileTypeFilter=vendor'), {
      headers: { authorization: `Bearer ${(await adsTokens(standIn, { consentHost: 'www.amazon.com', tokenHost: 'api.amazon.com' })).accessToken}`, 'amazon-advertising-api-clientid': CLIENT.clientId },
    })
    expect(typeFilter.body.map((profile: any) => profile.accountInfo.type)).toEqual(['vendor'])
  })

  it('nextAdsAccount decides who approves; revoking it stops refresh and profiles', async () => {
    const { standIn } = await start()
    const account = standIn.nextAdsAccount({
      accountId: 'amzn1.account.TESTADVERTISER',
      name: 'Test Advertiser',
      profiles: [{ profileId: 42, marketplaceId: 'A39IBJ37TRP1C6', type: 'seller', accountId: 'A2AUSELLER0001' }],
    })
    expect(account.region).toBe('fe')
    const { accessToken, refreshToken } = await adsTokens(standIn, { consentHost: 'apac.account.amazon.com', tokenHost: 'api.amazon.co.jp' })
    const listed = await profiles(standIn, accessToken, { host: 'advertising-api-fe.amazon.com' })
    expect(listed.body).toEqual([
      {
        profileId: 42,
        countryCode: 'AU',
        currencyCode: 'AUD',
        timezone: 'Australia/Sydney',
        accountInfo: { marketplaceStringId: 'A39IBJ37TRP1C6', id: 'A2AUSELLER0001', type: 'seller', name: 'Test Advertiser', validPaymentMethod: true },
      },
    ])
    expect(standIn.revokeGrant({ adsAccountId: 'amzn1.account.TESTADVERTISER' })).toBe(1)
    expect((await refresh(standIn, refreshToken, 'api.amazon.co.jp')).body.error).toBe('invalid_grant')
    expect((await profiles(standIn, accessToken, { host: 'advertising-api-fe.amazon.com' })).status).toBe(401)
  })

  it('deny redirects with access_denied, a description and the state', async () => {
    const { standIn } = await start()
    const location = await decide(adsConsentUrl(standIn, adsParams), 'deny')
    expect(location.origin + location.pathname).toBe(REDIRECT_URI)
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('error_description')).toBeTruthy()
    expect(location.searchParams.get('state')).toBe('ads-state')
    expect(location.searchParams.has('code')).toBe(false)
  })

  it('rejects unknown clients and unlisted redirect URIs with a page; bad scope or response_type by redirect', async () => {
    const { standIn } = await start({ clients: [{ ...CLIENT, redirectUris: [REDIRECT_URI] }] })
    const unknownClient = await call(adsConsentUrl(standIn, { ...adsParams, client_id: 'amzn1.application-oa2-client.nope' }))
    expect(unknownClient.status).toBe(400)
    expect(unknownClient.headers.get('location')).toBeNull()
    const unlisted = await call(adsConsentUrl(standIn, { ...adsParams, redirect_uri: 'https://evil.example/cb' }))
    expect(unlisted.status).toBe(400)
    expect(unlisted.text).toContain('not been whitelisted')

    const badScope = await call(adsConsentUrl(standIn, { ...adsParams, scope: 'admin::everything' }))
    expect(badScope.status).toBe(302)
    const scopeLocation = new URL(badScope.headers.get('location')!)
    expect(scopeLocation.searchParams.get('error')).toBe('invalid_scope')
    expect(scopeLocation.searchParams.get('state')).toBe('ads-state')
    const badType = await call(adsConsentUrl(standIn, { ...adsParams, response_type: 'token' }))
    expect(new URL(badType.headers.get('location')!).searchParams.get('error')).toBe('unsupported_response_type')
  })
})

describe('fault injection', () => {
  it('failNext answers 5xx in each service shape, for the next N calls only', async () => {
    const { standIn } = await start()
    const { accessToken, refreshToken } = await spApiTokens(standIn)

    standIn.failNext('lwa', { status: 503, count: 2 })
    for (let i = 0; i < 2; i++) {
      const reply = await refresh(standIn, refreshToken)
      expect(reply.status).toBe(503)
      expect(reply.body.error).toBe('temporarily_unavailable')
      expect(reply.body.error_description).toEqual(expect.any(String))
    }
    expect((await refresh(standIn, refreshToken)).status).toBe(200)

    standIn.failNext('sp_api')
    const spApi = await participations(standIn, accessToken)
    expect(spApi.status).toBe(500)
    expect(spApi.body.errors[0]).toMatchObject({ code: 'InternalFailure' })
    expect((await participations(standIn, accessToken)).status).toBe(200)

    const ads = await adsTokens(standIn)
    standIn.failNext('ads', { status: 503 })
    const adsReply = await profiles(standIn, ads.accessToken)
    expect(adsReply.status).toBe(503)
    expect(adsReply.body).toMatchObject({ code: expect.any(String), details: expect.any(String) })
    expect((await profiles(standIn, ads.accessToken)).status).toBe(200)

    standIn.failNext('consent')
    const consent = await call(adsConsentUrl(standIn, { client_id: CLIENT.clientId, scope: 'advertising::campaign_management', response_type: 'code', redirect_uri: REDIRECT_URI }))
    expect(consent.status).toBe(500)
    expect(consent.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('a path target hits only that path, with or without the host', async () => {
    const { standIn } = await start()
    const { accessToken } = await spApiTokens(standIn)
    standIn.throttleNext('/sellers/v1/marketplaceParticipations')
    const orders = await call(standIn.amazonUrl('sellingpartnerapi-eu.amazon.com', `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`), {
      headers: { 'x-amz-access-token': accessToken },
    })
    expect(orders.status).toBe(200)
    const throttled = await participations(standIn, accessToken)
    expect(throttled.status).toBe(429)
    expect(throttled.body.errors[0].code).toBe('QuotaExceeded')
    expect(throttled.headers.get('x-amzn-ratelimit-limit')).toBeNull()

    standIn.failNext('/sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations')
    expect((await participations(standIn, accessToken)).status).toBe(200) // EU host: not the target
    expect(standIn.pendingFaults()).toHaveLength(1)
    standIn.clearFaults()
    expect(standIn.pendingFaults()).toEqual([])
  })

  it('throttleNext answers 429 on LWA and Ads too', async () => {
    const { standIn } = await start()
    const { refreshToken } = await spApiTokens(standIn)
    standIn.throttleNext('lwa')
    const lwa = await refresh(standIn, refreshToken)
    expect(lwa.status).toBe(429)
    expect(lwa.body.error).toEqual(expect.any(String))
    const ads = await adsTokens(standIn)
    standIn.throttleNext('ads')
    const adsReply = await profiles(standIn, ads.accessToken)
    expect(adsReply.status).toBe(429)
    expect(adsReply.headers.get('retry-after')).toBe('1')
  })

  it('hangNext with ms delays the answer, then serves it normally', async () => {
    const { standIn } = await start()
    const { refreshToken } = await spApiTokens(standIn)
    standIn.hangNext('/auth/o2/token', { ms: 400 })
    const started = performance.now()
    const reply = await refresh(standIn, refreshToken)
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
    expect(reply.status).toBe(200)
    const quick = performance.now()
    await refresh(standIn, refreshToken)
    expect(performance.now() - quick).toBeLessThan(390)
  })

  it('a hang without ms lasts until the caller gives up, and stop() still closes promptly', async () => {
    const { standIn } = await start()
    standIn.hangNext('sp_api')
    const aborted = fetch(standIn.amazonUrl('sellingpartnerapi-na.amazon.com', '/sellers/v1/marketplaceParticipations'), {
      signal: AbortSignal.timeout(200),
    })
    await expect(aborted).rejects.toThrow(/timeout|abort/i)
    expect(standIn.requests({ kind: 'sp_api' })).toEqual([expect.objectContaining({ fault: 'hang' })])
    expect(standIn.requests({ kind: 'sp_api' })[0]!.status).toBeUndefined()
    // The fault is used up: the next call is answered (403: no token).
    expect((await participations(standIn, undefined, 'sellingpartnerapi-na.amazon.com')).status).toBe(403)
  })

  it('stop() closes hanging sockets so nothing keeps the process alive', async () => {
    const standIn = await startAmazonStandIn({ clients: [CLIENT] })
    standIn.hangNext('lwa', { count: 3 })
    const pending = [1, 2, 3].map(() => fetch(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'), { method: 'POST', headers: FORM, body: 'grant_type=refresh_token' }).then(
      (response) => response.status,
      () => 'closed',
    ))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(standIn.requests({ kind: 'lwa' })).toHaveLength(3)
    expect(standIn.requests({ kind: 'lwa' }).every((record) => record.status === undefined && record.fault === 'hang')).toBe(true)
    const started = performance.now()
    await standIn.stop()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(await Promise.all(pending)).toEqual(['closed', 'closed', 'closed'])
    await expect(fetch(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'))).rejects.toThrow()
  })
})

describe('request log and HTTP controls', () => {
  it('counts requests per service and grant type, never recording tokens, codes or secrets', async () => {
    const { standIn } = await start()
    const { accessToken, refreshToken } = await spApiTokens(standIn)
    await refresh(standIn, refreshToken)
    await participations(standIn, accessToken)

    expect(standIn.countRequests({ kind: 'lwa' })).toBe(2)
    expect(standIn.countRequests({ kind: 'lwa', grantType: 'authorization_code' })).toBe(1)
    expect(standIn.countRequests({ kind: 'lwa', grantType: 'refresh_token' })).toBe(1)
    expect(standIn.countRequests({ kind: 'consent' })).toBe(1)
    expect(standIn.requests({ kind: 'sp_api' })).toEqual([
      expect.objectContaining({ method: 'GET', host: 'sellingpartnerapi-eu.amazon.com', path: '/sellers/v1/marketplaceParticipations', operation: 'getMarketplaceParticipations', status: 200 }),
    ])
    const logged = JSON.stringify(standIn.requests())
    for (const secret of [accessToken, refreshToken, CLIENT.clientSecret, 'state-1']) expect(logged).not.toContain(secret)

    const overHttp = await control(standIn, 'GET', '/requests?kind=lwa&grantType=refresh_token')
    expect(overHttp.body.count).toBe(1)
    expect(overHttp.body.requests[0]).toMatchObject({ host: 'api.amazon.com', path: '/auth/o2/token', status: 200 })
    expect(overHttp.text).not.toContain(refreshToken)
    await control(standIn, 'DELETE', '/requests')
    expect(standIn.countRequests()).toBe(0)
  })

  it('drives every control over HTTP as well', async () => {
    const { standIn } = await start()
    expect((await control(standIn, 'GET', '/health')).body).toEqual({ ok: true })
    const accounts = (await control(standIn, 'GET', '/accounts')).body
    expect(accounts.sellers.map((seller: any) => seller.sellingPartnerId)).toEqual(['A1NASTANDIN001', EU_SELLER, 'A1FESTANDIN001'])
    expect(accounts.adsAccounts.map((account: any) => account.region)).toEqual(['na', 'eu', 'fe'])

    const seller = await control(standIn, 'POST', '/next-seller', { sellingPartnerId: 'A2HTTPSELLER001', marketplaceIds: [US] })
    expect(seller.body.seller).toMatchObject({ sellingPartnerId: 'A2HTTPSELLER001', region: 'na' })
    const tokens = await spApiTokens(standIn, 'sellercentral.amazon.com')
    expect(tokens.sellingPartnerId).toBe('A2HTTPSELLER001')

    expect((await control(standIn, 'POST', '/faults', { kind: 'error', target: 'sp_api', status: 503 })).status).toBe(200)
    expect((await control(standIn, 'GET', '/faults')).body.faults).toHaveLength(1)
    expect((await participations(standIn, tokens.accessToken, 'sellingpartnerapi-na.amazon.com')).status).toBe(503)
    expect((await control(standIn, 'POST', '/faults', { kind: 'explode', target: 'sp_api' })).status).toBe(400)
    expect((await control(standIn, 'POST', '/faults', { kind: 'throttle', target: 'nowhere' })).status).toBe(400)

    expect((await control(standIn, 'POST', '/rate-limits', { operation: 'getMarketplaceParticipations', rate: 1, burst: 1 })).status).toBe(200)
    expect((await participations(standIn, tokens.accessToken, 'sellingpartnerapi-na.amazon.com')).status).toBe(200)
    expect((await participations(standIn, tokens.accessToken, 'sellingpartnerapi-na.amazon.com')).status).toBe(429)
    expect((await control(standIn, 'POST', '/clock', { advanceMs: 1000 })).status).toBe(200)
    expect((await participations(standIn, tokens.accessToken, 'sellingpartnerapi-na.amazon.com')).status).toBe(200)

    expect((await control(standIn, 'POST', '/expire-access-tokens')).body.expired).toBe(1)
    expect((await participations(standIn, tokens.accessToken, 'sellingpartnerapi-na.amazon.com')).body.errors[0].details).toMatch(/expired/)

    await control(standIn, 'POST', '/rotate-refresh-tokens', { count: 1 })
    const rotated = await refresh(standIn, tokens.refreshToken)
    expect(rotated.body.refresh_token).toMatch(/^Atzr\|/)

    expect((await control(standIn, 'POST', '/revoke', { sellingPartnerId: 'A2HTTPSELLER001' })).body.revoked).toBe(1)
    expect((await refresh(standIn, rotated.body.refresh_token)).body.error).toBe('invalid_grant')

    const account = await control(standIn, 'POST', '/next-ads-account', { profiles: [{ marketplaceId: 'A1PA6795UKMFR9' }] })
    expect(account.body.account.region).toBe('eu')
    expect((await control(standIn, 'POST', '/next-seller', { marketplaceIds: [US, UK] })).status).toBe(400)
    expect((await control(standIn, 'POST', '/clock', 'not json')).status).toBe(400)
    expect((await control(standIn, 'GET', '/nothing')).status).toBe(404)
  })

  it('reset returns to the start state: no grants, faults, overrides, requests or clock offset', async () => {
    const { standIn } = await start()
    const { refreshToken } = await spApiTokens(standIn)
    standIn.nextSeller({ sellingPartnerId: 'A2QUEUEDSELLER1', marketplaceIds: [UK] })
    standIn.failNext('lwa')
    standIn.advanceClock(10 * 60_000)
    expect((await control(standIn, 'POST', '/reset')).body).toEqual({ ok: true })

    expect(standIn.countRequests()).toBe(0)
    expect(standIn.pendingFaults()).toEqual([])
    expect((await refresh(standIn, refreshToken)).body.error).toBe('invalid_grant')
    const { code, sellingPartnerId } = await spApiCode(standIn)
    expect(sellingPartnerId).toBe(EU_SELLER)
    expect((await exchangeSpApiCode(standIn, code)).status).toBe(200)
  })

  it('answers 404 for hosts it does not serve', async () => {
    const { standIn } = await start()
    const reply = await call(standIn.amazonUrl('example.com', '/anything'))
    expect(reply.status).toBe(404)
    expect(reply.body.message).toMatch(/Not an Amazon host/)
    expect((await call(`${standIn.url}/`)).status).toBe(404)
    expect((await call(standIn.amazonUrl('sellingpartnerapi-eu.amazon.com', '/fba/inventory/v1/summaries'))).body.errors[0].code).toBe('NotFound')
  })
})
