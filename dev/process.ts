import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createServer } from 'node:net'

/** A child process of the local stack, stopped with SIGTERM and, if it lingers, SIGKILL. */
export type ManagedProcess = {
  name: string
  child: ChildProcess
  /** Resolves with the exit code (null when killed by a signal or it failed to spawn). */
  exited: Promise<number | null>
  /** The last lines it printed, for error messages when it fails to start. */
  recentOutput(): string
  stop(): Promise<void>
}

const running = new Set<ManagedProcess>()

/** Signals a child's whole process group: wrangler, for one, runs workerd as grandchildren. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal)
    return true
  } catch {
    return false
  }
}

// Last resort: if our process exits without calling stop(), take the children with it.
process.on('exit', () => {
  for (const managed of running) signalGroup(managed.child, 'SIGKILL')
})

export type StartOptions = SpawnOptions & {
  /** Called with each line the process prints (stdout and stderr). */
  onLine?: (line: string) => void
  /** How to ask it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals
}

export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): ManagedProcess {
  const { onLine, stopSignal = 'SIGTERM', ...spawnOptions } = options
  // Its own process group, so stop() reaches every descendant, not just the direct child.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...spawnOptions })
  const output: string[] = []
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8')
    let partial = ''
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) {
        output.push(line)
        if (output.length > 200) output.shift()
        onLine?.(line)
      }
    })
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code))
    child.on('error', (error) => {
      output.push(String(error))
      resolve(null)
    })
  })
  const managed: ManagedProcess = {
    name,
    child,
    exited,
    recentOutput: () => output.slice(-20).join('\n'),
    async stop() {
      running.delete(managed)
      if (child.pid === undefined || !signalGroup(child, stopSignal)) return
      // Wait for the whole group to go, not just the leader; after 5 s, force it.
      const deadline = Date.now() + 5_000
      while (signalGroup(child, 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      signalGroup(child, 'SIGKILL')
      await exited
    },
  }
  running.add(managed)
  void exited.then(() => running.delete(managed))
  return managed
}

export async function stopAll(processes: Iterable<ManagedProcess>): Promise<void> {
  await Promise.all([...processes].map((p) => p.stop()))
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Polls `check` until it returns true, the process exits, or the deadline passes. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 30_000, process: managed }: { timeoutMs?: number; process?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitedEarly = false
  void managed?.exited.then(() => (exitedEarly = true))
  let delay = 25
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return
    if (exitedEarly) {
      throw new Error(`${what}: the process exited before it was ready.\n${managed?.recentOutput() ?? ''}`)
    }
    await new Promise((r) => setTimeout(r, delay))
    delay = Math.min(delay * 2, 250)
  }
  throw new Error(`${what}: not ready after ${timeoutMs / 1000} s.\n${managed?.recentOutput() ?? ''}`)
}
