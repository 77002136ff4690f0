// `npm run types:worker`: regenerates worker/worker-configuration.d.ts, the Worker's `Env` (its Durable
// Object and Queue bindings), from wrangler.toml with `wrangler types`. `npm run types:check` (CI) runs this
// with --check and fails when the checked-in file differs from a fresh generation.
//
// Only the bindings come from here: runtime types stay @cloudflare/workers-types (worker/tsconfig.json), and
// vars and secrets are not in wrangler.toml, so their names and rules stay in the zod schemas of
// worker/src/env.ts. `--env-file=/dev/null` keeps a developer's .dev.vars out of the generated file, which
// is then the same on every machine. Offline: wrangler reads the config and writes the file, nothing else.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { checkOnly, repoRoot, run, writeOrCheck } from './generated-file.ts'

const OUTPUT = 'worker/worker-configuration.d.ts'
const WRANGLER_ARGS = ['types', '--env-file=/dev/null', '--include-runtime=false']

/** What `wrangler types` writes for `target` (a path relative to the repository, next to OUTPUT). */
function wranglerTypes(target: string): string {
  const wrangler = join(repoRoot, 'node_modules/wrangler/bin/wrangler.js')
  const result = spawnSync(process.execPath, [wrangler, ...WRANGLER_ARGS, target], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  if (result.status !== 0) {
    throw new Error(`wrangler types failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`)
  }
  return readFileSync(join(repoRoot, target), 'utf8')
}

await run('types:worker', async () => {
  if (!checkOnly) {
    // wrangler writes the file itself; writeOrCheck rewrites the same text and reports it.
    writeOrCheck(join(repoRoot, OUTPUT), wranglerTypes(OUTPUT), 'npm run types:worker')
    return
  }
  // Generated next to the checked-in file (relative imports come out the same), then compared with the
  // temporary name in wrangler's header line put back to the real one.
  const scratch = `worker/.worker-configuration.check-${process.pid}.d.ts`
  try {
    const fresh = wranglerTypes(scratch).replace(scratch, OUTPUT)
    writeOrCheck(join(repoRoot, OUTPUT), fresh, 'npm run types:worker')
  } finally {
    rmSync(join(repoRoot, scratch), { force: true })
  }
})
