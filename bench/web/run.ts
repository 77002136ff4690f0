// npm run bench:web — what the dashboard costs the browser, against a baseline built in the same run.
//  1. Builds the dashboard (local auth, as `npm run build:web:local`) and bench/web/minimal (the same Next,
//     AuthWrapper and local auth adapter, one heading).
//  2. Sums the gzip size (level 9) of the JS each HTML page loads (its `<script src>` tags):
//     web/out/accounts/index.html and web/out/sign-in/index.html vs the minimal app's index.html.
//  3. Largest contentful paint in Chromium (playwright-core, PerformanceObserver 'largest-contentful-paint',
//     median of BENCH_WEB_RUNS loads): /sign-in/ and, signed in through the Clerk stand-in, /accounts/
//     (against `node dev/stack.ts`), and the minimal page from a static file server.
// Target: the accounts page's JS ≤ 1.3 × the minimal page's.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from 'playwright-core'
import { startIsolatedStack } from '../../dev/isolated-stack.ts'
import { freePort } from '../../dev/process.ts'

const root = new URL('../../', import.meta.url).pathname
const minimalDir = join(root, 'bench/web/minimal')
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5)
const TARGET_RATIO = 1.3
const CHROMIUM = '/usr/bin/chromium'
const nextBin = join(root, 'node_modules/next/dist/bin/next')

function build(dir: string): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, [nextBin, 'build', dir], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_AUTH: 'local' },
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`next build ${dir} failed:\n${result.stdout}\n${result.stderr}`)
  return (performance.now() - started) / 1000
}

type JsCost = { files: number; raw: number; gzip: number }

/** The JS an exported HTML page loads: every `<script src>` (Next's chunks), read from the export. */
function jsOf(outDir: string, htmlPath: string): JsCost {
  const html = readFileSync(join(outDir, htmlPath), 'utf8')
  const sources = [...new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!))]
  let raw = 0
  let gzip = 0
  for (const src of sources) {
    const file = readFileSync(join(outDir, decodeURIComponent(new URL(src, 'http://x/').pathname)))
    raw += file.length
    gzip += gzipSync(file, { level: 9 }).length
  }
  return { files: sources.length, raw, gzip }
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.txt': 'text/plain', '.json': 'application/json' }

/** A static server for an export: /x/ → x/index.html. */
async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const port = await freePort()
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x/').pathname))
    if (path.endsWith('/')) path += 'index.html'
    const file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${port}`, server }
}

const OBSERVE_LCP = `
  window.__lcp = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
`

/** Median LCP (ms) of `runs` fresh loads of url in one context (cached chunks, like a returning visitor). */
async function lcp(browser: Browser, url: string, ready: string, setup?: (page: import('playwright-core').Page) => Promise<void>): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await page.addInitScript(OBSERVE_LCP)
  await setup?.(page)
  const samples: number[] = []
  for (let run = 0; run < RUNS; run++) {
    await page.goto(url)
    await page.locator(ready).first().waitFor()
    await page.waitForTimeout(300) // let the last candidate be reported
    // LCP is final at the first input; reading it now is what the web-vitals library does on hide.
    samples.push(await page.evaluate(() => (globalThis as unknown as { __lcp: number }).__lcp))
  }
  await context.close()
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]!
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

async function main() {
  const generated = ['out', '.next', 'next-env.d.ts'].filter((name) => !existsSync(join(minimalDir, name)))
  try {
    console.log('building the dashboard (local auth) and bench/web/minimal …')
    const webSeconds = build('web')
    const minimalSeconds = build('bench/web/minimal')
    const accounts = jsOf(join(root, 'web/out'), 'accounts/index.html')
    const signIn = jsOf(join(root, 'web/out'), 'sign-in/index.html')
    const minimal = jsOf(join(minimalDir, 'out'), 'index.html')

    let lcpRows: Array<[string, number]> = []
    if (existsSync(CHROMIUM)) {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      })
      const { url: minimalUrl, server } = await serveStatic(join(minimalDir, 'out'))
      const stack = await startIsolatedStack('bench-web')
      const url = stack.url
      try {
        lcpRows.push(['minimal page /', await lcp(browser, `${minimalUrl}/`, 'h1')])
        lcpRows.push(['dashboard /sign-in/', await lcp(browser, `${url}/sign-in/`, 'form h1')])
        lcpRows.push([
          'dashboard /accounts/ (signed in)',
          await lcp(browser, `${url}/accounts/`, 'main.page h2, main.page li.account', async (page) => {
            await page.goto(`${url}/sign-in/`)
            await page.getByLabel('Email').fill('bench@example.com')
            await page.getByRole('button', { name: 'Continue' }).click()
            await page.waitForURL(`${url}/accounts/`)
          }),
        ])
      } finally {
        await browser.close()
        server.close()
        await stack.stop()
      }
    } else {
      lcpRows = []
      console.log(`(no ${CHROMIUM}: LCP skipped)`)
    }

    const ratio = accounts.gzip / minimal.gzip
    console.log(`\nbuilds: dashboard ${webSeconds.toFixed(1)} s, minimal ${minimalSeconds.toFixed(1)} s\n`)
    console.log('| page | scripts | JS raw | JS gzip |')
    console.log('|---|---:|---:|---:|')
    for (const [name, cost] of [['minimal (AuthWrapper + heading)', minimal], ['dashboard /accounts/', accounts], ['dashboard /sign-in/', signIn]] as const) {
      console.log(`| ${name} | ${cost.files} | ${kb(cost.raw)} | ${kb(cost.gzip)} |`)
    }
    console.log(`\n/accounts/ JS gzip ÷ minimal = ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`)
    if (lcpRows.length) {
      console.log(`\n| largest contentful paint (median of ${RUNS}, 1280×800) | ms |\n|---|---:|`)
      for (const [name, ms] of lcpRows) console.log(`| ${name} | ${ms.toFixed(0)} |`)
    }
  } finally {
    // The minimal app's build output is not the repository's: leave the tree as it was.
    for (const name of generated) rmSync(join(minimalDir, name), { recursive: true, force: true })
  }
}

await main()
