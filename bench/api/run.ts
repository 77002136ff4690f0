// npm run bench:api — what Clerk verification + the per-user Durable Object rate limit cost per request.
// Under `wrangler dev` (workerd), autocannon drives GET /api/session with a session token (verified
// networkless, rate limited per user), the same route with an API key (`ak_…`, its Clerk verification
// cached: warm, rate limited per key) and GET /api/health/live (bare) in alternating rounds in the same
// run; latencies are taken from autocannon's per-response timings (sub-millisecond), not its 1 ms histogram.
//
// The measurement is exported for other benches (bench:proxy runs it against its own Worker):
// `measureRounds` alternates any set of routes, `compareSessionToBare` is this bench's comparison.
//
//   BENCH_ROUND_SECONDS (5)  BENCH_ROUNDS (3)  BENCH_CONNECTIONS (4)  SELLERSYNC_DB=postgres
import { createClerkClient } from '@clerk/backend'
import autocannon from 'autocannon'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { databaseChoiceFromEnv } from '../../dev/db/database.ts'
import { ensureDevVars } from '../../dev/dev-vars.ts'
import { startLocalStack } from '../../dev/local-stack.ts'
import { freePort } from '../../dev/process.ts'
import { workerBindings } from '../../dev/worker-bindings.ts'
import { startWranglerDev } from '../../dev/wrangler-dev.ts'
import { snapshotWorker } from '../refresh/wrangler.ts'

export const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5)
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4)

/** Authenticated + rate-limited route against the bare one: at most this ratio at p50 … */
export const TARGET_P50_RATIO = 1.15
/** … and at least this share of its throughput. */
export const TARGET_THROUGHPUT_RATIO = 0.9
/** An API key (verification cached) against a session token on the same route: at most this ratio at p50. */
export const TARGET_API_KEY_P50_RATIO = 1.1

export type Route = {
  name: string
  label: string
  url: string
  headers: Record<string, string>
  /** The status a good answer has (200 unless said); its times are the ones measured, others are counted. */
  expect?: number
}

/** What one route collected over all its rounds. */
export type Sample = {
  latencies: number[]
  requests: number
  seconds: number
  /** Answers with another status than the route expects, by status. */
  statuses: Map<number, number>
  /** Socket errors and timeouts autocannon counted. */
  errors: number
  /** Event-loop utilization of this process while the route ran (autocannon and any in-process stand-ins share it). */
  eventLoopBusy: number
}

export type RouteStats = {
  name: string
  label: string
  p50: number
  p99: number
  rps: number
  requests: number
  unexpected: number
  statuses: Map<number, number>
  errors: number
  eventLoopBusy: number
}

export type RoundHooks = {
  /** Before each measured round of a route (e.g. refill a stand-in's bucket, start a counter). */
  before?: (route: Route, round: number) => void | Promise<void>
  /** After it. */
  after?: (route: Route, round: number) => void | Promise<void>
}

const emptySample = (): Sample => ({ latencies: [], requests: 0, seconds: 0, statuses: new Map(), errors: 0, eventLoopBusy: 0 })

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

/** One autocannon run of `seconds` against a route; with `into`, every response's time and status is added to it. */
export async function load(route: Pick<Route, 'url' | 'headers' | 'expect'>, seconds: number, into?: Sample, connections = CONNECTIONS): Promise<void> {
  const elu = performance.eventLoopUtilization()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: route.url, headers: route.headers, connections, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
    const expected = route.expect ?? 200
    instance.on('response', (_client, status, _bytes, ms) => {
      if (!into) return
      if (status === expected) into.latencies.push(ms)
      else into.statuses.set(status, (into.statuses.get(status) ?? 0) + 1)
    })
  })
  if (into) {
    into.requests += result.requests.total
    into.seconds += seconds
    into.errors += result.errors + result.timeouts
    const busy = performance.eventLoopUtilization(elu).utilization
    into.eventLoopBusy += busy * seconds
  }
}

export function summarize(route: Route, sample: Sample): RouteStats {
  const sorted = [...sample.latencies].sort((a, b) => a - b)
  const unexpected = [...sample.statuses.values()].reduce((sum, n) => sum + n, 0)
  return {
    name: route.name,
    label: route.label,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    rps: sample.requests / sample.seconds,
    requests: sample.requests,
    unexpected,
    statuses: sample.statuses,
    errors: sample.errors,
    eventLoopBusy: sample.seconds ? sample.eventLoopBusy / sample.seconds : NaN,
  }
}

/**
 * Warms every route up, then runs `rounds` rounds, each route once per round in the given order, so a
 * slow spell on the machine hits every route alike. Returns the stats per route name.
 */
export async function measureRounds(
  routes: Route[],
  { rounds = ROUNDS, seconds = ROUND_SECONDS, warmupSeconds = 2, connections = CONNECTIONS, hooks = {} as RoundHooks, log = console.log } = {},
): Promise<Map<string, RouteStats>> {
  log(`warming up (${connections} connections)…`)
  for (const route of routes) await load(route, warmupSeconds, undefined, connections)
  const samples = new Map(routes.map((route) => [route.name, emptySample()]))
  for (let round = 1; round <= rounds; round++) {
    log(`round ${round}/${rounds}: ${routes.map((route) => route.name).join(', ')} (${seconds} s each)`)
    for (const route of routes) {
      await hooks.before?.(route, round)
      await load(route, seconds, samples.get(route.name), connections)
      await hooks.after?.(route, round)
    }
  }
  return new Map(routes.map((route) => [route.name, summarize(route, samples.get(route.name)!)]))
}

const statusList = (statuses: Map<number, number>) =>
  [...statuses].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${count}×${status}`).join(' ')

/** The table every route bench prints: p50/p99 (ms), req/s, answers other than expected. */
export function printTable(rows: RouteStats[], log = console.log): void {
  const width = Math.max(29, ...rows.map((row) => row.label.length))
  log(`\n${'route'.padEnd(width)}   p50 ms   p99 ms    req/s   unexpected`)
  for (const row of rows) {
    const other = row.unexpected + row.errors
    const detail = other ? ` (${[statusList(row.statuses), row.errors ? `${row.errors} socket errors/timeouts` : ''].filter(Boolean).join(', ')})` : ''
    log(`${row.label.padEnd(width)}   ${row.p50.toFixed(2).padStart(6)}   ${row.p99.toFixed(2).padStart(6)}   ${row.rps.toFixed(0).padStart(6)}   ${other}${detail}`)
  }
}

const signedMs = (ms: number) => `${ms < 0 ? '-' : '+'}${Math.abs(ms).toFixed(2)} ms`

export type ApiKeyComparison = { stats: RouteStats; p50VsSession: number; p50VsBare: number; throughputVsSession: number; met: boolean }

export type ApiComparison = {
  bare: RouteStats
  authenticated: RouteStats
  p50Ratio: number
  p99Ratio: number
  throughputRatio: number
  /** With an API key given: the same route called with it. */
  apiKey?: ApiKeyComparison
  /** Every target measured is met. */
  met: boolean
}

/**
 * bench:api's comparison against a running Worker at `base`: GET /api/session with `token` (Clerk
 * verification + the `api` rate limit, which must be set high enough for the run) against the bare
 * GET /api/health/live, alternating; with `apiKey`, the same route with that key as a third route (the
 * `api_key` limit must be set high enough too). Prints the table, the ratios and the targets.
 */
export async function compareSessionToBare(
  base: string,
  token: string,
  options: Parameters<typeof measureRounds>[1] & { apiKey?: string } = {},
): Promise<ApiComparison> {
  const log = options.log ?? console.log
  const routes: Route[] = [
    { name: 'bare', label: 'GET /api/health/live (bare)', url: `${base}/api/health/live`, headers: {} },
    { name: 'authenticated', label: 'GET /api/session (auth + RL)', url: `${base}/api/session`, headers: { authorization: `Bearer ${token}` } },
  ]
  if (options.apiKey) {
    routes.push({ name: 'apiKey', label: 'GET /api/session (API key, warm + RL)', url: `${base}/api/session`, headers: { authorization: `Bearer ${options.apiKey}` } })
  }
  // One call each before any load: a refusal fails fast, and the key's verification is cached from here on.
  for (const route of routes.slice(1)) {
    const check = await fetch(route.url, { headers: route.headers })
    if (check.status !== 200) throw new Error(`${route.label} answered ${check.status}: ${await check.text()}`)
  }

  const stats = await measureRounds(routes, options)
  const bare = stats.get('bare')!
  const authenticated = stats.get('authenticated')!
  const keyed = stats.get('apiKey')
  printTable(keyed ? [bare, authenticated, keyed] : [bare, authenticated], log)
  const p50Ratio = authenticated.p50 / bare.p50
  const p99Ratio = authenticated.p99 / bare.p99
  const throughputRatio = authenticated.rps / bare.rps
  const latencyMet = p50Ratio <= TARGET_P50_RATIO
  const throughputMet = throughputRatio >= TARGET_THROUGHPUT_RATIO
  log(
    `\noverhead at p50: +${(authenticated.p50 - bare.p50).toFixed(2)} ms (ratio ${p50Ratio.toFixed(2)}x); p99 ratio ${p99Ratio.toFixed(2)}x; throughput ratio ${throughputRatio.toFixed(2)}x`,
  )
  log(
    `target: authenticated + rate-limited <= ${TARGET_P50_RATIO}x the bare route at p50 — ${latencyMet ? 'met' : 'NOT met'}; ` +
      `>= ${TARGET_THROUGHPUT_RATIO}x its throughput — ${throughputMet ? 'met' : 'NOT met'}`,
  )
  let apiKey: ApiKeyComparison | undefined
  if (keyed) {
    const p50VsSession = keyed.p50 / authenticated.p50
    const p50VsBare = keyed.p50 / bare.p50
    const throughputVsSession = keyed.rps / authenticated.rps
    const met = p50VsSession <= TARGET_API_KEY_P50_RATIO
    log(
      `API key at p50: ${p50VsSession.toFixed(2)}x the session token (${signedMs(keyed.p50 - authenticated.p50)}), ${p50VsBare.toFixed(2)}x the bare route; ` +
        `throughput ${throughputVsSession.toFixed(2)}x the session token's`,
    )
    log(`target: API key (verification cached) <= ${TARGET_API_KEY_P50_RATIO}x the session token at p50 — ${met ? 'met' : 'NOT met'}`)
    apiKey = { stats: keyed, p50VsSession, p50VsBare, throughputVsSession, met }
  }
  return { bare, authenticated, p50Ratio, p99Ratio, throughputRatio, apiKey, met: latencyMet && throughputMet && (apiKey?.met ?? true) }
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'sellersync-bench-'))
  const authorizedParty = 'http://localhost:8787'
  const stack = await startLocalStack({ database: databaseChoiceFromEnv(), stateDir: null, authorizedParty })
  const port = await freePort()
  let worker: Awaited<ReturnType<typeof startWranglerDev>> | undefined
  try {
    // A limit no run reaches: we measure the cost of counting, not of refusing.
    ensureDevVars(join(tmp, 'bench.vars'), {
      ...workerBindings(stack, { authorizedParties: [authorizedParty] }),
      RATE_LIMITS: JSON.stringify({ api: { limit: 1_000_000, windowSeconds: 3600 }, api_key: { limit: 1_000_000, windowSeconds: 3600 } }),
    })
    // A bundle of worker/ as of now: a teammate's edit mid-run would otherwise reload the Worker.
    const config = await snapshotWorker(tmp)
    worker = await startWranglerDev({ port, config, envFile: join(tmp, 'bench.vars'), persistTo: join(tmp, 'state') })

    const user = await stack.clerk.createUser({ email_address: ['bench@example.com'], first_name: 'Bench' })
    const session = stack.clerk.createSession(user.id)
    const token = await stack.clerk.mintSessionToken(session.id, { expiresInSeconds: 3600 })
    // A key of the same user, created as a script's owner would: through Clerk's Backend API.
    const clerk = createClerkClient({ secretKey: stack.secrets.clerkSecretKey, apiUrl: stack.clerk.url })
    const key = await clerk.apiKeys.create({ name: 'bench', subject: user.id, scopes: ['accounts:read'] })
    const { apiKey } = await compareSessionToBare(`http://127.0.0.1:${port}`, token, { apiKey: key.secret! })
    // Warm means Clerk was asked about the key about once a minute, not once per request.
    const verifications = stack.clerk.apiKeyVerifications({ apiKeyId: key.id }).count
    console.log(`Clerk Backend API verify calls for the key: ${verifications} over ${apiKey!.stats.requests} requests with it`)
  } finally {
    await worker?.stop()
    await stack.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
