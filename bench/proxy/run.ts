// npm run bench:proxy — what the Amazon proxy adds to an SP-API call.
//
// One user (Clerk stand-in) with one SP-API seller account, seeded straight into the database (a grant
// holding a refresh token the Amazon stand-in minted, Fernet-encrypted, and its user_accounts row). The
// Worker runs under `wrangler dev` (workerd; a bundle of worker/ as of the start, so teammates' edits
// do not reload it) with the `api` and `proxy` rate limits out of reach, and reaches PostgREST through
// a counting proxy, so every database round trip is seen. The stand-in's getMarketplaceParticipations
// plan is raised to its maximum and refilled before every round, so Amazon-side throttling is not what
// is measured.
//
// After a warm-up, autocannon alternates (per-response sub-ms timings, bench:api's measurement):
//   direct   GET {stand-in}/sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations,
//            with an access token from the stand-in's LWA endpoint and a User-Agent
//   proxy    GET /api/amazon/{accountId}/sellers/v1/marketplaceParticipations with the session token
//   floor    GET /api/health/live: the same Worker under wrangler dev with no session, no Durable Object
//            and no Amazon call — what any route costs here before the proxy does anything
//   gate     the same proxy call refused before Amazon (a Sellersync-RDT header this operation does not
//            take: 400 after the session check, the rate limit and the AccountSession's ownership check):
//            what the proxy costs without the call to Amazon
// first with the stand-in answering at once, then (direct and proxy only) with every SP-API answer held
// BENCH_AMAZON_LATENCY_MS (50) ms by the stand-in's standing latency, at BENCH_CONNECTIONS and at 1
// connection (the latency of a call with nothing queued in front of it). Then an idle probe (one call
// after the account sat idle 2–30 s: does the warm path survive a pause?) and bench:api's comparison
// (GET /api/session against GET /api/health/live) on the same Worker.
//
// Printed: p50/p99/req/s per route, proxy/direct at p50 (target ≤ 1.3×), database round trips per proxied
// call (target 0 when warm; split into a round's first second, right after the session sat idle, and the
// rest), CPU per request by process (/proc), and the bench:api ratios (≤ 1.15× at p50, ≥ 0.9×
// throughput). Targets are printed, not enforced. On this 2-core machine everything shares the CPUs with
// whatever else runs: the load average and the share of CPU other work took are printed with the results.
//
//   BENCH_ROUND_SECONDS (5)  BENCH_ROUNDS (3)  BENCH_CONNECTIONS (4)  BENCH_AMAZON_LATENCY_MS (50; 0 skips)
//   BENCH_DO_STATE=disk      Durable Object storage on disk instead of tmpfs
//   SELLERSYNC_DB=postgres   a real PostgreSQL server instead of PGlite
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { databaseChoiceFromEnv } from '../../dev/db/database.ts'
import { ensureDevVars } from '../../dev/dev-vars.ts'
import { startLocalStack, type LocalStack } from '../../dev/local-stack.ts'
import { freePort } from '../../dev/process.ts'
import { workerBindings } from '../../dev/worker-bindings.ts'
import { startWranglerDev } from '../../dev/wrangler-dev.ts'
import {
  compareSessionToBare,
  CONNECTIONS,
  measureRounds,
  printTable,
  ROUND_SECONDS,
  ROUNDS,
  type RoundHooks,
  type Route,
  type RouteStats,
  TARGET_P50_RATIO,
  TARGET_THROUGHPUT_RATIO,
} from '../api/run.ts'
import { type CountingProxy, startCountingProxy } from '../refresh/counting-proxy.ts'
import { BENCH_SELLER, seedGrants } from '../refresh/seed.ts'
import { snapshotWorker } from '../refresh/wrangler.ts'
import { addCpu, cpuBetween, type CpuSnapshot, cpuSnapshot, type CpuUse } from './cpu.ts'
import { type TcpCounts, tcpCounts } from './tcp.ts'

const LATENCY_MS = Number(process.env.BENCH_AMAZON_LATENCY_MS ?? 50)
const TARGET_PROXY_RATIO = 1.3
const OPERATION = 'getMarketplaceParticipations'
const SP_API_HOST = 'sellingpartnerapi-na.amazon.com'
const LWA_HOST = 'api.amazon.com'
const PATH = '/sellers/v1/marketplaceParticipations'
const USER_AGENT = 'sellersync-bench/1.0 (Language=JavaScript; Platform=Node.js)'
/** The stand-in's largest plan: 1,000 calls/s, bursts of 10,000. Refilled before every round. */
const STAND_IN_PLAN = { rate: 1000, burst: 10_000 }

for (const [name, value] of Object.entries({ BENCH_AMAZON_LATENCY_MS: LATENCY_MS })) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, not ${value}`)
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`

/** What the hooks collect per route over its measured rounds. */
type RouteExtras = {
  dbRoundTrips: number
  /** Of those, the ones in the first second of a round: reloads right after the route's idle spell. */
  dbInFirstSecond: number
  dbByRequest: Map<string, number>
  amazonCalls: number
  amazonThrottles: number
  cpu?: CpuUse
  tcpTimeWaitGrowth: number
}

async function lwaAccessToken(stack: LocalStack, refreshToken: string): Promise<string> {
  const response = await fetch(stack.amazon.amazonUrl(LWA_HOST, '/auth/o2/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: stack.lwaApp.clientId,
      client_secret: stack.lwaApp.clientSecret,
    }),
  })
  const body = (await response.json()) as { access_token?: string }
  if (!response.ok || !body.access_token) throw new Error(`LWA refresh answered ${response.status}`)
  return body.access_token
}

async function timedFetch(route: Route): Promise<{ status: number; ms: number; text: string }> {
  const started = performance.now()
  const response = await fetch(route.url, { headers: route.headers })
  const text = await response.text()
  return { status: response.status, ms: performance.now() - started, text }
}

function printDbCounts(counts: Map<string, number>, indent = '    ') {
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${indent}${key}  ×${count}`)
}

/** CPU per request of each route, by process, and how busy the machine and the bench's event loop were. */
function printCpu(stats: Map<string, RouteStats>, cpuByRoute: Map<string, CpuUse>) {
  console.log('CPU per request (ms of CPU time, all cores; from /proc):')
  for (const [name, cpu] of cpuByRoute) {
    const row = stats.get(name)!
    const requests = Math.max(1, row.requests)
    const others = Math.max(0, cpu.machineBusyMs - cpu.oursMs)
    console.log(
      `  ${name.padEnd(13)} ${(cpu.oursMs / requests).toFixed(3)} ms/req in our processes; machine ${((100 * cpu.machineBusyMs) / Math.max(1, cpu.machineCapacityMs)).toFixed(0)}% busy, ` +
        `${((100 * others) / Math.max(1, cpu.machineCapacityMs)).toFixed(0)}% of it other work; bench event loop ${(100 * row.eventLoopBusy).toFixed(0)}% busy`,
    )
    for (const [label, ms] of cpu.byLabel.slice(0, 5)) console.log(`         ${(ms / requests).toFixed(3).padStart(7)} ms/req  ${label}`)
  }
}

/** Round hooks that add up each route's CPU use over its rounds. */
function cpuHooks(): { hooks: RoundHooks; cpuByRoute: Map<string, CpuUse> } {
  const cpuByRoute = new Map<string, CpuUse>()
  let before: CpuSnapshot | undefined
  return {
    cpuByRoute,
    hooks: {
      before: () => {
        before = cpuSnapshot()
      },
      after: (route) => {
        cpuByRoute.set(route.name, addCpu(cpuByRoute.get(route.name), cpuBetween(before!, cpuSnapshot())))
      },
    },
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'sellersync-bench-proxy-'))
const doStateOnTmpfs = process.env.BENCH_DO_STATE !== 'disk' && existsSync('/dev/shm')
const doState = doStateOnTmpfs ? mkdtempSync('/dev/shm/sellersync-bench-proxy-do-') : join(tmp, 'state')
const authorizedParty = 'http://localhost:8787'
const choice = databaseChoiceFromEnv()
let stack: LocalStack | undefined
let counting: CountingProxy | undefined
let worker: Awaited<ReturnType<typeof startWranglerDev>> | undefined
let sql: postgres.Sql | undefined
let failed = false

try {
  console.log(`bench:proxy — ${ROUNDS} rounds of ${ROUND_SECONDS} s per route, ${CONNECTIONS} connections; Amazon latency pass: ${LATENCY_MS ? `${LATENCY_MS} ms` : 'skipped'}`)
  console.log(
    `machine: ${availableParallelism()} CPUs, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')} at start ` +
      '(everything below shares them: workerd, wrangler, PostgREST, the database, the stand-ins, autocannon — and any other work on the machine)',
  )
  stack = await startLocalStack({ database: choice, stateDir: null, authorizedParty })
  console.log(`database: ${stack.databaseMode === 'pglite' ? 'PGlite (embedded, one backend)' : 'PostgreSQL server'}; Durable Object state on ${doStateOnTmpfs ? 'tmpfs (/dev/shm)' : 'disk (BENCH_DO_STATE=disk)'}`)

  // ── one user, one SP-API seller account ───────────────────────────────────────────────────────
  const user = await stack.clerk.createUser({ email_address: ['bench-proxy@example.com'], first_name: 'Bench' })
  const session = stack.clerk.createSession(user.id)
  const sessionToken = await stack.clerk.mintSessionToken(session.id, { expiresInSeconds: 3600 })
  // Seeded before the Worker starts: PGlite serves one connection at a time.
  sql = postgres(stack.databaseAdminUrl, { max: 1, onnotice: () => {} })
  const now = Date.now()
  const seed = async () => {
    const [grantId] = await seedGrants(sql!, stack!, {
      userId: user.id,
      count: 1,
      externalIdPrefix: 'BENCH',
      externalId: () => BENCH_SELLER,
      // Expired: the first proxied call refreshes through the AccountSession (the cold path), as after a long idle.
      accessTokenExpiresAt: new Date(now - 60_000),
      nextRefreshAt: new Date(now + 24 * 3_600_000),
    })
    const [account] = await sql!<Array<{ id: string }>>`select id from public.user_accounts where grant_id = ${grantId!}`
    return account!.id
  }
  let accountId: string | undefined
  // PGlite multiplexes PostgREST's connection and ours onto one backend: a statement of PostgREST's landing
  // mid-way through one of ours drops our unnamed portal (34000). Each step is safe to repeat (a grant left
  // without its account is never due and never used).
  for (let attempt = 1; accountId === undefined; attempt++) {
    try {
      accountId = await seed()
    } catch (error) {
      if ((error as { code?: string }).code !== '34000' || attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  await sql.end({ timeout: 5 })
  sql = undefined

  // The direct caller: its own consent of the same seller (the stand-in keeps grants apart), one LWA refresh.
  const directToken = await lwaAccessToken(stack, stack.amazon.issueRefreshToken({ clientId: stack.lwaApp.clientId, sellingPartnerId: BENCH_SELLER }))
  stack.amazon.setRateLimit(OPERATION, STAND_IN_PLAN)

  // ── the Worker, its database calls counted ────────────────────────────────────────────────────
  counting = await startCountingProxy(stack.supabaseUrl)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  ensureDevVars(join(tmp, 'bench.vars'), {
    ...workerBindings(stack, { authorizedParties: [authorizedParty] }),
    SUPABASE_URL: counting.url,
    // Limits no run reaches: we measure the cost of counting, not of refusing.
    RATE_LIMITS: JSON.stringify({ api: { limit: 1_000_000, windowSeconds: 3600 }, proxy: { limit: 1_000_000, windowSeconds: 3600 } }),
  })
  const config = await snapshotWorker(tmp)
  worker = await startWranglerDev({ port, config, envFile: join(tmp, 'bench.vars'), persistTo: doState })
  console.log('Worker: a bundle of worker/ as of now under wrangler dev (edits during the run do not reload it)')

  const auth = { authorization: `Bearer ${sessionToken}` }
  const routes = {
    direct: {
      name: 'direct',
      label: `direct: GET ${SP_API_HOST}${PATH} (stand-in)`,
      url: stack.amazon.amazonUrl(SP_API_HOST, PATH),
      headers: { 'x-amz-access-token': directToken, 'user-agent': USER_AGENT },
    },
    floor: { name: 'floor', label: 'Worker floor: GET /api/health/live (bare)', url: `${base}/api/health/live`, headers: {} },
    proxy: { name: 'proxy', label: `proxy: GET /api/amazon/{id}${PATH}`, url: `${base}/api/amazon/${accountId}${PATH}`, headers: auth },
    gate: {
      name: 'gate',
      label: 'proxy refused before Amazon (gate only, 400)',
      url: `${base}/api/amazon/${accountId}${PATH}`,
      headers: { ...auth, 'sellersync-rdt': 'buyerInfo' },
      expect: 400,
    },
  } satisfies Record<string, Route>

  // ── cold, then warm: one call each, its database round trips ─────────────────────────────────
  const directCheck = await timedFetch(routes.direct)
  if (directCheck.status !== 200) throw new Error(`direct call answered ${directCheck.status}: ${directCheck.text.slice(0, 300)}`)
  console.log('\n── single calls ──────────────────────────────────────────────────────────────')
  for (const phase of ['cold (first call: locate, ownership load, token refresh)', 'warm (second call)'] as const) {
    counting.reset()
    const call = await timedFetch(routes.proxy)
    if (call.status !== 200) throw new Error(`proxied call answered ${call.status}: ${call.text.slice(0, 300)}`)
    // record() runs in waitUntil after the answer: give it a moment before reading the counter.
    await new Promise((resolve) => setTimeout(resolve, 200))
    console.log(`proxy, ${phase}: ${call.ms.toFixed(1)} ms, ${counting.total()} database round trips`)
    printDbCounts(counting.counts())
  }
  const gateCheck = await timedFetch(routes.gate)
  if (gateCheck.status !== 400) throw new Error(`gate call answered ${gateCheck.status}, expected 400: ${gateCheck.text.slice(0, 300)}`)

  // ── measured rounds ───────────────────────────────────────────────────────────────────────────
  const amazonPort = Number(new URL(stack.amazon.url).port)
  const runPass = async (title: string, passRoutes: Route[], connections = CONNECTIONS) => {
    console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 76 - title.length))}`)
    const extras = new Map<string, RouteExtras>(
      passRoutes.map((route) => [route.name, { dbRoundTrips: 0, dbInFirstSecond: 0, dbByRequest: new Map(), amazonCalls: 0, amazonThrottles: 0, tcpTimeWaitGrowth: 0 }]),
    )
    let cpuBefore: CpuSnapshot | undefined
    let tcpBefore: TcpCounts | undefined
    let refill: NodeJS.Timeout | undefined
    let firstSecond: NodeJS.Timeout | undefined
    let dbAfterOneSecond: number | undefined
    const stats = await measureRounds(passRoutes, {
      connections,
      hooks: {
        before: () => {
          // The stand-in's buckets start over full, and again every second: a direct round outruns even
          // its largest plan (1,000/s, bursts of 10,000). The counters start at zero.
          stack!.amazon.setRateLimit(OPERATION, STAND_IN_PLAN)
          refill = setInterval(() => stack!.amazon.setRateLimit(OPERATION, STAND_IN_PLAN), 1_000)
          stack!.amazon.clearRequests()
          counting!.reset()
          dbAfterOneSecond = undefined
          firstSecond = setTimeout(() => (dbAfterOneSecond = counting!.total()), 1_000)
          tcpBefore = tcpCounts(amazonPort)
          cpuBefore = cpuSnapshot()
        },
        after: (route) => {
          const cpu = cpuBetween(cpuBefore!, cpuSnapshot())
          clearInterval(refill)
          clearTimeout(firstSecond)
          const tcp = tcpCounts(amazonPort)
          const extra = extras.get(route.name)!
          extra.cpu = addCpu(extra.cpu, cpu)
          extra.dbRoundTrips += counting!.total()
          extra.dbInFirstSecond += dbAfterOneSecond ?? counting!.total()
          for (const [key, n] of counting!.counts()) extra.dbByRequest.set(key, (extra.dbByRequest.get(key) ?? 0) + n)
          extra.amazonCalls += stack!.amazon.countRequests({ kind: 'sp_api' })
          extra.amazonThrottles += stack!.amazon.countRequests({ kind: 'sp_api', status: 429 })
          extra.tcpTimeWaitGrowth += tcp.timeWait - tcpBefore!.timeWait
        },
      },
    })
    const rows = passRoutes.map((route) => stats.get(route.name)!)
    printTable(rows)
    return { stats, extras }
  }

  const printDetails = (pass: Awaited<ReturnType<typeof runPass>>) => {
    console.log('\nper route, over its measured rounds:')
    for (const [name, extra] of pass.extras) {
      const row = pass.stats.get(name)!
      const requests = Math.max(1, row.requests)
      console.log(
        `  ${name.padEnd(6)} database round trips ${fmt(extra.dbRoundTrips)} (${(extra.dbRoundTrips / requests).toFixed(4)} per call; ` +
          `${fmt(extra.dbInFirstSecond)} in a round's first second, ${fmt(extra.dbRoundTrips - extra.dbInFirstSecond)} after it); ` +
          `calls reaching the Amazon stand-in ${fmt(extra.amazonCalls)} (${(extra.amazonCalls / requests).toFixed(3)} per call), its 429s ${extra.amazonThrottles}; ` +
          `connections to the stand-in closed ~${fmt(Math.max(0, extra.tcpTimeWaitGrowth))} (TIME_WAIT growth)`,
      )
      if (extra.dbRoundTrips) printDbCounts(extra.dbByRequest, '         ')
    }
    printCpu(pass.stats, new Map([...pass.extras].map(([name, extra]) => [name, extra.cpu!])))
  }

  const zero = await runPass('Amazon stand-in answering at once (zero latency)', [routes.direct, routes.floor, routes.gate, routes.proxy])
  const zeroDirect = zero.stats.get('direct')!
  const zeroFloor = zero.stats.get('floor')!
  const zeroProxy = zero.stats.get('proxy')!
  const zeroGate = zero.stats.get('gate')!
  const zeroDb = zero.extras.get('proxy')!.dbRoundTrips / Math.max(1, zeroProxy.requests)
  console.log(
    `\nproxy/direct at p50 ${ratio(zeroProxy.p50, zeroDirect.p50)} (+${(zeroProxy.p50 - zeroDirect.p50).toFixed(2)} ms); at p99 ${ratio(zeroProxy.p99, zeroDirect.p99)}; ` +
      `throughput ${ratio(zeroProxy.rps, zeroDirect.rps)}`,
  )
  console.log(
    `where the p50 goes: direct ${zeroDirect.p50.toFixed(2)} ms → Worker floor (wrangler dev + middleware, no auth) +${(zeroFloor.p50 - zeroDirect.p50).toFixed(2)} ms → ` +
      `gate (session, proxy rate limit, ownership in the AccountSession) +${(zeroGate.p50 - zeroFloor.p50).toFixed(2)} ms → ` +
      `proxy (token + bucket, the call to Amazon, the answer streamed back) +${(zeroProxy.p50 - zeroGate.p50).toFixed(2)} ms = ${zeroProxy.p50.toFixed(2)} ms`,
  )
  console.log(`the Worker floor alone is ${ratio(zeroFloor.p50, zeroDirect.p50)} the direct call at p50; the proxy is ${ratio(zeroProxy.p50, zeroFloor.p50)} the floor`)
  printDetails(zero)

  let latent: { direct: RouteStats; proxy: RouteStats; db: number } | undefined
  let latentSingle: { direct: RouteStats; proxy: RouteStats } | undefined
  if (LATENCY_MS > 0) {
    stack.amazon.setLatency({ ms: LATENCY_MS, target: 'sp_api' })
    const pass = await runPass(`Amazon stand-in answering SP-API after ${LATENCY_MS} ms (standing latency), ${CONNECTIONS} connections`, [routes.direct, routes.proxy])
    latent = { direct: pass.stats.get('direct')!, proxy: pass.stats.get('proxy')!, db: pass.extras.get('proxy')!.dbRoundTrips / Math.max(1, pass.stats.get('proxy')!.requests) }
    console.log(
      `\nproxy/direct at p50 ${ratio(latent.proxy.p50, latent.direct.p50)} (+${(latent.proxy.p50 - latent.direct.p50).toFixed(2)} ms); at p99 ${ratio(latent.proxy.p99, latent.direct.p99)}; ` +
        `throughput ${ratio(latent.proxy.rps, latent.direct.rps)}`,
    )
    printDetails(pass)
    // One caller at a time: the time a call takes with nothing queued in front of it.
    const single = await runPass(`Amazon stand-in answering SP-API after ${LATENCY_MS} ms, 1 connection (no queueing)`, [routes.direct, routes.proxy], 1)
    stack.amazon.setLatency({ ms: 0, target: 'sp_api' })
    latentSingle = { direct: single.stats.get('direct')!, proxy: single.stats.get('proxy')! }
    console.log(
      `\nproxy/direct at p50 ${ratio(latentSingle.proxy.p50, latentSingle.direct.p50)} (+${(latentSingle.proxy.p50 - latentSingle.direct.p50).toFixed(2)} ms); ` +
        `at p99 ${ratio(latentSingle.proxy.p99, latentSingle.direct.p99)}`,
    )
    printDetails(single)
  }

  // ── idle probe: is the warm path still warm after a pause? ────────────────────────────────────
  console.log('\n── idle probe: one proxied call after the account sat idle ────────────────────')
  for (const idleS of [2, 5, 12, 30]) {
    await timedFetch(routes.proxy) // warm it
    await new Promise((resolve) => setTimeout(resolve, idleS * 1000))
    counting.reset()
    const call = await timedFetch(routes.proxy)
    await new Promise((resolve) => setTimeout(resolve, 200))
    console.log(`idle ${String(idleS).padStart(2)} s, then 1 call: ${call.status}, ${call.ms.toFixed(1)} ms, ${counting.total()} database round trips`)
    printDbCounts(counting.counts())
  }
  await new Promise((resolve) => setTimeout(resolve, 12_000))
  counting.reset()
  const burst = await Promise.all(Array.from({ length: CONNECTIONS }, () => timedFetch(routes.proxy)))
  await new Promise((resolve) => setTimeout(resolve, 200))
  console.log(`idle 12 s, then ${CONNECTIONS} concurrent calls: ${burst.map((call) => call.status).join(' ')}; ${counting.total()} database round trips`)
  printDbCounts(counting.counts())

  // What the proxy's own bucket and counters saw (one database read: after the counted rounds).
  const usage = await fetch(`${base}/api/accounts/${accountId}/usage`, { headers: auth })
  if (usage.ok) {
    const body = (await usage.json()) as { operations: Array<Record<string, unknown> & { operation_id: string }> }
    for (const op of body.operations) {
      console.log(
        `\nproxy usage counters, ${op.operation_id}: calls ${op.calls}, shaped waits ${op.shaped_waits}, throttled by sellersync ${op.throttled_by_sellersync}, ` +
          `by Amazon ${op.throttled_by_amazon}, errors ${op.errors}; bucket ${JSON.stringify(op.rate_limit)}`,
      )
    }
  } else console.log(`\nGET /api/accounts/{id}/usage answered ${usage.status}`)

  // ── bench:api on the same Worker ──────────────────────────────────────────────────────────────
  console.log(`\n── bench:api: GET /api/session against GET /api/health/live ${'─'.repeat(17)}`)
  const apiCpu = cpuHooks()
  const api = await compareSessionToBare(base, sessionToken, { hooks: apiCpu.hooks })
  printCpu(
    new Map([
      ['bare', api.bare],
      ['authenticated', api.authenticated],
    ]),
    apiCpu.cpuByRoute,
  )

  // ── summary ───────────────────────────────────────────────────────────────────────────────────
  console.log('\n── summary ─────────────────────────────────────────────────────────────────')
  console.log(`load average now ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs; database ${stack.databaseMode}`)
  console.log(
    `zero latency:   direct p50 ${zeroDirect.p50.toFixed(2)} ms, p99 ${zeroDirect.p99.toFixed(2)} ms, ${fmt(zeroDirect.rps)} req/s | ` +
      `proxy p50 ${zeroProxy.p50.toFixed(2)} ms, p99 ${zeroProxy.p99.toFixed(2)} ms, ${fmt(zeroProxy.rps)} req/s`,
  )
  console.log(
    `  proxy/direct at p50 ${ratio(zeroProxy.p50, zeroDirect.p50)}   target ≤ ${TARGET_PROXY_RATIO}x — ${zeroProxy.p50 / zeroDirect.p50 <= TARGET_PROXY_RATIO ? 'met' : 'NOT met'}` +
      `   (the bare Worker route alone: ${ratio(zeroFloor.p50, zeroDirect.p50)} the direct call, ${zeroFloor.p50.toFixed(2)} ms)`,
  )
  const zeroDbSteady = (zero.extras.get('proxy')!.dbRoundTrips - zero.extras.get('proxy')!.dbInFirstSecond) / Math.max(1, zeroProxy.requests)
  console.log(
    `  database round trips per proxied call ${zeroDb.toFixed(4)} (${fmt(zero.extras.get('proxy')!.dbRoundTrips)} over ${fmt(zeroProxy.requests)} calls)   target 0 per warm call — ${zeroDb === 0 ? 'met' : 'NOT met'}; ` +
      `after each round's first second ${zeroDbSteady.toFixed(4)} per call`,
  )
  if (latent) {
    console.log(
      `${LATENCY_MS} ms Amazon:   direct p50 ${latent.direct.p50.toFixed(2)} ms, p99 ${latent.direct.p99.toFixed(2)} ms, ${fmt(latent.direct.rps)} req/s | ` +
        `proxy p50 ${latent.proxy.p50.toFixed(2)} ms, p99 ${latent.proxy.p99.toFixed(2)} ms, ${fmt(latent.proxy.rps)} req/s`,
    )
    console.log(`  proxy/direct at p50 ${ratio(latent.proxy.p50, latent.direct.p50)} (+${(latent.proxy.p50 - latent.direct.p50).toFixed(2)} ms); database round trips per call ${latent.db.toFixed(4)}`)
    if (latentSingle) {
      console.log(
        `  1 connection: direct p50 ${latentSingle.direct.p50.toFixed(2)} ms | proxy p50 ${latentSingle.proxy.p50.toFixed(2)} ms: ` +
          `${ratio(latentSingle.proxy.p50, latentSingle.direct.p50)} (+${(latentSingle.proxy.p50 - latentSingle.direct.p50).toFixed(2)} ms)`,
      )
    }
  } else console.log('Amazon latency pass skipped (BENCH_AMAZON_LATENCY_MS=0)')
  console.log(
    `bench:api:      /api/session p50 ${ratio(api.authenticated.p50, api.bare.p50)} the bare route   target ≤ ${TARGET_P50_RATIO}x — ${api.p50Ratio <= TARGET_P50_RATIO ? 'met' : 'NOT met'}; ` +
      `throughput ${ratio(api.authenticated.rps, api.bare.rps)}   target ≥ ${TARGET_THROUGHPUT_RATIO}x — ${api.throughputRatio >= TARGET_THROUGHPUT_RATIO ? 'met' : 'NOT met'}`,
  )
  const unexpected = [...zero.stats.values(), ...(latent ? [latent.direct, latent.proxy] : []), ...(latentSingle ? [latentSingle.direct, latentSingle.proxy] : [])].reduce((sum, row) => sum + row.unexpected + row.errors, 0)
  if (unexpected) console.log(`NOTE: ${unexpected} answers had another status than expected, or failed (see the tables)`)
} catch (error) {
  failed = true
  console.error(error)
} finally {
  await sql?.end({ timeout: 5 }).catch(() => {})
  await worker?.stop()
  await counting?.stop()
  await stack?.stop()
  rmSync(tmp, { recursive: true, force: true })
  rmSync(doState, { recursive: true, force: true })
}
if (failed) process.exitCode = 1
