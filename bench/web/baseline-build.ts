// bench:web's baseline: the production (Clerk) dashboard as it was at another git revision (default: where this
// branch left main, `git merge-base HEAD main`; BENCH_WEB_BASELINE=<rev> to choose), built into a temporary
// `git worktree add --detach` beside this one, so both builds are measured in the same run.
//
// Dependencies: Next needs a real node_modules resolution from the build directory. A symlink to this checkout's
// node_modules is tried first; Turbopack refuses one that points outside its project root, so the fallback is a
// hard-linked copy (`cp -al`: same files, no download; needs the temporary directory on the checkout's filesystem), and the last resort
// `npm ci --prefer-offline`. The header line bench:web prints says which one built it.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type BaselineBuild = {
  /** What was asked for: the merge-base with main, or BENCH_WEB_BASELINE. */
  revision: string
  /** The commit it names, short. */
  commit: string
  /** The export, as web/out-clerk is for this checkout. */
  outDir: string
  /** How node_modules was provided: symlink, hard-linked copy or npm ci. */
  dependencies: string
  seconds: number
  remove(): void
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  return String(result.stdout).trim()
}

export function buildBaseline(root: string): BaselineBuild {
  const chosen = process.env.BENCH_WEB_BASELINE
  const revision = chosen ? `BENCH_WEB_BASELINE=${chosen}` : 'the merge-base with main'
  const commit = run('git', ['rev-parse', '--short', `${chosen || run('git', ['merge-base', 'HEAD', 'main'], { cwd: root })}^{commit}`], { cwd: root })
  const dir = mkdtempSync(join(tmpdir(), 'sellersync-bench-web-baseline-'))
  run('git', ['worktree', 'add', '--detach', dir, commit], { cwd: root })
  const remove = () => {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root })
    rmSync(dir, { recursive: true, force: true })
    spawnSync('git', ['worktree', 'prune'], { cwd: root })
  }
  try {
    const started = performance.now()
    const build = () =>
      spawnSync(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build', 'web'], {
        cwd: dir,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_AUTH: 'clerk', SELLERSYNC_WEB_OUT: 'out-clerk' },
        encoding: 'utf8',
      })
    const attempts: Array<[string, () => void]> = [
      ['a symlink to this checkout’s node_modules', () => symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))],
      ['a hard-linked copy of this checkout’s node_modules', () => run('cp', ['-al', join(root, 'node_modules'), join(dir, 'node_modules')])],
      ['npm ci --prefer-offline', () => run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir })],
    ]
    const failures: string[] = []
    for (const [dependencies, provide] of attempts) {
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true })
      rmSync(join(dir, 'web/.next'), { recursive: true, force: true })
      provide()
      const result = build()
      if (result.status === 0 && existsSync(join(dir, 'web/out-clerk/accounts/index.html'))) {
        return { revision, commit, outDir: join(dir, 'web/out-clerk'), dependencies, seconds: (performance.now() - started) / 1000, remove }
      }
      failures.push(`with ${dependencies}:\n${result.stdout}\n${result.stderr}`.slice(-3000))
    }
    throw new Error(`the baseline (${revision}, ${commit}) did not build:\n${failures.join('\n')}`)
  } catch (error) {
    remove()
    throw error
  }
}
