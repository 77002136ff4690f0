import { verifyToken } from '@clerk/backend'
import { TokenVerificationError } from '@clerk/backend/errors'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../app-env.ts'
import { parseConfig } from '../env.ts'
import { errorResponse } from '../errors.ts'
import { charge } from './rate-limit.ts'

/** Clerk's default leeway for exp/nbf/iat, so a client clock a few seconds off still works. */
const CLOCK_SKEW_MS = 5_000

/**
 * A 401, counted against the client address's `auth_failures` quota: past it the answer is a 429, so a
 * client cycling through tokens is slowed down. Only failures count, so a valid token is never refused
 * because others behind the same address (NAT) keep failing.
 */
async function unauthorized(c: Context<AppEnv>, reason: string, message: string) {
  const charged = await charge(c, 'auth_failures')
  if (charged?.refused) return charged.refused
  // RFC 6750: tell the client which scheme to use and that the token was the problem.
  c.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${reason}"`)
  for (const [name, value] of Object.entries(charged?.headers ?? {})) c.header(name, value)
  return errorResponse(c, 401, 'unauthorized', message, { reason })
}

/**
 * Requires `Authorization: Bearer <Clerk session token>`, verified without a network call against
 * the PEM public key, with `azp` checked against the configured origins. A failure is a 401 with a
 * reason code (a 429 once the client address has failed too often), never a redirect. On success the
 * user id, session id and token are on the context.
 */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const config = parseConfig(c.env)
  const header = c.req.header('authorization')
  if (!header) return unauthorized(c, 'missing-token', 'Sign in first: send your Clerk session token as Authorization: Bearer <token>.')
  const token = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i.exec(header)?.[1]
  if (!token) return unauthorized(c, 'malformed-authorization', 'The Authorization header must be "Bearer <session token>".')

  let claims: { sub?: unknown; sid?: unknown }
  try {
    claims = await verifyToken(token, {
      jwtKey: config.CLERK_JWT_KEY,
      authorizedParties: config.CLERK_AUTHORIZED_PARTIES,
      clockSkewInMs: CLOCK_SKEW_MS,
    })
  } catch (error) {
    const reason = error instanceof TokenVerificationError ? error.reason : 'token-invalid'
    return unauthorized(c, reason, 'Your session token is not valid; sign in again.')
  }
  const { sub, sid } = claims
  if (typeof sub !== 'string' || typeof sid !== 'string' || !sub || !sid) {
    return unauthorized(c, 'token-invalid', 'Your session token is not valid; sign in again.')
  }
  c.set('userId', sub)
  c.set('sessionId', sid)
  c.set('sessionToken', token)
  await next()
})
