import { verifyToken } from '@clerk/backend'
import { TokenVerificationError } from '@clerk/backend/errors'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv, SessionEnv } from '../app-env.ts'
import { AuthUnavailableError, checkApiKey } from '../auth/api-keys.ts'
import { databaseTokenFor } from '../auth/database-token.ts'
import type { Scope } from '../auth/scopes.ts'
import { type Config, ConfigError, parseConfig } from '../env.ts'
import { errorResponse } from '../errors.ts'
import { charge } from './rate-limit.ts'

/** Clerk's default leeway for exp/nbf/iat, so a client clock a few seconds off still works. */
const CLOCK_SKEW_MS = 5_000

/**
 * A 401, counted against the client address's `auth_failures` quota: past it the answer is a 429, so a
 * client cycling through tokens or keys is slowed down. Only failures count, so a valid credential is
 * never refused because others behind the same address (NAT) keep failing.
 */
async function unauthorized(c: Context<AppEnv>, code: 'unauthorized' | 'api_key_invalid', reason: string, message: string) {
  const charged = await charge(c, 'auth_failures')
  if (charged?.refused) return charged.refused
  // RFC 6750: tell the client which scheme to use and that the token was the problem.
  c.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${reason}"`)
  for (const [name, value] of Object.entries(charged?.headers ?? {})) c.header(name, value)
  return errorResponse(c, 401, code, message, { reason })
}

/**
 * Requires `Authorization: Bearer <credential>`: a Clerk session token (the dashboard), verified without
 * a network call against the PEM public key with `azp` checked, or a Clerk API key (`ak_…`, a script),
 * verified with Clerk's Backend API at most once a minute per key. A failure is a 401 with a reason code
 * (a 429 once the client address has failed too often), never a redirect; Clerk unreachable for a key
 * it has not seen is a 503. On success the context holds the user, the credential, and the token
 * PostgREST will run the caller's queries with.
 */
export const requireCaller = createMiddleware<AppEnv>(async (c, next) => {
  const config = parseConfig(c.env)
  const header = c.req.header('authorization')
  if (!header) return unauthorized(c, 'unauthorized', 'missing-token', 'Sign in first: send your Clerk session token (or an API key) as Authorization: Bearer <token>.')
  const token = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i.exec(header)?.[1]
  if (!token) return unauthorized(c, 'unauthorized', 'malformed-authorization', 'The Authorization header must be "Bearer <session token or API key>".')
  return token.startsWith('ak_') ? apiKeyCaller(c, config, token, next) : sessionCaller(c, config, token, next)
})

async function sessionCaller(c: Context<AppEnv>, config: Config, token: string, next: () => Promise<void>) {
  let claims: { sub?: unknown; sid?: unknown }
  try {
    claims = await verifyToken(token, {
      jwtKey: config.CLERK_JWT_KEY,
      authorizedParties: config.CLERK_AUTHORIZED_PARTIES,
      clockSkewInMs: CLOCK_SKEW_MS,
    })
  } catch (error) {
    const reason = error instanceof TokenVerificationError ? error.reason : 'token-invalid'
    return unauthorized(c, 'unauthorized', reason, 'Your session token is not valid; sign in again.')
  }
  const { sub, sid } = claims
  if (typeof sub !== 'string' || typeof sid !== 'string' || !sub || !sid) {
    return unauthorized(c, 'unauthorized', 'token-invalid', 'Your session token is not valid; sign in again.')
  }
  c.set('userId', sub)
  c.set('credential', { kind: 'session', sessionId: sid })
  c.set('databaseToken', token)
  await next()
}

const API_KEY_REFUSALS = {
  unknown: 'This API key does not exist; check that it was copied whole.',
  revoked: 'This API key was revoked; create a new one on the API keys page.',
  expired: 'This API key has expired; create a new one on the API keys page.',
  not_a_user_key: 'This API key belongs to an organization; sellersync takes keys of a user.',
} as const

async function apiKeyCaller(c: Context<AppEnv>, config: Config, secret: string, next: () => Promise<void>) {
  if (!config.CLERK_SECRET_KEY || !config.SUPABASE_JWT_SECRET) {
    throw new ConfigError(['API keys need CLERK_SECRET_KEY and SUPABASE_JWT_SECRET'])
  }
  let check
  try {
    check = await checkApiKey(secret, { secretKey: config.CLERK_SECRET_KEY, apiUrl: config.CLERK_API_URL })
  } catch (error) {
    if (!(error instanceof AuthUnavailableError)) throw error
    console.warn('Clerk Backend API unavailable: API key not verified')
    return errorResponse(c, 503, 'auth_unavailable', 'API keys cannot be checked right now; try again shortly.')
  }
  if (!check.valid) return unauthorized(c, 'api_key_invalid', check.reason, API_KEY_REFUSALS[check.reason])
  c.set('userId', check.userId)
  c.set('credential', { kind: 'api_key', keyId: check.keyId, scopes: check.scopes })
  c.set('databaseToken', await databaseTokenFor(check.userId, config.SUPABASE_JWT_SECRET))
  await next()
}

/** An API key must carry `scope`; a session may do all its user may. */
export function requireScope(scope: Scope) {
  return createMiddleware<SessionEnv>(async (c, next) => {
    const missing = missingScope(c, scope)
    if (missing) return missing
    await next()
  })
}

/** The 403 for an API key without `scope`, or null when the caller has it. */
export function missingScope(c: Context<SessionEnv>, scope: Scope): Response | null {
  const { credential } = c.var
  if (credential.kind === 'session' || credential.scopes.includes(scope)) return null
  return errorResponse(c, 403, 'insufficient_scope', `This API key lacks the ${scope} scope.`, { scope })
}

/** Routes only a person signed in to the dashboard may use (connecting Amazon, managing keys): never an API key. */
export const sessionOnly = createMiddleware<SessionEnv>(async (c, next) => {
  if (c.var.credential.kind !== 'session') {
    return errorResponse(c, 403, 'session_required', 'This takes a person signed in to the dashboard, not an API key.')
  }
  await next()
})
