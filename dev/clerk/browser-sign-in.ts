import { z } from 'zod'
import { ClerkApiError, parseClerkParams } from './clerk-errors.ts'
import type { ClerkInstance } from './clerk-instance.ts'
import type { ClerkUser } from './users.ts'

/**
 * Dev-only sign-in for the dashboard's local build (`NEXT_PUBLIC_AUTH=local`), standing in for what
 * Clerk's Frontend API and hosted components do in production. No password, no email code: whoever can
 * reach the stand-in (bound to 127.0.0.1) can sign in as anyone. Never part of a real deployment.
 *
 *   POST /__dev/browser/sign-in              { email, first_name? } → { user, session_id, jwt }
 *        finds the user by email or creates one (which delivers `user.created`, as today)
 *   POST /__dev/browser/sessions/:id/tokens  → { jwt }     a fresh session token (the app refreshes ~50 s)
 *   POST /__dev/browser/sessions/:id/end     → { session } revokes the session (sign out)
 *
 * Browsers may call these only from the authorized party's origin (CORS); a request carrying any other
 * Origin is refused, so another site cannot make a visitor's browser create users here.
 */
export const BROWSER_PATH_PREFIX = '/__dev/browser/'

const signInSchema = z.object({
  email: z.email(),
  first_name: z.string().trim().min(1).max(256).optional(),
})

export type BrowserSignIn = { user: ClerkUser; session_id: string; jwt: string }

export async function browserSignIn(instance: ClerkInstance, body: unknown): Promise<BrowserSignIn> {
  const { email, first_name } = parseClerkParams(signInSchema, body)
  const existing = instance.listUsers({ email_address: [email], limit: 1 })[0]
  const user = existing ?? (await instance.createUser({ email_address: [email], first_name: first_name ?? null }))
  const session = instance.createSession(user.id)
  const jwt = await instance.mintSessionToken(session.id)
  return { user: instance.getUser(user.id), session_id: session.id, jwt }
}

/**
 * CORS for the browser paths: the headers to add to the reply (none for a request without Origin, which
 * is no browser's); a request from any origin other than the authorized party's is refused with a 403.
 */
export function browserCorsHeaders(origin: string | undefined, authorizedParty: string): Record<string, string> {
  if (origin === undefined) return {} // not a browser (tests, curl): nothing to allow
  if (origin !== new URL(authorizedParty).origin) {
    throw new ClerkApiError(403, [
      {
        message: 'origin not allowed',
        long_message: `Browser sign-in is only available to ${new URL(authorizedParty).origin}.`,
        code: 'origin_invalid',
      },
    ])
  }
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
    vary: 'Origin',
  }
}
