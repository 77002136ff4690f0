import { join } from 'node:path'
import { startProcess, waitUntil, type ManagedProcess } from './process.ts'

const root = new URL('../', import.meta.url).pathname

/**
 * The Worker under `wrangler dev` (workerd, Durable Objects, static assets) on 127.0.0.1:port,
 * offline: no metrics, no Cloudflare lookups. Resolves once /api/health/live answers.
 */
export async function startWranglerDev({
  port,
  envFile,
  persistTo,
  assetsDir,
  config,
  logLevel = 'warn',
  onLine,
}: {
  port: number
  /** Vars and secrets; omitted = wrangler reads .dev.vars. */
  envFile?: string
  /** Local Durable Object state; omitted = .wrangler/state. */
  persistTo?: string
  /** The dashboard build to serve as static assets; omitted = wrangler.toml's (web/out). */
  assetsDir?: string
  /** Another wrangler config (a bench's snapshot of the Worker); omitted = the repository's wrangler.toml. */
  config?: string
  /** `log` lets the Worker's console.log through (the token engine's tick and batch lines); `warn` keeps it quiet. */
  logLevel?: 'warn' | 'log'
  onLine?: (line: string) => void
}): Promise<ManagedProcess> {
  // --test-scheduled: the Cron Trigger can be fired over HTTP (fireCron), as wrangler dev runs no schedule itself.
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false', '--log-level', logLevel, '--test-scheduled']
  if (config) args.push('--config', config)
  if (envFile) args.push('--env-file', envFile)
  if (persistTo) args.push('--persist-to', persistTo)
  if (assetsDir) args.push('--assets', assetsDir)
  const worker = startProcess('wrangler', join(root, 'node_modules/.bin/wrangler'), args, {
    cwd: config ? join(config, '..') : root,
    // Without NODE_ENV: wrangler passes it into the Worker, and with vitest's NODE_ENV=test @clerk/backend
    // calls fetch unbound, which workerd refuses ("Illegal invocation"): every API-key check would fail.
    env: { ...withoutNodeEnv(process.env), WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    onLine,
  })
  try {
    await waitUntil('the Worker (wrangler dev)', async () => (await fetch(`http://127.0.0.1:${port}/api/health/live`)).ok, {
      timeoutMs: 120_000,
      process: worker,
    })
  } catch (error) {
    await worker.stop()
    throw error
  }
  return worker
}

/**
 * Runs the Worker's scheduled handler once, as Cloudflare does for `[triggers] crons`: wrangler dev
 * (with --test-scheduled) answers /cdn-cgi/local/scheduled only after the handler has finished.
 */
export async function fireCron(port: number, cron = '* * * * *'): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`)
  await response.body?.cancel()
  if (!response.ok) throw new Error(`the scheduled handler failed (HTTP ${response.status})`)
}

function withoutNodeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_ENV: _nodeEnv, ...rest } = env
  return rest
}
