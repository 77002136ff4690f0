import { inject } from 'vitest'
import { Webhook } from 'svix'

/** Calls the Clerk stand-in's Backend API, as a Clerk SDK would. */
async function clerkApi<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${inject('clerkUrl')}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${inject('clerkSecretKey')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`Clerk stand-in ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

export type ClerkUser = {
  id: string
  first_name: string | null
  last_name: string | null
  image_url: string
  updated_at: number
  primary_email_address_id: string
  email_addresses: Array<{ id: string; email_address: string }>
}

/** A Clerk user with an active session and a fresh session token, like a signed-in dashboard user. */
export async function signIn(email = `${crypto.randomUUID()}@example.com`, firstName = 'Ada') {
  const user = await clerkApi<ClerkUser>('/v1/users', { email_address: [email], first_name: firstName, last_name: 'Seller' })
  const session = await clerkApi<{ id: string }>('/v1/sessions', { user_id: user.id })
  const { jwt } = await clerkApi<{ jwt: string }>(`/v1/sessions/${session.id}/tokens`, {})
  return { user, sessionId: session.id, token: jwt }
}

/** A Svix-signed delivery of a Clerk event, exactly as Clerk's webhook sender makes it. */
export function signedWebhook(
  secret: string,
  event: { type: string; data: unknown },
  { id = `msg_${crypto.randomUUID()}`, at = new Date() }: { id?: string; at?: Date } = {},
) {
  const body = JSON.stringify({ ...event, object: 'event', timestamp: at.getTime(), instance_id: 'ins_test' })
  const signature = new Webhook(secret).sign(id, at, body)
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': signature,
    },
  }
}
