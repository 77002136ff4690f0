import { SignJWT } from 'jose'

/** Long enough for one request's database calls, short enough that nothing is worth stealing. */
const LIFETIME_SECONDS = 60

/**
 * A token PostgREST accepts for an API-key caller, who has no Clerk session token to forward: signed
 * with the project's JWT secret (as Supabase's own anon and service keys are), `sub` the key's user and
 * `role` authenticated, so row-level security applies exactly as for that user's session.
 */
export function databaseTokenFor(userId: string, jwtSecret: string): Promise<string> {
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(new TextEncoder().encode(jwtSecret))
}
