// npm run bench:api — what Clerk verification + the per-user Durable Object rate limit cost per request.
// Under `wrangler dev` (workerd), autocannon drives GET /api/session (session verified, rate limited)
// and GET /api/health/live (bare) in alternating rounds in the same run; latencies are taken from
// autocannon's per-response timings (sub-millisecond), not its 1 ms histogram.
import autocannon from 'autocannon'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureDevVars } from '../../dev/dev-vars.ts'
import { startLocalStack } from '../../dev/local-stack.ts'
import { freePort } from '../../dev/process.ts'
import { workerBindings } from '../../dev/worker-bindings.ts'
import { startWranglerDev } from '../../dev/wrangler-dev.ts'

const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4)
const TARGET_OVERHEAD_MS = 1.5

type Sample = { latencies: number[]; requests: number; seconds: number; errors: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function load(url: string, headers: Record<string, string>, seconds: number, into?: Sample): Promise<void> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, headers, connections: CONNECTIONS, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      if (!into) return
      if (status === 200) into.latencies.push(ms)
      else into.errors++
    })
  })
  if (into) {
    into.requests += result.requests.total
    into.seconds += seconds
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'sellersync-bench-'))
const authorizedParty = 'http://localhost:8787'
const stack = await startLocalStack({ database: { mode: 'pglite' }, stateDir: null, authorizedParty })
const port = await freePort()
const base = `http://127.0.0.1:${port}`
let worker: Awaited<ReturnType<typeof startWranglerDev>> | undefined
try {
  // A limit no run reaches: we measure the cost of counting, not of refusing.
  ensureDevVars(join(tmp, 'bench.vars'), {
    ...workerBindings(stack, { authorizedParties: [authorizedParty] }),
    RATE_LIMITS: JSON.stringify({ api: { limit: 1_000_000, windowSeconds: 3600 } }),
  })
  worker = await startWranglerDev({ port, envFile: join(tmp, 'bench.vars'), persistTo: join(tmp, 'state') })

  const user = await stack.clerk.createUser({ email_address: ['bench@example.com'], first_name: 'Bench' })
  const session = stack.clerk.createSession(user.id)
  const token = await stack.clerk.mintSessionToken(session.id, { expiresInSeconds: 3600 })
  const routes = {
    bare: { url: `${base}/api/health/live`, headers: {} },
    authenticated: { url: `${base}/api/session`, headers: { authorization: `Bearer ${token}` } },
  }
  const check = await fetch(routes.authenticated.url, { headers: routes.authenticated.headers })
  if (check.status !== 200) throw new Error(`GET /api/session answered ${check.status}: ${await check.text()}`)

  console.log(`warming up (${CONNECTIONS} connections)…`)
  for (const route of Object.values(routes)) await load(route.url, route.headers, 2)

  const samples: Record<keyof typeof routes, Sample> = {
    bare: { latencies: [], requests: 0, seconds: 0, errors: 0 },
    authenticated: { latencies: [], requests: 0, seconds: 0, errors: 0 },
  }
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`)
    for (const name of ['bare', 'authenticated'] as const) await load(routes[name].url, routes[name].headers, ROUND_SECONDS, samples[name])
  }

  const rows = Object.entries(samples).map(([name, sample]) => {
    const sorted = [...sample.latencies].sort((a, b) => a - b)
    return { name, p50: percentile(sorted, 50), p99: percentile(sorted, 99), rps: sample.requests / sample.seconds, errors: sample.errors }
  })
  const [bare, authed] = rows as [(typeof rows)[0], (typeof rows)[0]]
  console.log('\nroute                         p50 ms   p99 ms    req/s   non-200')
  for (const row of rows) {
    const label = row.name === 'bare' ? 'GET /api/health/live (bare)' : 'GET /api/session (auth + RL)'
    console.log(`${label.padEnd(29)} ${row.p50.toFixed(2).padStart(6)}   ${row.p99.toFixed(2).padStart(6)}   ${row.rps.toFixed(0).padStart(6)}   ${row.errors}`)
  }
  const overhead = authed.p50 - bare.p50
  console.log(`\noverhead at p50: +${overhead.toFixed(2)} ms (ratio ${(authed.p50 / bare.p50).toFixed(2)}x); p99 ratio ${(authed.p99 / bare.p99).toFixed(2)}x; throughput ratio ${(authed.rps / bare.rps).toFixed(2)}x`)
  console.log(`target: verification + rate limiting add <= ${TARGET_OVERHEAD_MS} ms at p50 — ${overhead <= TARGET_OVERHEAD_MS ? 'met' : 'NOT met'}`)
} finally {
  await worker?.stop()
  await stack.stop()
  rmSync(tmp, { recursive: true, force: true })
}
