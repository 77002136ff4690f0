import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { mkdirSync } from 'node:fs'
import { freePort } from '../process.ts'
import type { RunningDatabase } from './database.ts'

/**
 * Embedded Postgres (PGlite, Postgres compiled to WASM) served over the wire protocol on 127.0.0.1,
 * so PostgREST and postgres.js talk to it exactly as to a server. `dataDir` null keeps it in memory.
 */
export async function startPglite({ dataDir, port }: { dataDir: string | null; port?: number }): Promise<RunningDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const db = await PGlite.create(dataDir ?? undefined)
  const listenPort = port ?? (await freePort())
  // PGlite runs one query at a time; the server multiplexes a few connections onto it.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: listenPort, maxConnections: 8 })
  await server.start()
  const url = `postgres://postgres:postgres@127.0.0.1:${listenPort}/postgres`
  return {
    mode: 'pglite',
    adminUrl: url,
    // PGlite accepts any role/password; PostgREST connects as `authenticator` in name only.
    postgrestUrl: url,
    // PGlite is one backend: PostgREST must not open a pool, prepare statements or LISTEN.
    postgrestSettings: { PGRST_DB_POOL: '1', PGRST_DB_PREPARED_STATEMENTS: 'false', PGRST_DB_CHANNEL_ENABLED: 'false' },
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
