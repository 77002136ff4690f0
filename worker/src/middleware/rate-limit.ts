import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { RateLimitDecision } from '../durable/user-rate-limiter.ts'
import { ConfigError } from '../env.ts'
import { errorResponse } from '../errors.ts'
import { type RateLimitGroup, type RateLimitPolicy, rateLimitPolicies } from '../rate-limit-policy.ts'

/**
 * Who is being limited: an API key by its id, the signed-in user when the session middleware ran, else
 * the client address.
 * On Cloudflare `cf-connecting-ip` is always set by the edge (a client cannot forge it); the
 * x-forwarded-for fallback only matters locally and behind other proxies.
 */
function callerKey(c: Context<AppEnv>): string {
  if (c.var.credential?.kind === 'api_key') return `key:${c.var.credential.keyId}`
  const userId = c.var.userId
  if (userId) return `user:${userId}`
  const address =
    c.req.header('cf-connecting-ip')?.trim() || c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown'
  return `ip:${address}`
}

/** An RFC 9651 String: the policy names are plain identifiers, but quote them properly anyway. */
function sfString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** Header fields per draft-ietf-httpapi-ratelimit-headers-11 ("RateLimit header fields for HTTP"). */
function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<string, string> {
  const name = sfString(policy.name)
  return {
    'RateLimit-Policy': `${name};q=${policy.limit};w=${policy.windowSeconds}`,
    RateLimit: `${name};r=${decision.remaining};t=${decision.resetSeconds}`,
  }
}

/** The outcome of charging one request: refused (the 429 to answer), admitted (headers to add), or unknown. */
export type Charge = { refused: Response } | { refused: null; headers: Record<string, string> } | null

/**
 * Charges one request to the caller under the group's policy (RATE_LIMITS var merged over the
 * defaults). Refused is a 429 in the app's error shape with `Retry-After` and the RateLimit headers;
 * null when the limiter could not be asked (fail open).
 */
export async function charge(c: Context<AppEnv>, group: RateLimitGroup): Promise<Charge> {
  // Outside the fail-open below: a bad RATE_LIMITS or a missing binding is a deployment mistake that
  // should surface (503 config_invalid via the app's onError), not quietly disable limiting.
  const policy = rateLimitPolicies(c.env.RATE_LIMITS)[group]
  const limiters = c.env.USER_RATE_LIMITER
  if (!limiters) throw new ConfigError(['USER_RATE_LIMITER is missing (Durable Object binding)'])

  let decision: RateLimitDecision
  try {
    decision = await limiters.getByName(callerKey(c)).consume(policy)
  } catch (error) {
    // Fail open: limiting protects capacity, it is not access control (sessions and RLS still guard
    // every byte), so an unreachable or overloaded limiter should not take the whole API down.
    // Log no caller key: user ids and IP addresses are personal data.
    console.warn(`rate limiter unavailable for group ${group}; admitting the request:`, (error as Error)?.message)
    return null
  }

  const headers = rateLimitHeaders(policy, decision)
  if (decision.allowed) return { refused: null, headers }
  const seconds = decision.retryAfterSeconds ?? decision.resetSeconds
  const response = errorResponse(c, 429, 'rate_limited', `Too many requests; retry in ${seconds} s.`, {
    retryAfterSeconds: seconds,
  })
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
  response.headers.set('Retry-After', String(seconds))
  return { refused: response }
}

/**
 * Limits requests per caller under the group's policy. Admitted responses carry `RateLimit` and
 * `RateLimit-Policy`; refused ones are a 429 with `Retry-After` as well.
 */
export function rateLimit(group: RateLimitGroup): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // A script's key has its own quota, apart from its user's dashboard and from other keys.
    const charged = await charge(c, c.var.credential?.kind === 'api_key' ? 'api_key' : group)
    if (charged?.refused) return charged.refused
    await next()
    if (!charged) return
    // After the handler, on whatever response it produced: c.header() copies a Response returned
    // as-is (e.g. a proxied fetch, whose headers are immutable) before changing it. Appended: the
    // Amazon proxy states the operation's own policy in the same fields.
    for (const [name, value] of Object.entries(charged.headers)) c.header(name, value, { append: true })
  }
}
