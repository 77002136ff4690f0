// npm run bench:web — what the production dashboard (the Clerk build) costs the browser, against a
// baseline built in the same run.
//  1. Builds the dashboard's Clerk variant into web/out-clerk (as `npm run build:web:clerk-test`) and
//     bench/web/minimal (the same Next, AuthWrapper and Clerk adapter, one heading).
//  2. First-load JS: the gzip size (level 9) of the JS each exported HTML page loads (its `<script src>`
//     tags): web/out-clerk/accounts/ and /sign-in/ vs the minimal page. Target: /accounts/ ≤ 1.3 × minimal.
//  3. In Chromium (playwright-core), against `node dev/stack.ts` with SELLERSYNC_DASHBOARD=clerk and the
//     Clerk stand-in's Frontend API (as the Clerk browser test reaches it): all the JS a first visit runs
//     (the page's chunks plus clerk-js and @clerk/ui, which @clerk/react loads from the Frontend API), and
//     the first and the largest contentful paint (median of BENCH_WEB_RUNS warm loads) of the minimal page, /sign-in/
//     (Clerk's <SignIn/>) and /accounts/ signed in through it.
//  4. The time to the first account card on /accounts/ signed in (first-card.ts), cold and warm, median of
//     BENCH_WEB_RUNS, for this build and today's (baseline-build.ts: the dashboard at `git merge-base HEAD main`,
//     or BENCH_WEB_BASELINE=<rev>, built in a temporary git worktree), each served by its own `dev/stack.ts`
//     (SELLERSYNC_DASHBOARD_DIR points the baseline's Worker at its export; the Worker's code is this checkout's for
//     both), visits alternating between the two. The Frontend API is reached through the DevTools protocol
//     (dev/clerk/frontend-api/browser-cdp-route.ts), which leaves the HTTP cache on, so "warm" is a returning visitor's cache.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BrowserContext, Page } from 'playwright-core'
import { CHROMIUM, hasChromium, launchChromium } from '../../dev/chromium.ts'
import { routeFrontendApi } from '../../dev/clerk/frontend-api/browser-route.ts'
import { startIsolatedStack } from '../../dev/isolated-stack.ts'
import { freePort } from '../../dev/process.ts'
import { frontendApiHost } from '../../web/lib/client-config.ts'
import { buildBaseline } from './baseline-build.ts'
import { signInThroughClerk } from './clerk-sign-in.ts'
import { firstCardComparison } from './first-card.ts'

const root = new URL('../../', import.meta.url).pathname
const minimalDir = join(root, 'bench/web/minimal')
const dashboardDir = join(root, 'web/out-clerk')
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5)
const TARGET_RATIO = 1.3
const nextBin = join(root, 'node_modules/next/dist/bin/next')
const USER = { email: 'bench@example.com', password: 'bench password 1' }

function build(dir: string, env: Record<string, string> = {}): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, [nextBin, 'build', dir], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_AUTH: 'clerk', ...env },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`next build ${dir} failed:\n${result.stdout}\n${result.stderr}`)
  return (performance.now() - started) / 1000
}

type JsCost = { files: number; raw: number; gzip: number }
const addJs = (cost: JsCost, body: Buffer): void => {
  cost.files += 1
  cost.raw += body.length
  cost.gzip += gzipSync(body, { level: 9 }).length
}

/** The JS an exported HTML page loads: every `<script src>` (Next's chunks), read from the export. */
function jsOf(outDir: string, htmlPath: string): JsCost {
  const html = readFileSync(join(outDir, htmlPath), 'utf8')
  const sources = [...new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!))]
  const cost = { files: 0, raw: 0, gzip: 0 }
  for (const src of sources) addJs(cost, readFileSync(join(outDir, decodeURIComponent(new URL(src, 'http://x/').pathname))))
  return cost
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.txt': 'text/plain', '.json': 'application/json' }

/** A static server for an export (/x/ → x/index.html), answering GET /api/client-config as the Worker does. */
async function serveStatic(dir: string, clientConfig: object): Promise<{ url: string; server: Server }> {
  const port = await freePort()
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x/').pathname))
    if (path === '/api/client-config') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(clientConfig))
    if (path.endsWith('/')) path += 'index.html'
    const file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}`, server }
}

const OBSERVE_PAINTS = `
  window.__lcp = 0;
  window.__fcp = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') window.__fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
`

type Paints = { fcp: number; lcp: number }
type Measurement = { runtimeJs: JsCost; fcpMs: number; lcpMs: number }

/**
 * One page in a fresh context: the JS the first visit runs (every script response, the Frontend API's
 * bundles and their chunks included), then the median FCP and LCP of RUNS further loads (warm cache, like a
 * returning visitor). `ready` is what must be on screen; `setup` runs first (e.g. signing in).
 */
async function measure(context: BrowserContext, url: string, ready: (page: Page) => Promise<unknown>, setup?: (page: Page) => Promise<void>): Promise<Measurement> {
  const page = await context.newPage()
  page.setDefaultTimeout(30_000)
  await page.addInitScript(OBSERVE_PAINTS)
  await setup?.(page)
  const runtimeJs = { files: 0, raw: 0, gzip: 0 }
  const pending: Promise<void>[] = []
  const onResponse = (response: import('playwright-core').Response) => {
    if (response.request().resourceType() !== 'script') return
    pending.push(response.body().then((body) => addJs(runtimeJs, body), () => {}))
  }
  page.on('response', onResponse)
  const samples: Paints[] = []
  for (let run = 0; run <= RUNS; run++) {
    await page.goto(url)
    await ready(page)
    await page.waitForTimeout(300) // let late chunks and the last LCP candidate arrive
    if (run === 0) {
      page.off('response', onResponse)
      await Promise.all(pending)
      continue // the first visit counts JS, not LCP (cold cache)
    }
    // LCP is final at the first input; reading it now is what the web-vitals library does on hide.
    samples.push(await page.evaluate(() => {
      const paints = globalThis as unknown as { __fcp: number; __lcp: number }
      return { fcp: paints.__fcp, lcp: paints.__lcp }
    }))
  }
  await page.close()
  return { runtimeJs, fcpMs: median(samples.map((s) => s.fcp)), lcpMs: median(samples.map((s) => s.lcp)) }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main() {
  const generated = ['out', '.next', 'next-env.d.ts'].filter((name) => !existsSync(join(minimalDir, name)))
  try {
    console.log('building the dashboard (Clerk) into web/out-clerk and bench/web/minimal …')
    const webSeconds = build('web', { SELLERSYNC_WEB_OUT: 'out-clerk' })
    const minimalSeconds = build('bench/web/minimal')
    const accounts = jsOf(dashboardDir, 'accounts/index.html')
    const signIn = jsOf(dashboardDir, 'sign-in/index.html')
    const minimal = jsOf(join(minimalDir, 'out'), 'index.html')
    const ratio = accounts.gzip / minimal.gzip

    console.log(`\nbuilds: dashboard ${webSeconds.toFixed(1)} s, minimal ${minimalSeconds.toFixed(1)} s\n`)
    console.log('| first-load JS (the page’s script tags) | scripts | raw | gzip |')
    console.log('|---|---:|---:|---:|')
    for (const [name, cost] of [['minimal (AuthWrapper + Clerk + heading)', minimal], ['dashboard /accounts/', accounts], ['dashboard /sign-in/', signIn]] as const) {
      console.log(`| ${name} | ${cost.files} | ${kb(cost.raw)} | ${kb(cost.gzip)} |`)
    }
    console.log(`\n/accounts/ first-load JS gzip ÷ minimal = ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`)

    if (!hasChromium()) return console.log(`(no ${CHROMIUM}: runtime JS, LCP and the first account card skipped)`)
    const baseline = buildBaseline(root)
    try {
      console.log(`\nbaseline: ${baseline.revision} (${baseline.commit}) built in ${baseline.seconds.toFixed(1)} s in a temporary worktree, node_modules through ${baseline.dependencies}`)
      await paintsAndRuntimeJs()
      await firstCardComparison(baseline, RUNS)
    } finally {
      baseline.remove()
    }
  } finally {
    // The minimal app's build output is not the repository's: leave the tree as it was.
    for (const name of generated) rmSync(join(minimalDir, name), { recursive: true, force: true })
  }
}

/** Step 3: the JS a first visit runs, and FCP / LCP of the minimal page, /sign-in/ and /accounts/. */
async function paintsAndRuntimeJs(): Promise<void> {
  const stack = await startIsolatedStack('bench-web', { env: { SELLERSYNC_DASHBOARD: 'clerk' } })
  const { clerkSecretKey } = JSON.parse(readFileSync(join(stack.stateDir, 'local-secrets.json'), 'utf8')) as { clerkSecretKey: string }
  const created = await fetch(`${stack.clerkUrl}/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clerkSecretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email_address: [USER.email], password: USER.password, first_name: 'Bench' }),
  })
  if (!created.ok) throw new Error(`creating the bench user failed: ${created.status} ${await created.text()}`)
  const clientConfig = (await (await fetch(`${stack.url}/api/client-config`)).json()) as { clerkPublishableKey: string }
  const fapiHost = frontendApiHost(clientConfig.clerkPublishableKey)
  const { url: minimalUrl, server } = await serveStatic(join(minimalDir, 'out'), clientConfig)
  const browser = await launchChromium()
  const rows: Array<[string, Measurement]> = []
  try {
    const fresh = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      await routeFrontendApi(context, { fapiHost, clerkUrl: stack.clerkUrl, presentAs: stack.url })
      return context
    }
    rows.push(['minimal page /', await measure(await fresh(), `${minimalUrl}/`, (page) => page.locator('h1').waitFor())])
    rows.push(['dashboard /sign-in/ (Clerk’s SignIn)', await measure(await fresh(), `${stack.url}/sign-in/`, (page) => page.getByLabel('Email address').waitFor())])
    rows.push([
      'dashboard /accounts/ (signed in)',
      await measure(await fresh(), `${stack.url}/accounts/`, (page) => page.locator('main.page h2, main.page li.account').first().waitFor(), (page) =>
        signInThroughClerk(page, stack.url, USER),
      ),
    ])
  } finally {
    await browser.close()
    server.close()
    await stack.stop()
  }
  console.log('\n(Frontend API requests go through Playwright routing, which turns the page’s HTTP cache off: Clerk’s bundles and')
  console.log('ours are fetched and compiled again on every load, so the paint times below are upper bounds for a returning visitor.)')
  const baseline = rows[0]![1].runtimeJs.gzip
  console.log(`\n| in Chromium | JS a first visit runs (files, gzip) | ÷ minimal | FCP / LCP, median of ${RUNS} warm loads (1280×800) |`)
  console.log('|---|---:|---:|---:|')
  for (const [name, { runtimeJs, fcpMs, lcpMs }] of rows) {
    console.log(`| ${name} | ${runtimeJs.files}, ${kb(runtimeJs.gzip)} | ${(runtimeJs.gzip / baseline).toFixed(2)}× | ${fcpMs.toFixed(0)} / ${lcpMs.toFixed(0)} ms |`)
  }
}

await main()
