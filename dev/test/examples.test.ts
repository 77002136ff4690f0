// examples/ as an API consumer runs them, so they never rot: the Worker under `wrangler dev` against the
// run's local stack (global-setup: database, Clerk and Amazon stand-ins), a user who connected an SP-API
// seller through the real consent flow, an API key created with @clerk/backend against the Clerk
// stand-in's Backend API, and both scripts run as child processes with only SELLERSYNC_URL and
// SELLERSYNC_API_KEY. Their Retry-After path runs against a stub that throttles once (the real getOrders
// bucket refills one call a minute: too slow to empty and wait out in a test).
import { createClerkClient } from '@clerk/backend'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { signIn, signedWebhook } from '../../worker/test/support/clerk.ts'
import { ORDERS_PER_MARKETPLACE } from '../amazon/orders.ts'
import { ensureDevVars } from '../dev-vars.ts'
import { freePort, type ManagedProcess } from '../process.ts'
import { startWranglerDev } from '../wrangler-dev.ts'

const root = new URL('../../', import.meta.url).pathname
const US = 'ATVPDKIKX0DER'

let tmp: string
let worker: ManagedProcess | undefined
let base: string

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sellersync-examples-'))
  ensureDevVars(join(tmp, 'dev.vars'), inject('workerBindings'))
  // No dashboard here: an empty assets directory, so the suite does not need a web build.
  mkdirSync(join(tmp, 'assets'))
  // A free port is only free when looked at (test files start in parallel): try again on another.
  for (let attempt = 1; !worker; attempt++) {
    const port = await freePort()
    try {
      worker = await startWranglerDev({ port, envFile: join(tmp, 'dev.vars'), persistTo: join(tmp, 'state'), assetsDir: join(tmp, 'assets') })
      base = `http://127.0.0.1:${port}`
    } catch (error) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/i.test(String(error))) throw error
    }
  }
}, 150_000)

afterAll(async () => {
  await worker?.stop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

type Run = { code: number; stdout: string; stderr: string }

/** An example as a consumer runs it: its own process, only the two variables set (and PATH for curl, sed…). */
function runExample(file: 'list-and-call.ts' | 'list-and-call.sh', url: string, apiKey: string): Promise<Run> {
  const [command, args] = file.endsWith('.ts') ? [process.execPath, [`examples/${file}`]] : ['bash', [`examples/${file}`]]
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: root, env: { PATH: process.env.PATH, SELLERSYNC_URL: url, SELLERSYNC_API_KEY: apiKey }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const runBoth = (url: string, apiKey: string) => Promise.all([runExample('list-and-call.ts', url, apiKey), runExample('list-and-call.sh', url, apiKey)])

/** A signed-in user whose profile reached the Worker (the Clerk webhook, Svix-signed as Clerk sends it). */
async function syncedUser() {
  const signedIn = await signIn()
  const delivery = signedWebhook(inject('workerBindings').CLERK_WEBHOOK_SECRET!, { type: 'user.created', data: signedIn.user })
  const response = await fetch(`${base}/api/webhooks/clerk`, { method: 'POST', headers: delivery.headers, body: delivery.body })
  expect(response.status).toBe(200)
  return signedIn
}

/**
 * Connect → Amazon's consent page → Approve → the callback, as the dashboard and a browser do it. Returns
 * the account as the API shows it: the stand-in's "next seller" queue is shared with the suites running
 * alongside, so who approved is read back, not assumed.
 */
async function connectSeller(token: string): Promise<{ id: string; external_id: string; marketplaces: string[] }> {
  const seeded = await fetch(`${inject('amazonUrl')}/__control/next-seller`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ marketplaceIds: [US] }),
  })
  expect(seeded.status).toBe(200)
  const connect = await fetch(`${base}/api/auth/amazon/connect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'sp_api', marketplace: US }),
  })
  expect(connect.status).toBe(200)
  const { url } = (await connect.json()) as { url: string }
  const cookie = connect.headers.get('set-cookie')!.split(';')[0]!
  expect((await fetch(url)).status).toBe(200)
  const consent = await fetch(url, { method: 'POST', body: new URLSearchParams({ decision: 'approve' }), redirect: 'manual' })
  const back = new URL(consent.headers.get('location')!)
  const landed = await fetch(`${base}${back.pathname}${back.search}`, { headers: { cookie }, redirect: 'manual' })
  const accountId = new URL(landed.headers.get('location')!).searchParams.get('connected')
  if (!accountId) throw new Error(`connect failed: ${landed.headers.get('location')}`)
  const account = await fetch(`${base}/api/accounts/${accountId}`, { headers: { authorization: `Bearer ${token}` } })
  expect(account.status).toBe(200)
  return (await account.json()) as { id: string; external_id: string; marketplaces: string[] }
}

describe('examples/list-and-call (.ts with hono/client, .sh with curl)', () => {
  it('list the accounts and count the SP-API seller’s orders with an accounts:read + amazon:proxy key; without amazon:proxy they stop with the error', { timeout: 40_000 }, async () => {
    const user = await syncedUser()
    const { id: accountId, external_id: sellingPartnerId, marketplaces } = await connectSeller(user.token)
    const clerk = createClerkClient({ secretKey: inject('clerkSecretKey'), apiUrl: inject('clerkUrl') })
    const key = await clerk.apiKeys.create({ name: 'examples', subject: user.user.id, scopes: ['accounts:read', 'amazon:proxy'] })
    const readOnly = await clerk.apiKeys.create({ name: 'examples, read only', subject: user.user.id, scopes: ['accounts:read'] })

    const [ok, refused] = await Promise.all([runBoth(base, key.secret!), runBoth(base, readOnly.secret!)])
    for (const run of ok) {
      expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' })
      expect(run.stdout).toContain('accounts: 1\n')
      expect(run.stdout).toContain(`  ${accountId}  sp_api na ${sellingPartnerId} active (default)\n`)
      expect(run.stdout).toContain(`seller ${sellingPartnerId} (${accountId}), marketplaces ${marketplaces.join(',')}\n`)
      // The stand-in's sellers have ORDERS_PER_MARKETPLACE orders in each marketplace, one a day, the newest an hour old.
      const orders = ORDERS_PER_MARKETPLACE * marketplaces.length
      expect(run.stdout).toMatch(new RegExp(`\\norders: ${orders} since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n`))
      expect(run.stdout).not.toContain('rate limited')
    }
    // The same summary from both (the start date may differ by the second between them).
    const sameDate = (text: string) => text.replace(/since \S+/, 'since …')
    expect(sameDate(ok[1]!.stdout)).toBe(sameDate(ok[0]!.stdout))
    expect(ok[0]!.stdout).toMatch(/\n {2}Shipped: \d+\n/)
    for (const run of refused) {
      expect(run.code).toBe(1)
      expect(run.stdout).toBe(`accounts: 1\n  ${accountId}  sp_api na ${sellingPartnerId} active (default)\n`)
      expect(run.stderr).toBe('getOrders: HTTP 403 insufficient_scope: This API key lacks the amazon:proxy scope.\n')
    }
  })

  it('honour Retry-After once when the proxy answers 429 amazon_rate_limited', async () => {
    const stubs = await Promise.all([startThrottlingStub(), startThrottlingStub()])
    try {
      const runs = await Promise.all([runExample('list-and-call.ts', stubs[0].url, 'ak_stub'), runExample('list-and-call.sh', stubs[1].url, 'ak_stub')])
      for (const [index, run] of runs.entries()) {
        expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' })
        expect(run.stdout).toContain('rate limited (amazon_rate_limited): retrying in 1 s\n')
        expect(run.stdout).toContain('orders: 2 since')
        const calls = stubs[index]!.proxyCalls
        expect(calls).toHaveLength(2)
        expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950)
        expect(calls.every((call) => call.authorization === 'Bearer ak_stub')).toBe(true)
        expect(calls[0]!.url).toMatch(/^\/api\/amazon\/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f\/orders\/v0\/orders\?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=\d{4}-[\d-]+T\d\d(:|%3A)\d\d(:|%3A)\d\dZ$/)
      }
    } finally {
      await Promise.all(stubs.map((stub) => new Promise((resolve) => stub.server.close(resolve))))
    }
  })
})

/** The API's answers for one SP-API account, except that its first getOrders is refused as the proxy does when the bucket is empty. */
async function startThrottlingStub() {
  const account = {
    id: '0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f',
    provider: 'sp_api',
    region: 'na',
    external_id: 'A1STUBSELLER01',
    login_id: null,
    marketplaces: [US],
    display_name: null,
    status: 'active',
    is_default: true,
    authorized_at: '2026-12-01T00:00:00Z',
    last_sync_at: null,
    last_error: null,
    created_at: '2026-12-01T00:00:00Z',
    reauthorize_by: '2027-12-01T00:00:00Z',
    token: null,
  }
  const proxyCalls: Array<{ url: string; at: number; authorization: string | undefined }> = []
  const server: Server = createServer((request, response) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
    if (request.url === '/api/accounts') return json(200, { accounts: [account] })
    if (request.url?.startsWith(`/api/amazon/${account.id}/orders/v0/orders?`)) {
      proxyCalls.push({ url: request.url, at: Date.now(), authorization: request.headers.authorization })
      if (proxyCalls.length === 1) {
        return json(
          429,
          { error: { code: 'amazon_rate_limited', message: 'Retry after 1 s.', details: { retryAfterSeconds: 1, operationId: 'getOrders', source: 'sellersync' } } },
          { 'retry-after': '1' },
        )
      }
      const order = (id: string, status: string) => ({ AmazonOrderId: id, OrderStatus: status, MarketplaceId: US, OrderTotal: { CurrencyCode: 'USD', Amount: '10.00' } })
      return json(200, { payload: { Orders: [order('111-0000001-0000001', 'Shipped'), order('111-0000002-0000002', 'Unshipped')], CreatedBefore: '2026-12-01T00:00:00Z' } })
    }
    json(404, { error: { code: 'not_found', message: `No route for ${request.method} ${request.url}` } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, server, proxyCalls }
}
