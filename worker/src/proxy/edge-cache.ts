import { MAX_CACHE_AGE_S } from './proxy-options.ts'

/** When the answer was stored, in ms since the epoch: each reader checks it against its own max-age. */
const STORED_AT_HEADER = 'x-sellersync-stored-at'

/**
 * Answers to GETs a caller asked to cache (`Cache-Control: max-age=N`), in the data center's Cache API.
 * The key is the account and Amazon path with query, under a host that cannot exist, so an entry is
 * only ever read for the same account — and the route checks the caller owns it before reading.
 */
export function cacheKey(accountId: string, pathAndQuery: string): Request {
  return new Request(`https://proxy-cache.sellersync.invalid/${accountId}${pathAndQuery}`)
}

/** A stored answer no older than `maxAgeS`, without our bookkeeping header. */
export async function cachedAnswer(key: Request, maxAgeS: number, now: number): Promise<Response | undefined> {
  const hit = await caches.default.match(key)
  if (!hit) return undefined
  const storedAt = Number(hit.headers.get(STORED_AT_HEADER))
  if (!(now - storedAt <= maxAgeS * 1000)) {
    await hit.body?.cancel()
    return undefined
  }
  const headers = new Headers(hit.headers)
  headers.delete(STORED_AT_HEADER)
  headers.delete('cache-control')
  return new Response(hit.body, { status: hit.status, headers })
}

/** Stores a copy of `response` (a 200) for the longest age anyone may ask; returns the caller's copy. */
export function storeAnswer(key: Request, response: Response, now: number, waitUntil: (promise: Promise<unknown>) => void): Response {
  const [forCaller, forCache] = response.body ? response.body.tee() : [null, null]
  const headers = new Headers(response.headers)
  headers.set(STORED_AT_HEADER, String(now))
  headers.set('cache-control', `max-age=${MAX_CACHE_AGE_S}`)
  waitUntil(caches.default.put(key, new Response(forCache, { status: response.status, headers })))
  return new Response(forCaller, { status: response.status, headers: response.headers })
}
