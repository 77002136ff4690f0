import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startProcess } from '../../dev/process.ts'

const root = new URL('../../', import.meta.url).pathname
const wranglerBin = join(root, 'node_modules/.bin/wrangler')
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

/**
 * wrangler.toml for a copy of the Worker in `dir`: `main` replaced, the static assets left out (the
 * bench calls no page). Bindings, Durable Object migrations, the queue and its consumer settings stay
 * exactly as configured.
 */
function benchConfig(main: string): string {
  const lines = readFileSync(join(root, 'wrangler.toml'), 'utf8').split('\n')
  const out: string[] = []
  let inAssets = false
  for (const line of lines) {
    if (/^\s*\[/.test(line)) inAssets = /^\s*\[assets\]\s*$/.test(line)
    if (inAssets) continue
    out.push(/^\s*main\s*=/.test(line) ? `main = ${JSON.stringify(main)}` : line)
  }
  return out.join('\n')
}

/**
 * Bundles the Worker as it is now (`wrangler deploy --dry-run`) into `dir` and writes a config that runs
 * that bundle. `wrangler dev` watches its sources and reloads on every save: run on the repository, a
 * teammate's edit mid-run restarts the Worker, drops the in-flight batch and its Durable Objects, and the
 * bench would measure that instead (seen: 100 extra LWA calls after a reload). The snapshot has nothing
 * anyone edits. Returns the config path.
 */
export async function snapshotWorker(dir: string): Promise<string> {
  const buildConfig = join(dir, 'wrangler.build.toml')
  writeFileSync(buildConfig, benchConfig(join(root, 'worker/src/index.ts')))
  const build = startProcess('wrangler build', wranglerBin, ['deploy', '--dry-run', '--outdir', join(dir, 'bundle'), '--config', buildConfig], {
    cwd: dir,
    env: wranglerEnv,
  })
  if ((await build.exited) !== 0) throw new Error(`bundling the Worker failed:\n${build.recentOutput()}`)
  const config = join(dir, 'wrangler.toml')
  writeFileSync(config, benchConfig(join(dir, 'bundle/index.js')))
  return config
}
