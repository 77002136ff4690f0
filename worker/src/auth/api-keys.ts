import { createClerkClient } from '@clerk/backend'
import { isClerkAPIResponseError } from '@clerk/backend/errors'

/** Clerk's Backend API is asked about a given key at most this often; a revoked key stops within it. */
export const API_KEY_CACHE_SECONDS = 60

export type ApiKeyCheck =
  | { valid: true; keyId: string; userId: string; scopes: string[]; expiresAt: number | null }
  | { valid: false; reason: 'unknown' | 'revoked' | 'expired' | 'not_a_user_key' }

/** Clerk's Backend API did not answer (or answered 5xx): nobody can be let in, nor refused for good. */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError'
}

type Cached = { check: ApiKeyCheck; until: number }

/** This isolate's answers, by SHA-256 of the secret (never the secret). Bounded: oldest out first. */
const remembered = new Map<string, Cached>()
const MAX_REMEMBERED = 10_000

/**
 * Whether an `ak_…` secret is a live Clerk API key of a user, and its scopes. Asks Clerk's Backend API
 * (`POST /api_keys/verify`) at most once per key per minute and data center: the answer is kept in this
 * isolate and in the Cache API, keyed by the secret's SHA-256, refusals included.
 */
export async function checkApiKey(secret: string, clerk: { secretKey: string; apiUrl: string }, now = Date.now()): Promise<ApiKeyCheck> {
  const hash = await sha256Hex(secret)
  const local = remembered.get(hash)
  if (local && local.until > now) return local.check

  const cacheKey = new Request(`https://api-key-cache.sellersync.invalid/${hash}`)
  const shared = await caches.default.match(cacheKey)
  if (shared) {
    const cached = (await shared.json()) as Cached
    if (cached.until > now) return remember(hash, cached).check
  }

  const check = await verifyWithClerk(secret, clerk, now)
  // Never trusted past the key's own expiry.
  const until = Math.min(now + API_KEY_CACHE_SECONDS * 1000, (check.valid && check.expiresAt) || Number.POSITIVE_INFINITY)
  const cached = remember(hash, { check, until })
  await caches.default.put(cacheKey, Response.json(cached, { headers: { 'cache-control': `max-age=${API_KEY_CACHE_SECONDS}` } }))
  return cached.check
}

async function verifyWithClerk(secret: string, clerk: { secretKey: string; apiUrl: string }, now: number): Promise<ApiKeyCheck> {
  let key
  try {
    key = await createClerkClient({ secretKey: clerk.secretKey, apiUrl: clerk.apiUrl }).apiKeys.verify(secret)
  } catch (error) {
    // 400/404: Clerk looked at the key and refused it. Anything else (our secret key refused, Clerk
    // throttling or failing, no answer) says nothing about the key: nobody is let in, nobody refused for good.
    if (isClerkAPIResponseError(error) && (error.status === 400 || error.status === 404)) return { valid: false, reason: refusalReason(error.errors) }
    throw new AuthUnavailableError('Clerk did not verify the API key')
  }
  if (key.revoked) return { valid: false, reason: 'revoked' }
  if (key.expired || (key.expiration !== null && key.expiration <= now)) return { valid: false, reason: 'expired' }
  // Organization keys act for no one user: this API is per user.
  if (!key.subject.startsWith('user_')) return { valid: false, reason: 'not_a_user_key' }
  return { valid: true, keyId: key.id, userId: key.subject, scopes: key.scopes, expiresAt: key.expiration }
}

/** Clerk says why in its error codes and messages; anything else reads as unknown. */
function refusalReason(errors: ReadonlyArray<{ code: string; message?: string; longMessage?: string }>): 'unknown' | 'revoked' | 'expired' {
  const text = errors.map((error) => `${error.code} ${error.message ?? ''} ${error.longMessage ?? ''}`).join(' ').toLowerCase()
  if (text.includes('revoked')) return 'revoked'
  if (text.includes('expired')) return 'expired'
  return 'unknown'
}

function remember(hash: string, cached: Cached): Cached {
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!)
  remembered.set(hash, cached)
  return cached
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
