// npm run bench:refresh — the background token refresh (cron tick → token-refresh queue → one
// AccountSession per grant → LWA → lease-checked write), end to end under `wrangler dev`.
//
// N due grants (BENCH_GRANTS, default 10,000) are seeded straight into the database, each with a real
// refresh token the Amazon stand-in minted, Fernet-encrypted under the stack's key. Every LWA token
// request is held BENCH_LWA_MS (100) ms by the stand-in (a `hang` fault with `ms`, for every request).
// The cron is fired (and again each minute while grants are still due) and the wall time from the first
// tick until every grant is refreshed is measured by polling the database. In the same run, a naive
// one-by-one refresh (read row, decrypt, LWA, encrypt, write back: what an SDK does on demand) runs over
// a separately seeded sample (BENCH_NAIVE_SAMPLE, default 200) and its rate is extrapolated to N.
//
// Reports LWA refresh calls (must equal N: no grant refreshed twice — the bench exits 1 otherwise),
// PostgREST round trips per grant (counted by a proxy in front of the Supabase gateway), and the split
// of time by stage from the Worker's own log lines. Time targets are printed, not enforced.
//
//   SELLERSYNC_DB=postgres npm run bench:refresh      a real PostgreSQL server instead of PGlite
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import postgres from 'postgres'
import { databaseChoiceFromEnv } from '../../dev/db/database.ts'
import { ensureDevVars } from '../../dev/dev-vars.ts'
import { startLocalStack, type LocalStack } from '../../dev/local-stack.ts'
import { freePort } from '../../dev/process.ts'
import { workerBindings } from '../../dev/worker-bindings.ts'
import { fireCron, startWranglerDev } from '../../dev/wrangler-dev.ts'
import { type CountingProxy, startCountingProxy } from './counting-proxy.ts'
import { naiveRefresh } from './naive.ts'
import { seedGrants } from './seed.ts'
import { WorkerLog } from './worker-log.ts'
import { snapshotWorker } from './wrangler.ts'

const N = Number(process.env.BENCH_GRANTS ?? 10_000)
const NAIVE_SAMPLE = Math.min(Number(process.env.BENCH_NAIVE_SAMPLE ?? 200), N)
const LWA_MS = Number(process.env.BENCH_LWA_MS ?? 100)
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 900)
const POLL_MS = 500
const CRON_INTERVAL_MS = 60_000
/** After the last grant is refreshed: how long to keep watching for late (double) refreshes and log lines. */
const SETTLE_MS = 5_000
const TARGET_SECONDS_PER_10K = 60
const TARGET_RATIO = 10
/** CLAIM_PAGE_SIZE × MAX_CLAIM_PAGES in worker/src/tokens/scheduled.ts (not imported: it pulls in workerd types). */
const MAX_CLAIMS_PER_TICK = 20_000

const ENGINE_USER = 'user_bench_refresh'
const NAIVE_USER = 'user_bench_refresh_naive'

for (const [name, value] of Object.entries({ BENCH_GRANTS: N, BENCH_NAIVE_SAMPLE: NAIVE_SAMPLE, BENCH_LWA_MS: LWA_MS, BENCH_TIMEOUT_SECONDS: TIMEOUT_S })) {
  if (!Number.isInteger(value) || value < (name === 'BENCH_LWA_MS' ? 0 : 1)) throw new Error(`${name} must be a positive integer, not ${value}`)
}

let interrupted = false
const onSignal = () => {
  interrupted = true
}
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

type Progress = { refreshed: number; due: number; leased: number; failed: number; reauth: number }

/**
 * Progress of one user's grants, read through PostgREST (the gateway itself, not the counting proxy):
 * PGlite multiplexes every connection onto one backend message by message, so a second wire-protocol
 * client would clobber PostgREST's unnamed portals mid-run. `detail` false: only the refreshed count.
 */
async function progress(db: SupabaseClient, userId: string, detail = true): Promise<Progress> {
  const grants = () => db.from('amazon_grants').select('id', { count: 'exact', head: true }).eq('user_id', userId)
  const count = async (what: string, filter: (query: ReturnType<typeof grants>) => ReturnType<typeof grants>): Promise<number> => {
    const { count, error } = await filter(grants())
    if (error || count === null) throw new Error(`progress (${what}): ${error?.message ?? 'no count'}`)
    return count
  }
  const now = Date.now()
  const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString()
  const refreshed = await count('refreshed', (q) =>
    q.not('last_refreshed_at', 'is', null).eq('refresh_attempts', 0).gte('access_token_expires_at', iso(50 * 60_000)),
  )
  if (!detail) return { refreshed, due: NaN, leased: NaN, failed: NaN, reauth: NaN }
  return {
    refreshed,
    // claim_due_grants' own predicate: what the next tick would claim.
    due: await count('due', (q) =>
      q.in('status', ['active', 'refreshing', 'error']).lte('next_refresh_at', iso(0)).or(`lease_expires_at.is.null,lease_expires_at.lte.${iso(0)}`),
    ),
    leased: await count('leased', (q) => q.not('lease_owner', 'is', null)),
    failed: await count('failed', (q) => q.not('last_error_class', 'is', null)),
    reauth: await count('reauth', (q) => q.eq('status', 'reauth_required')),
  }
}

function lwaRefreshCalls(stack: LocalStack): number {
  return stack.amazon.countRequests({ kind: 'lwa', grantType: 'refresh_token' })
}

function printCounts(title: string, counts: Map<string, number>, per: number) {
  console.log(title)
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${key.padEnd(52)} ${fmt(count).padStart(8)}   ${(count / per).toFixed(3)} / grant`)
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'sellersync-bench-refresh-'))
// wrangler dev keeps each Durable Object's SQLite file under --persist-to. On this kind of disk the
// fsyncs of thousands of new objects dominate (3,000 grants on PostgreSQL: 42 s with it on disk, 21–31 s on
// tmpfs), which says nothing about Cloudflare's storage: keep them in memory (tmpfs) unless BENCH_DO_STATE=disk.
const doStateOnTmpfs = process.env.BENCH_DO_STATE !== 'disk' && existsSync('/dev/shm')
const doState = doStateOnTmpfs ? mkdtempSync('/dev/shm/sellersync-bench-refresh-do-') : join(tmp, 'state')
const authorizedParty = 'http://localhost:8787'
const choice = databaseChoiceFromEnv()
let stack: LocalStack | undefined
let proxy: CountingProxy | undefined
let worker: Awaited<ReturnType<typeof startWranglerDev>> | undefined
let sql: postgres.Sql | undefined
const log = new WorkerLog(process.env.BENCH_VERBOSE === '1')
let failed = false

try {
  console.log(`bench:refresh — ${fmt(N)} grants, LWA latency ${LWA_MS} ms, naive sample ${NAIVE_SAMPLE}`)
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} (everything below shares them: workerd, PostgREST, the database, the stand-ins)`)
  stack = await startLocalStack({ database: choice, stateDir: null, authorizedParty })
  console.log(`database: ${stack.databaseMode === 'pglite' ? 'PGlite (embedded, one backend)' : 'PostgreSQL server'}${choice.mode === 'postgres' && choice.url ? ' (DATABASE_URL)' : ''}`)

  console.log(`Durable Object state (wrangler --persist-to): ${doStateOnTmpfs ? 'tmpfs (/dev/shm)' : 'disk (BENCH_DO_STATE=disk)'}`)
  // The Worker reaches PostgREST through the counting proxy, which forwards to the Supabase gateway.
  proxy = await startCountingProxy(stack.supabaseUrl)
  const port = await freePort()
  ensureDevVars(join(tmp, 'bench.vars'), { ...workerBindings(stack, { authorizedParties: [authorizedParty] }), SUPABASE_URL: proxy.url })
  const config = await snapshotWorker(tmp)
  console.log('Worker: a bundle of worker/ as of now (edits during the run do not reload it)')
  // --log-level log: the token engine's tick and batch lines are console.log, which `warn` drops.
  worker = await startWranglerDev({ port, config, logLevel: 'log', envFile: join(tmp, 'bench.vars'), persistTo: doState, onLine: log.onLine })

  // Seeding only, before the Worker touches the database (see progress()).
  sql = postgres(stack.databaseAdminUrl, { max: 1, onnotice: () => {} })
  const seedStarted = performance.now()
  const now = Date.now()
  // Engine set: due now (next refresh in the past), access tokens expiring in 2 minutes.
  await seedGrants(sql, stack, {
    userId: ENGINE_USER,
    count: N,
    externalIdPrefix: 'BENCH',
    accessTokenExpiresAt: new Date(now + 2 * 60_000),
    nextRefreshAt: new Date(now - 60_000),
  })
  // Naive sample: its own user, not due (the cron must leave it alone), refreshed by the loop below.
  const naiveIds = await seedGrants(sql, stack, {
    userId: NAIVE_USER,
    count: NAIVE_SAMPLE,
    externalIdPrefix: 'NAIVE',
    accessTokenExpiresAt: new Date(now + 2 * 60_000),
    nextRefreshAt: new Date(now + 24 * 3_600_000),
  })
  console.log(`seeded ${fmt(N)} + ${NAIVE_SAMPLE} grants (and one account each) in ${seconds(performance.now() - seedStarted)}`)
  await sql.end({ timeout: 5 })
  sql = undefined
  const db = createClient(stack.supabaseUrl, stack.secrets.supabaseServiceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })

  // Every LWA token request answers after LWA_MS: a `hang` fault with `ms` and a count no run reaches.
  if (LWA_MS > 0) stack.amazon.hangNext('lwa', { count: 1_000_000_000, ms: LWA_MS })

  // ── baseline: one by one ──────────────────────────────────────────────────────────────────────
  console.log(`\nnaive baseline: ${NAIVE_SAMPLE} grants one by one…`)
  const naiveLwaBefore = lwaRefreshCalls(stack)
  proxy.reset()
  const naiveMs = await naiveRefresh(stack, proxy.url, naiveIds)
  const naiveLwa = lwaRefreshCalls(stack) - naiveLwaBefore
  const naiveDbCalls = proxy.total()
  const naiveDone = await progress(db, NAIVE_USER)
  if (naiveDone.refreshed !== NAIVE_SAMPLE) throw new Error(`naive baseline refreshed ${naiveDone.refreshed} of ${NAIVE_SAMPLE} grants`)
  const naiveRate = NAIVE_SAMPLE / (naiveMs / 1000)
  console.log(`naive: ${seconds(naiveMs)} for ${NAIVE_SAMPLE} (${naiveRate.toFixed(1)} grants/s, ${(naiveMs / NAIVE_SAMPLE).toFixed(1)} ms each; ${naiveLwa} LWA calls, ${(naiveDbCalls / NAIVE_SAMPLE).toFixed(2)} DB round trips/grant)`)

  // ── the engine ────────────────────────────────────────────────────────────────────────────────
  const before = await progress(db, ENGINE_USER)
  if (before.due !== N || before.refreshed !== 0) throw new Error(`expected ${N} due grants before the first tick, found ${before.due} due, ${before.refreshed} refreshed`)
  const lwaBefore = lwaRefreshCalls(stack)
  proxy.reset()
  const logLinesBefore = log.lines
  console.log(`\nengine: firing the cron (a tick claims at most ${fmt(MAX_CLAIMS_PER_TICK)}), polling every ${POLL_MS} ms…`)

  const started = performance.now()
  const tickDurations: number[] = []
  const tickErrors: string[] = []
  const ticks: Array<Promise<void>> = []
  const fire = () => {
    const tickStarted = performance.now()
    ticks.push(
      fireCron(port).then(
        () => void tickDurations.push(performance.now() - tickStarted),
        (error: Error) => {
          tickErrors.push(error.message)
          console.log(`  cron tick failed: ${error.message}`)
        },
      ),
    )
  }
  fire()
  let lastTick = started
  let state = before
  let lastReport = started
  let finishedAt: number | undefined
  /** Grants due again after the first tick finished claiming: their claim lease (CLAIM_LEASE_SECONDS) ran out while queued. */
  let peakDueAgain = 0
  while (!interrupted) {
    await sleep(POLL_MS)
    const minuteUp = performance.now() - lastTick >= CRON_INTERVAL_MS
    const reportDue = performance.now() - lastReport >= 5_000
    state = await progress(db, ENGINE_USER, minuteUp || reportDue)
    const elapsed = performance.now() - started
    if (state.refreshed >= N) {
      finishedAt = performance.now()
      break
    }
    if (elapsed > TIMEOUT_S * 1000) break
    if (tickDurations.length > 0 && Number.isFinite(state.due)) peakDueAgain = Math.max(peakDueAgain, state.due)
    if (minuteUp && state.due > 0) {
      console.log(`  ${seconds(elapsed)}: ${fmt(state.due)} grants still due — firing the cron again`)
      lastTick = performance.now()
      fire()
    } else if (minuteUp) lastTick = performance.now() // a minute passed, nothing due: no tick
    if (reportDue) {
      lastReport = performance.now()
      console.log(
        `  ${seconds(elapsed)}: ${fmt(state.refreshed)} refreshed, ${fmt(state.leased)} leased, ${fmt(state.due)} due, ${state.failed} with an error; ` +
          `${log.batches.length} batches logged, ${fmt(lwaRefreshCalls(stack) - lwaBefore)} LWA calls`,
      )
    }
  }
  if (interrupted) throw new Error('interrupted')
  await Promise.all(ticks)

  // Keep watching: a late second refresh of any grant, and the last batch lines.
  await sleep(SETTLE_MS)
  const after = await progress(db, ENGINE_USER)
  const lwaCalls = lwaRefreshCalls(stack) - lwaBefore
  const dbCounts = proxy.counts()
  const dbCalls = proxy.total()

  // ── report ────────────────────────────────────────────────────────────────────────────────────
  const outcomes = log.outcomes()
  const batchMs = log.batchTotal('ms')
  const batchMessages = log.batchTotal('messages')
  const firstBatch = log.batches[0]
  const lastBatch = log.batches.at(-1)
  const consumerSpanMs = firstBatch && lastBatch ? lastBatch.at - (firstBatch.at - firstBatch.ms) : 0
  console.log('\n── results ─────────────────────────────────────────────────────────────')
  if (finishedAt === undefined) {
    failed = true
    console.log(`NOT FINISHED within ${TIMEOUT_S} s: ${fmt(after.refreshed)} of ${fmt(N)} refreshed (${fmt(after.leased)} leased, ${fmt(after.due)} due, ${after.failed} with an error, ${after.reauth} reauth_required)`)
  }
  const wallMs = (finishedAt ?? performance.now()) - started
  const rate = after.refreshed / (wallMs / 1000)
  const naiveWallForN = (N / naiveRate) * 1000
  const ratio = finishedAt === undefined ? NaN : naiveWallForN / wallMs
  const targetMs = (TARGET_SECONDS_PER_10K * 1000 * N) / 10_000
  console.log(`database                         ${stack.databaseMode}; Durable Object state on ${doStateOnTmpfs ? 'tmpfs' : 'disk'}; load average now ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} CPUs`)
  console.log(`grants (N)                       ${fmt(N)}`)
  console.log(`wall time, first tick → all      ${seconds(wallMs)}   (poll resolution ${POLL_MS} ms)`)
  console.log(`throughput                       ${fmt(rate, 1)} grants/s`)
  console.log(`naive one-by-one                 ${fmt(naiveRate, 1)} grants/s → ${seconds(naiveWallForN)} for ${fmt(N)} (extrapolated from ${NAIVE_SAMPLE})`)
  console.log(`ratio vs naive                   ${ratio.toFixed(1)}x   target ≥ ${TARGET_RATIO}x — ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`)
  console.log(`time target                      ≤ ${seconds(targetMs)} for ${fmt(N)} (60 s per 10,000) — ${finishedAt !== undefined && wallMs <= targetMs ? 'met' : 'NOT met'}`)
  console.log(`LWA refresh calls                ${fmt(lwaCalls)}   (must equal N = ${fmt(N)}: ${lwaCalls === N ? 'ok, no double refresh' : lwaCalls > N ? `${fmt(lwaCalls - N)} EXTRA` : `${fmt(N - lwaCalls)} MISSING`})`)
  console.log(`DB round trips (PostgREST)       ${fmt(dbCalls)} = ${(dbCalls / N).toFixed(3)} per grant (naive: ${(naiveDbCalls / NAIVE_SAMPLE).toFixed(2)})`)
  printCounts('  by request:', dbCounts, N)
  console.log(`cron ticks                       ${log.ticks.length} logged (${ticks.length} fired${tickErrors.length ? `, ${tickErrors.length} failed: ${tickErrors.join('; ')}` : ''}); handler wall ${tickDurations.map(seconds).join(', ')}`)
  console.log(`leases run out while queued      peak ${fmt(peakDueAgain)} grants due again after the first tick (claimed, not yet delivered within CLAIM_LEASE_SECONDS)`)
  console.log('per stage (totals)')
  console.log(`  claim (claim_due_grants)       ${fmt(log.ticks.reduce((s, t) => s + t.claimMs, 0))} ms over ${fmt(log.ticks.reduce((s, t) => s + t.claimed, 0))} claimed`)
  console.log(`  enqueue (waiting on sendBatch) ${fmt(log.ticks.reduce((s, t) => s + t.enqueueMs, 0))} ms`)
  console.log(`  consumer batches               ${log.batches.length} batches, ${fmt(batchMessages)} messages, ${fmt(batchMs)} batch-ms summed; span ${seconds(consumerSpanMs)} → ~${consumerSpanMs ? (batchMs / consumerSpanMs).toFixed(1) : '0'} batches in flight`)
  console.log(`  AccountSession (DO) time       ${fmt(log.batchTotal('sessionMs'))} message-ms (${(log.batchTotal('sessionMs') / Math.max(1, batchMessages)).toFixed(1)} ms/grant)`)
  console.log(`    LWA                          ${fmt(log.batchTotal('lwaMs'))} message-ms (${(log.batchTotal('lwaMs') / Math.max(1, batchMessages)).toFixed(1)} ms/grant)`)
  console.log(`    database (start + complete)  ${fmt(log.batchTotal('databaseMs'))} message-ms (${(log.batchTotal('databaseMs') / Math.max(1, batchMessages)).toFixed(1)} ms/grant)`)
  const otherMs = log.batchTotal('sessionMs') - log.batchTotal('lwaMs') - log.batchTotal('databaseMs')
  console.log(`    other (DO start, storage, crypto, waits) ${fmt(otherMs)} message-ms (${(otherMs / Math.max(1, batchMessages)).toFixed(1)} ms/grant)`)
  console.log(`  outcomes                       ${Object.entries(outcomes).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || '(no batch lines)'}`)
  const errors = log.errors
  console.log(`worker log                       ${fmt(log.lines - logLinesBefore)} lines; ${errors.length} error-like${errors.length ? ':' : ''}`)
  for (const line of errors.slice(0, 10)) console.log(`  ${line.slice(0, 300)}`)
  if (log.ticks.length === 0 && log.batches.length === 0) {
    console.log('  (no token_refresh_* lines seen: the Worker\'s console.log did not reach wrangler\'s output)')
  }

  if (lwaCalls !== N) {
    failed = true
    console.log(`\nFAIL: ${fmt(lwaCalls)} LWA refresh calls for ${fmt(N)} grants`)
  }
  if (after.refreshed !== N) failed = true
} catch (error) {
  failed = true
  console.error(error)
} finally {
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  await sql?.end({ timeout: 5 }).catch(() => {})
  await worker?.stop()
  await proxy?.stop()
  await stack?.stop()
  rmSync(tmp, { recursive: true, force: true })
  rmSync(doState, { recursive: true, force: true })
}
if (failed) process.exitCode = 1
