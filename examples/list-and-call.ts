// List your connected Amazon accounts with an API key, then read the first SP-API seller's recent
// orders (getOrders) through the sellersync proxy.
//
//   SELLERSYNC_URL=https://sellersync.example.com SELLERSYNC_API_KEY=ak_… node examples/list-and-call.ts
//
// The key needs the scopes `accounts:read` (the list) and `amazon:proxy` (the Amazon call).
// Node 22+ runs this file as it is (type stripping); the only package it needs is `hono` (hono/client).
// `npx tsc -p examples` type-checks it against the Worker's routes (AppType).
import { hc } from 'hono/client'
import type { AppType } from '../worker/src/app.ts'

const baseUrl = process.env.SELLERSYNC_URL
const apiKey = process.env.SELLERSYNC_API_KEY
if (!baseUrl || !apiKey) {
  console.error('Set SELLERSYNC_URL (e.g. http://localhost:8787) and SELLERSYNC_API_KEY (ak_…).')
  process.exit(2)
}
const DAYS = 7
const authorization = { authorization: `Bearer ${apiKey}` }

/** sellersync's errors are { error: { code, message, details? } }; Amazon's, passed on as sent, { errors: [{ code, message }] }. */
type ErrorBody = { error?: { code: string; message: string; details?: unknown }; errors?: Array<{ code: string; message: string }> } | null
const errorOf = (body: unknown) => (body as ErrorBody)?.error ?? (body as ErrorBody)?.errors?.[0]

/** Prints the error and stops. */
function fail(what: string, status: number, body: unknown): never {
  const error = errorOf(body)
  console.error(`${what}: HTTP ${status}${error ? ` ${error.code}: ${error.message}` : ''}`)
  process.exit(1)
}

// 1. The typed client: paths, query and answers are checked against the Worker's routes (AppType).
const api = hc<AppType>(baseUrl, { headers: authorization })
const listed = await api.api.accounts.$get()
if (listed.status !== 200) fail('GET /api/accounts', listed.status, await listed.json())
const { accounts } = await listed.json()
console.log(`accounts: ${accounts.length}`)
for (const account of accounts) {
  console.log(`  ${account.id}  ${account.provider} ${account.region} ${account.external_id} ${account.status}${account.is_default ? ' (default)' : ''}`)
}

const seller = accounts.find((account) => account.provider === 'sp_api' && account.status === 'active')
if (!seller) {
  console.log('no active SP-API account: connect one on the dashboard first')
  process.exit(0)
}

// 2. The Amazon proxy takes any Amazon path, which the typed client cannot describe: plain fetch, same header.
//    getOrders wants the marketplaces (up to 50) and a start date.
const createdAfter = new Date(Date.now() - DAYS * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')
const query = new URLSearchParams({ MarketplaceIds: seller.marketplaces.join(','), CreatedAfter: createdAfter })
const url = new URL(`/api/amazon/${seller.id}/orders/v0/orders?${query}`, baseUrl)

let response = await fetch(url, { headers: authorization })
if (response.status === 429) {
  // amazon_rate_limited: the seller's getOrders bucket is empty (Amazon allows about one call a minute
  // after a burst of 20). Retry-After says when the next call can go; honoured once, then we give up.
  const seconds = Number(response.headers.get('retry-after') ?? 60)
  const code = errorOf(await response.json().catch(() => null))?.code ?? 'unknown'
  console.log(`rate limited (${code}): retrying in ${seconds} s`)
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  response = await fetch(url, { headers: authorization })
}
if (!response.ok) fail('getOrders', response.status, await response.json().catch(() => null))

// Amazon's answer as Amazon sent it: { payload: { Orders: [...], NextToken? } }.
type Order = { AmazonOrderId: string; OrderStatus: string; MarketplaceId: string; OrderTotal?: { CurrencyCode: string; Amount: string } }
const { payload } = (await response.json()) as { payload: { Orders: Order[]; NextToken?: string } }
const byStatus = new Map<string, number>()
for (const order of payload.Orders) byStatus.set(order.OrderStatus, (byStatus.get(order.OrderStatus) ?? 0) + 1)
console.log(`seller ${seller.external_id} (${seller.id}), marketplaces ${seller.marketplaces.join(',')}`)
console.log(`orders: ${payload.Orders.length} since ${createdAfter}${payload.NextToken ? ' (first page; more with NextToken)' : ''}`)
for (const [status, count] of [...byStatus].sort()) console.log(`  ${status}: ${count}`)
