import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A pass-through HTTP proxy on 127.0.0.1 that counts requests by `METHOD /path` (no query): the Worker's
 * SUPABASE_URL points here, in front of the local Supabase gateway, so every PostgREST round trip the
 * token engine makes is counted without touching the gateway or the Worker. Bodies are buffered (they are
 * small) so a request that meets a keep-alive socket the upstream just closed can be sent again once.
 */
export type CountingProxy = {
  url: string
  /** Requests per `METHOD /path` since the last reset. */
  counts(): Map<string, number>
  total(): number
  reset(): void
  stop(): Promise<void>
}

export async function startCountingProxy(upstreamUrl: string): Promise<CountingProxy> {
  const upstream = new URL(upstreamUrl)
  // Idle sockets are dropped before the gateway's own 1 s keep-alive timeout would close them under us.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, timeout: 500 })
  let counts = new Map<string, number>()

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, headers: IncomingHttpHeaders, retried: boolean) => {
    const proxied = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.pipe(res)
    })
    proxied.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && proxied.reusedSocket && error.code === 'ECONNRESET') return forward(req, res, body, headers, true)
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: 'counting proxy: upstream failed' }))
      } else res.destroy()
    })
    proxied.end(body)
  }

  const server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://proxy').pathname}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host }
      forward(req, res, Buffer.concat(chunks), headers, false)
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    reset: () => {
      counts = new Map()
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      }),
  }
}
