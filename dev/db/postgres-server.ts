import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import postgres from 'postgres'
import { freePort, startProcess, waitUntil } from '../process.ts'
import type { RunningDatabase } from './database.ts'

/** Directory holding initdb and postgres: PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH. */
function findPostgresBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0]) return join(root, versions[0], 'bin')
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error(
      'SELLERSYNC_DB=postgres needs PostgreSQL server binaries (initdb, postgres). ' +
        'Install them (Debian: apt-get install postgresql), set PG_BIN to their directory, or set DATABASE_URL.',
    )
  }
}

/** Postgres refuses to run as root; when we are root, run it as the `postgres` system user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
    return { uid, gid }
  } catch {
    throw new Error('Running as root, PostgreSQL needs a "postgres" system user (Debian\'s postgresql package creates it).')
  }
}

/** The server runs as `postgres`: every directory above its data directory must let that user pass. */
function assertReachableBy(dir: string, user: { uid: number; gid: number }) {
  try {
    execFileSync('test', ['-x', dirname(dir)], { ...user })
  } catch {
    throw new Error(
      `PostgreSQL runs as the postgres user and cannot reach ${dir}: give the directories above it o+x ` +
        '(chmod o+x), or choose a state directory under a world-traversable path (SELLERSYNC_STATE_DIR).',
    )
  }
}

async function acceptsConnections(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} })
  try {
    await sql`select 1`
    return true
  } finally {
    await sql.end({ timeout: 1 })
  }
}

/**
 * A private PostgreSQL server on 127.0.0.1: initdb into `dataDir` (a temporary directory when null,
 * removed on stop), trust authentication on loopback only, then `postgres` as our child process.
 */
export async function startPostgresServer({ dataDir, port }: { dataDir: string | null; port?: number }): Promise<RunningDatabase> {
  const bin = findPostgresBinaries()
  const user = serverUser()
  const throwaway = dataDir === null
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sellersync-pg-'))
  mkdirSync(dir, { recursive: true })
  if (user) chownSync(dir, user.uid, user.gid)
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    if (user) assertReachableBy(dir, user)
    execFileSync(
      join(bin, 'initdb'),
      ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      { stdio: 'pipe', ...user },
    )
  }
  const listenPort = port ?? (await freePort())
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`]
  // A throwaway test database need not survive a crash: skip the disk flushes.
  if (throwaway) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
  const server = startProcess('postgres', join(bin, 'postgres'), ['-D', dir, '-p', String(listenPort), ...settings], {
    ...user,
    stopSignal: 'SIGINT', // fast shutdown: roll back open transactions instead of waiting for clients
  })
  const adminUrl = `postgres://postgres@127.0.0.1:${listenPort}/postgres`
  try {
    await waitUntil('PostgreSQL', () => acceptsConnections(adminUrl), { process: server })
  } catch (error) {
    await server.stop()
    throw error
  }
  return {
    mode: 'postgres',
    adminUrl,
    postgrestUrl: `postgres://authenticator@127.0.0.1:${listenPort}/postgres`,
    postgrestSettings: {},
    async stop() {
      await server.stop()
      if (throwaway) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * An existing PostgreSQL server given as a superuser URL. PostgREST logs in as `authenticator`
 * with a password we set at each start, so no password is stored anywhere.
 */
export async function connectExternalPostgres(url: string): Promise<RunningDatabase> {
  const parsed = new URL(url)
  await waitUntil('PostgreSQL at DATABASE_URL', () => acceptsConnections(url), { timeoutMs: 10_000 })
  const authenticatorPassword = randomBytes(18).toString('base64url')
  parsed.username = 'authenticator'
  parsed.password = authenticatorPassword
  return {
    mode: 'postgres',
    adminUrl: url,
    postgrestUrl: parsed.toString(),
    postgrestSettings: {},
    authenticatorPassword,
    async stop() {},
  }
}
