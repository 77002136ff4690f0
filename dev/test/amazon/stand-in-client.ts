import { afterEach, expect } from 'vitest'
import { type AmazonStandIn, type AmazonStandInOptions, startAmazonStandIn } from '../../amazon/server.ts'

// Shared by the stand-in suites that start from tokens rather than from the consent pages.

export const CLIENT = {
  clientId: 'amzn1.application-oa2-client.standintest',
  clientSecret: 'amzn1.oa2-cs.v1.stand-in-test-secret',
  applicationId: 'amzn1.sp.solution.standintest',
  name: 'Stand-in Test App',
}
export const OTHER_CLIENT = {
  clientId: 'amzn1.application-oa2-client.other',
  clientSecret: 'amzn1.oa2-cs.v1.other-secret',
  applicationId: 'amzn1.sp.solution.other',
}

export const NA_SELLER = 'A1NASTANDIN001'
export const EU_SELLER = 'A1EUSTANDIN001'
export const EU_ADVERTISER = 'amzn1.account.STANDINADVERTISEREU00000000'
export const NA_ADVERTISER = 'amzn1.account.STANDINADVERTISERNA00000000'
export const UK = 'A1F83G8C2ARO7P'
export const DE = 'A1PA6795UKMFR9'
export const US = 'ATVPDKIKX0DER'
export const EU_HOST = 'sellingpartnerapi-eu.amazon.com'
export const NA_HOST = 'sellingpartnerapi-na.amazon.com'
export const ADS_EU_HOST = 'advertising-api-eu.amazon.com'

/** In SP-API's documented form, like the Worker's. */
export const USER_AGENT = 'sellersync-stand-in-test/1.0 (Language=TypeScript; Platform=Node.js)'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()))
})

/** A stand-in on a clock the test moves by hand; stopped after the test, pass or fail. */
export async function start(overrides: Partial<AmazonStandInOptions> = {}) {
  const clock = { now: Date.parse('2026-11-20T12:00:00Z') }
  const standIn = await startAmazonStandIn({ clients: [CLIENT, OTHER_CLIENT], now: () => clock.now, ...overrides })
  stops.push(() => standIn.stop())
  return { standIn, clock }
}

export type Reply = { status: number; headers: Headers; text: string; body: any }

/** fetch with our User-Agent unless the caller sets one; the body parsed as JSON when it is JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
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

type Client = { clientId: string; clientSecret: string }

async function refreshGrant(standIn: AmazonStandIn, refreshToken: string, tokenHost: string, client: Client = CLIENT): Promise<string> {
  const reply = await call(standIn.amazonUrl(tokenHost, '/auth/o2/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  })
  expect(reply.status).toBe(200)
  return reply.body.access_token as string
}

/** An LWA access token for a seller's SP-API grant to `client` (the seller consented earlier). */
export async function spApiAccessToken(standIn: AmazonStandIn, sellingPartnerId = EU_SELLER, client: Client = CLIENT): Promise<string> {
  return refreshGrant(standIn, standIn.issueRefreshToken({ clientId: client.clientId, sellingPartnerId }), 'api.amazon.com', client)
}

/** An LWA access token for an advertiser's Ads grant (EU accounts redeem at api.amazon.co.uk). */
export async function adsAccessToken(standIn: AmazonStandIn, adsAccountId = EU_ADVERTISER, tokenHost = 'api.amazon.co.uk'): Promise<string> {
  return refreshGrant(standIn, standIn.issueRefreshToken({ clientId: CLIENT.clientId, adsAccountId }), tokenHost)
}

/** An SP-API call with `x-amz-access-token` (an LWA token or an RDT); `path` may carry a query. */
export function spApi(standIn: AmazonStandIn, token: string | undefined, path: string, { host = EU_HOST, method = 'GET', body }: { host?: string; method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {}
  if (token !== undefined) headers['x-amz-access-token'] = token
  if (body !== undefined) headers['content-type'] = 'application/json'
  return call(standIn.amazonUrl(host, path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

/** createRestrictedDataToken for the given resources. */
export function mintRdt(standIn: AmazonStandIn, accessToken: string, restrictedResources: unknown[], { host = EU_HOST, targetApplication }: { host?: string; targetApplication?: string } = {}) {
  return spApi(standIn, accessToken, '/tokens/2021-03-01/restrictedDataToken', {
    host,
    method: 'POST',
    body: { restrictedResources, ...(targetApplication ? { targetApplication } : {}) },
  })
}

/** The seller's first order id in a marketplace, read with getOrders. */
export async function firstOrderId(standIn: AmazonStandIn, accessToken: string, marketplaceId = UK, host = EU_HOST): Promise<string> {
  const reply = await spApi(standIn, accessToken, `/orders/v0/orders?MarketplaceIds=${marketplaceId}&CreatedAfter=2026-01-01T00:00:00Z`, { host })
  expect(reply.status).toBe(200)
  return reply.body.payload.Orders[0].AmazonOrderId as string
}

/** Calls `/__control{path}` over HTTP, as Worker tests do. */
export function control(standIn: AmazonStandIn, method: string, path: string, body?: unknown) {
  return call(`${standIn.url}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}
