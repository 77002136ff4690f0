import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims a pid file (created exclusively, so two starts cannot both win) so that a second
 * `npm run dev` fails with a clear message instead of a port clash. A file left behind by a
 * process that no longer runs is taken over. Returns the release function.
 */
export function claimSingleInstance(pidFile: string): () => void {
  mkdirSync(dirname(pidFile), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(pidFile, String(process.pid), { flag: 'wx' })
      return () => {
        if (readFileSync(pidFile, 'utf8') === String(process.pid)) rmSync(pidFile, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number(readFileSync(pidFile, 'utf8'))
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
        throw new Error(
          `sellersync's local stack is already running (pid ${pid}). Use that one, or stop it with Ctrl-C in its terminal (or: kill ${pid}).`,
        )
      }
      rmSync(pidFile, { force: true })
    }
  }
  throw new Error(`Could not claim ${pidFile}; another start is racing this one.`)
}
