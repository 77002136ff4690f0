// `node dev/stack.ts` — the whole local product — in a private state directory on free ports, for tests
// and benchmarks that need it end to end without touching a developer's running stack or .dev.vars.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './process.ts'

const root = new URL('../', import.meta.url).pathname

export type IsolatedStack = {
  /** The dashboard and API, as the README prints it: http://localhost:PORT */
  url: string
  port: number
  clerkUrl: string
  amazonUrl: string
  stateDir: string
  /** The environment it runs with, to start another `dev/stack.ts` against the same state. */
  env: NodeJS.ProcessEnv
  process: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** SIGINT, as Ctrl-C, then waits for it to exit and removes the state directory. */
  stop(): Promise<void>
}

export function spawnStack(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['dev/stack.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
}

export type IsolatedStackOptions = {
  timeoutMs?: number
  /** Extra settings of `dev/stack.ts`, e.g. `{ SELLERSYNC_DASHBOARD: 'clerk' }`. */
  env?: NodeJS.ProcessEnv
}

/**
 * Starts it and resolves once it prints "ready", rejecting with its output if it exits or stalls first.
 * Free ports are only free when looked at: two stacks starting at once (test files run in parallel) can
 * race for one, so a start that fails on a port in use is tried again on new ports.
 */
export async function startIsolatedStack(name: string, options: IsolatedStackOptions = {}): Promise<IsolatedStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(name, options)
    } catch (error) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/i.test((error as Error).message)) throw error
    }
  }
}

async function startOnce(name: string, { timeoutMs = 150_000, env: extraEnv = {} }: IsolatedStackOptions): Promise<IsolatedStack> {
  const stateDir = mkdtempSync(join(tmpdir(), `sellersync-${name}-`))
  // Traversable by others: with SELLERSYNC_DB=postgres as root, the server runs as the postgres user inside it.
  chmodSync(stateDir, 0o755)
  const [port, supabasePort, dbPort, clerkPort, amazonPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()])
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    SELLERSYNC_STATE_DIR: stateDir,
    SELLERSYNC_DEV_VARS: join(stateDir, 'dev.vars'),
    SELLERSYNC_PORT: String(port),
    SELLERSYNC_SUPABASE_PORT: String(supabasePort),
    SELLERSYNC_DB_PORT: String(dbPort),
    SELLERSYNC_CLERK_PORT: String(clerkPort),
    SELLERSYNC_AMAZON_PORT: String(amazonPort),
  }
  const child = spawnStack(env)
  let output = ''
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT')
      await exited
    }
    rmSync(stateDir, { recursive: true, force: true })
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev/stack.ts: no "ready" line within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
      const onText = (text: string) => {
        output += text
        if (/ready in [\d.]+ s/.test(output)) (clearTimeout(timer), resolve())
      }
      child.stdout!.setEncoding('utf8').on('data', onText)
      child.stderr!.setEncoding('utf8').on('data', onText)
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`dev/stack.ts exited (${code}):\n${output}`))))
    })
  } catch (error) {
    await stop()
    throw error
  }
  return {
    url: `http://localhost:${port}`,
    port,
    clerkUrl: `http://127.0.0.1:${clerkPort}`,
    amazonUrl: `http://127.0.0.1:${amazonPort}`,
    stateDir,
    env,
    process: child,
    output: () => output,
    stop,
  }
}
