import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in for Supabase's API gateway: serves PostgREST under /rest/v1 and, like Supabase,
 * requires an `apikey` header (or query parameter) holding the project's anon or service-role key.
 * A request without Authorization is sent on as `Authorization: Bearer <apikey>`.
 */
export type RunningGateway = { url: string; stop(): Promise<void> }

function reject(res: ServerResponse, status: number, message: string, hint?: string) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(hint ? { message, hint } : { message }))
}

export async function startGateway({
  postgrestUrl,
  apiKeys,
  port = 0,
}: {
  postgrestUrl: string
  apiKeys: string[]
  port?: number
}): Promise<RunningGateway> {
  const upstream = new URL(postgrestUrl)
  const validKeys = new Set(apiKeys)
  // Toward PostgREST the gateway is the client, and the same rule holds: PostgREST (Warp) drops an idle
  // connection after 30–60 s, the gateway drops its own after 5 s (Node's default, stated here).
  const upstreamAgent = new Agent({ keepAlive: true, timeout: 5_000 })

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway')
    if (!url.pathname.startsWith('/rest/v1')) return reject(res, 404, 'no Route matched with those values')
    const apikey = req.headers.apikey ?? url.searchParams.get('apikey')
    if (!apikey) return reject(res, 401, 'No API key found in request', 'No `apikey` request header or url param was found.')
    if (typeof apikey !== 'string' || !validKeys.has(apikey)) return reject(res, 401, 'Invalid API key', 'Double check your Supabase `anon` or `service_role` API key.')

    url.searchParams.delete('apikey')
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: upstream.host }
    delete headers.apikey
    if (!headers.authorization) headers.authorization = `Bearer ${apikey}`
    const path = (url.pathname.slice('/rest/v1'.length) || '/') + url.search
    const proxied = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent: upstreamAgent }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.pipe(res)
    })
    proxied.on('error', () => {
      if (!res.headersSent) reject(res, 502, 'An invalid response was received from the upstream server')
      else res.destroy()
    })
    req.pipe(proxied)
  })
  // An idle keep-alive connection must be closed by its client, never by the gateway. workerd (the Worker,
  // under wrangler dev and in tests) keeps an idle connection about 5 s for its next request. When the
  // gateway closed first (after 1–2 s), a request sent on one at that moment found it gone: workerd's
  // "Network connection lost.", a DatabaseError without a code, `connect_error=database_unavailable`; the
  // busier the machine, the wider that moment. Such a request must not be retried, since it may have
  // committed (an oauth state is consumed once), so the gateway waits far longer than any client, as real
  // gateways do (nginx 75 s by default, Kong 60 s). stop() is no slower: it closes every connection itself.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const { port: listenPort } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${listenPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        upstreamAgent.destroy()
      }),
  }
}
