// `npm run dev`: the whole product on this machine. Starts the local stack (Postgres, PostgREST behind a
// Supabase-style gateway, the Clerk stand-in), writes .dev.vars if absent, runs the Worker with
// `wrangler dev`, and prints the URL once /api/health says the database is reachable.
// Ctrl-C stops every process it started.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { databaseChoiceFromEnv } from './db/database.ts'
import { ensureDevVars } from './dev-vars.ts'
import { startLocalStack, type LocalStack } from './local-stack.ts'
import { startProcess, type ManagedProcess } from './process.ts'
import { claimSingleInstance } from './single-instance.ts'
import { fireCron, startWranglerDev } from './wrangler-dev.ts'
import { workerBindings } from './worker-bindings.ts'

const root = new URL('../', import.meta.url).pathname
// Overridable so a test can run a second, isolated stack beside a developer's.
const stateDir = process.env.SELLERSYNC_STATE_DIR ?? join(root, '.sellersync')
const devVarsPath = process.env.SELLERSYNC_DEV_VARS ?? join(root, '.dev.vars')
const port = Number(process.env.SELLERSYNC_PORT ?? 8787)
// Which dashboard build the Worker serves: `local` (web/out, signs in through the stand-in's dev-only
// endpoints) or `clerk` (web/out-clerk from `npm run build:web:clerk-test`: the production Clerk build,
// talking to the stand-in's Frontend API; only a browser that maps its host to the stand-in can use it).
const dashboard = process.env.SELLERSYNC_DASHBOARD ?? 'local'
if (dashboard !== 'local' && dashboard !== 'clerk') {
  console.error(`[sellersync] SELLERSYNC_DASHBOARD must be local or clerk, not ${dashboard}`)
  process.exit(1)
}
// The export the Worker serves in place of that one (bench:web points it at a baseline's web/out-clerk).
const dashboardDir = process.env.SELLERSYNC_DASHBOARD_DIR || join(root, dashboard === 'clerk' ? 'web/out-clerk' : 'web/out')
// Short-lived access tokens in the Amazon stand-in, so the background refresh is seen at work: with the
// default 10 minutes a token is renewed by the cron about every 5 minutes (5 minutes before it expires).
const amazonTokenLifetime = Number(process.env.SELLERSYNC_AMAZON_TOKEN_LIFETIME ?? 600)
if (!Number.isInteger(amazonTokenLifetime) || amazonTokenLifetime < 60) {
  console.error(`[sellersync] SELLERSYNC_AMAZON_TOKEN_LIFETIME must be a whole number of seconds, at least 60`)
  process.exit(1)
}
const appUrl = `http://localhost:${port}`
const started = Date.now()
const say = (message: string) => console.log(`[sellersync] ${message}`)

/** The dashboard (web/out) is built once, with the local auth adapter; `npm run build:web:local` rebuilds it. */
async function ensureDashboard() {
  if (dashboard === 'clerk' || process.env.SELLERSYNC_DASHBOARD_DIR) {
    if (existsSync(join(dashboardDir, 'index.html'))) return
    throw new Error(`${dashboardDir} holds no build of the dashboard${dashboard === 'clerk' ? ': run `npm run build:web:clerk-test` first' : ''}`)
  }
  if (existsSync(join(root, 'web/out/index.html'))) return
  say('building the dashboard (first run only; npm run build:web:local rebuilds it)…')
  const build = startProcess('next build', join(root, 'node_modules/.bin/next'), ['build', 'web'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_AUTH: 'local' },
  })
  if ((await build.exited) !== 0) throw new Error(`the dashboard build failed:\n${build.recentOutput()}`)
}

let cronTimer: NodeJS.Timeout | undefined

/** Fires the Cron Trigger at the start of every minute, as Cloudflare would; a failed tick is reported, not fatal. */
function runCronEveryMinute() {
  cronTimer = setTimeout(() => {
    fireCron(port).catch((error: Error) => stopping || say(`cron tick failed: ${error.message}`))
    runCronEveryMinute()
  }, 60_000 - (Date.now() % 60_000))
}

let release: (() => void) | undefined
let stack: LocalStack | undefined
let worker: ManagedProcess | undefined
let stopping = false

async function shutdown(code: number) {
  if (stopping) return
  stopping = true
  say('stopping…')
  clearTimeout(cronTimer)
  await worker?.stop()
  await stack?.stop()
  release?.()
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0))

try {
  release = claimSingleInstance(join(stateDir, 'dev.pid'))
  stack = await startLocalStack({
    database: databaseChoiceFromEnv(),
    stateDir,
    ports: {
      supabase: Number(process.env.SELLERSYNC_SUPABASE_PORT ?? 54321),
      database: Number(process.env.SELLERSYNC_DB_PORT ?? 54322),
      clerk: Number(process.env.SELLERSYNC_CLERK_PORT ?? 54323),
      amazon: Number(process.env.SELLERSYNC_AMAZON_PORT ?? 54324),
    },
    authorizedParty: appUrl,
    clerkWebhookUrl: `http://127.0.0.1:${port}/api/webhooks/clerk`,
    seed: true,
    amazonAccessTokenLifetimeSeconds: amazonTokenLifetime,
    log: say,
  })

  const bindings = workerBindings(stack, { authorizedParties: [appUrl, `http://127.0.0.1:${port}`] })
  // The Clerk build finds its Frontend API through the publishable key (clerk-js needs a Clerk-style host).
  if (dashboard === 'clerk') {
    bindings.CLERK_PUBLISHABLE_KEY = stack.clerk.frontendApiPublishableKey
    say(`dashboard: the Clerk build (${dashboardDir}); its Frontend API https://${stack.clerk.frontendApiHost} is the stand-in ${stack.clerk.url} for browsers that map it`)
  }
  const devVars = ensureDevVars(devVarsPath, bindings)
  if (devVars.written) say('wrote .dev.vars for the local stack')
  if (devVars.stale.length) say(`warning: .dev.vars disagrees with the local stack on ${devVars.stale.join(', ')}; delete it to regenerate`)

  await ensureDashboard()
  worker = await startWranglerDev({
    port,
    envFile: devVarsPath,
    persistTo: join(stateDir, 'wrangler'),
    assetsDir: dashboard === 'clerk' || process.env.SELLERSYNC_DASHBOARD_DIR ? dashboardDir : undefined,
    onLine: (line) => line.trim() && console.log(`[worker] ${line}`),
  })
  void worker.exited.then((code) => {
    if (!stopping) {
      say(`wrangler dev exited (${code}); stopping the stack`)
      void shutdown(1)
    }
  })
  const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()
  if ((health as { database?: string }).database !== 'reachable') say('warning: /api/health reports the database unreachable')
  runCronEveryMinute()
  say(`token refresh: the cron runs every minute; the Amazon stand-in's access tokens live ${amazonTokenLifetime} s`)
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${appUrl}  (API health: ${appUrl}/api/health)`)
  say('press Ctrl-C to stop')
} catch (error) {
  console.error(`[sellersync] ${(error as Error).message}`)
  await shutdown(1)
}
