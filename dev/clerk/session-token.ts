import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import type { SigningKey } from './signing-key.ts'

/**
 * Claims of a Clerk v2 session token (https://clerk.com/docs/guides/sessions/session-tokens), plus the
 * `role` claim Clerk's Supabase integration adds so PostgREST runs queries as `authenticated`.
 */
export type SessionTokenClaims = {
  azp: string
  exp: number
  /** Minutes since the first and second factor were verified; -1: no second factor. */
  fva: [number, number]
  iat: number
  iss: string
  jti: string
  nbf: number
  role: 'authenticated'
  sid: string
  sts: 'active'
  sub: string
  v: 2
}

export type SessionTokenRequest = {
  userId: string
  sessionId: string
  /** When the session signed in (ms): the first factor was verified then. */
  sessionCreatedAt: number
  issuer: string
  authorizedParty: string
  lifetimeSeconds: number
  now?: number
}

// Clerk back-dates nbf by its default "allowed clock skew" so slightly slow clocks accept fresh tokens.
const ALLOWED_CLOCK_SKEW_SECONDS = 10

export function sessionTokenClaims(request: SessionTokenRequest): SessionTokenClaims {
  const now = request.now ?? Date.now()
  const iat = Math.floor(now / 1000)
  return {
    azp: request.authorizedParty,
    exp: iat + request.lifetimeSeconds,
    fva: [Math.max(0, Math.floor((now - request.sessionCreatedAt) / 60_000)), -1],
    iat,
    iss: request.issuer,
    jti: randomBytes(10).toString('hex'),
    nbf: iat - ALLOWED_CLOCK_SKEW_SECONDS,
    role: 'authenticated',
    sid: request.sessionId,
    sts: 'active',
    sub: request.userId,
    v: 2,
  }
}

export async function signSessionToken(key: SigningKey, claims: SessionTokenClaims): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey)
}
