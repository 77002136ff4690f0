// Signs a user in against the Clerk stand-in through its Backend API, the way a test stands in for a
// browser: create the user, open a session, mint session tokens (RS256, with `role: authenticated`).
import { randomBytes } from 'node:crypto'

export type ClerkUser = {
  id: string
  first_name: string | null
  last_name: string | null
  image_url: string | null
  updated_at: number
  email_addresses: Array<{ email_address: string }>
}

export type ClerkSession = {
  user: ClerkUser
  sessionId: string
  /** A valid session token; minted again shortly before the previous one expires (Clerk's default is 60 s). */
  getToken(): Promise<string>
}

export async function createClerkSession(
  clerkUrl: string,
  secretKey: string,
  { firstName, email }: { firstName: string; email?: string },
): Promise<ClerkSession> {
  const backendApi = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(new URL(path, clerkUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`Clerk stand-in ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }

  const address = email ?? `${firstName.toLowerCase()}-${randomBytes(6).toString('hex')}@example.com`
  const user = await backendApi<ClerkUser>('/v1/users', { email_address: [address], first_name: firstName })
  const session = await backendApi<{ id: string }>('/v1/sessions', { user_id: user.id })

  let cached: { jwt: string; expiresAt: number } | undefined
  const getToken = async () => {
    if (!cached || cached.expiresAt - Date.now() < 15_000) {
      const { jwt } = await backendApi<{ jwt: string }>(`/v1/sessions/${session.id}/tokens`, {})
      const { exp } = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }
      cached = { jwt, expiresAt: exp * 1000 }
    }
    return cached.jwt
  }
  await getToken()
  return { user, sessionId: session.id, getToken }
}
