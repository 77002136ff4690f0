import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { signIn, signedWebhook, type ClerkUser } from './support/clerk.ts'
import { serviceClient } from './support/db.ts'

const secret = (env as unknown as Record<string, string>).CLERK_WEBHOOK_SECRET!
const db = serviceClient()

function deliver(delivery: { headers: Record<string, string>; body: string }) {
  return SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body })
}

function clerkUser(overrides: Partial<ClerkUser> = {}): ClerkUser {
  const id = `user_${crypto.randomUUID().replaceAll('-', '')}`
  return {
    id,
    first_name: 'Grace',
    last_name: 'Hopper',
    image_url: 'https://img.clerk.com/grace.png',
    updated_at: 1_700_000_000_000,
    primary_email_address_id: 'idn_primary',
    email_addresses: [
      { id: 'idn_other', email_address: 'other@example.com' },
      { id: 'idn_primary', email_address: 'grace@example.com' },
    ],
    ...overrides,
  }
}

async function storedUser(id: string) {
  const { data, error } = await db.from('users').select('*').eq('id', id).maybeSingle()
  if (error) throw new Error(error.message)
  return data as { id: string; email: string; first_name: string; clerk_updated_at: number } | null
}

async function outcome(response: Response) {
  expect(response.status).toBe(200)
  return ((await response.json()) as { outcome: string }).outcome
}

describe('POST /api/webhooks/clerk', () => {
  it('creates the user from user.created, with the primary email', async () => {
    const user = clerkUser()
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.created', data: user })))).toBe('applied')
    expect(await storedUser(user.id)).toMatchObject({ email: 'grace@example.com', first_name: 'Grace', clerk_updated_at: 1_700_000_000_000 })
  })

  it('acknowledges a replayed svix-id without changing anything', async () => {
    const user = clerkUser()
    const first = signedWebhook(secret, { type: 'user.created', data: user })
    expect(await outcome(await deliver(first))).toBe('applied')
    await db.from('users').update({ first_name: 'Changed since' }).eq('id', user.id)

    expect(await outcome(await deliver(first))).toBe('duplicate')
    expect((await storedUser(user.id))?.first_name).toBe('Changed since')
  })

  it('never lets an older event overwrite a newer one (out-of-order delivery)', async () => {
    const user = clerkUser()
    await deliver(signedWebhook(secret, { type: 'user.created', data: user }))
    const newer = { ...user, first_name: 'Newer', updated_at: user.updated_at + 2_000 }
    const older = { ...user, first_name: 'Older', updated_at: user.updated_at + 1_000 }

    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.updated', data: newer })))).toBe('applied')
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.updated', data: older })))).toBe('stale')
    expect(await storedUser(user.id)).toMatchObject({ first_name: 'Newer', clerk_updated_at: user.updated_at + 2_000 })
  })

  it('deletes the user and, by cascade, their accounts and credentials', async () => {
    const user = clerkUser()
    await deliver(signedWebhook(secret, { type: 'user.created', data: user }))
    const { data: grant, error: grantError } = await db
      .from('amazon_grants')
      .insert({ user_id: user.id, provider: 'sp_api', region: 'na', refresh_token: 'gAAAAA-test', fernet_key_id: 'test' })
      .select('id')
      .single()
    expect(grantError).toBeNull()
    const { data: account, error } = await db
      .from('user_accounts')
      .insert({ user_id: user.id, provider: 'sp_api', region: 'na', external_id: 'A1SELLER', grant_id: grant!.id })
      .select('id')
      .single()
    expect(error).toBeNull()

    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.deleted', data: { id: user.id, object: 'user', deleted: true } })))).toBe('applied')
    expect(await storedUser(user.id)).toBeNull()
    expect((await db.from('user_accounts').select('id').eq('id', account!.id)).data).toEqual([])
    expect((await db.from('amazon_grants').select('id').eq('id', grant!.id)).data).toEqual([])
  })

  it('keeps a deleted user deleted when an update sent before the delete arrives after it', async () => {
    const user = clerkUser()
    await deliver(signedWebhook(secret, { type: 'user.created', data: user }))
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.deleted', data: { id: user.id, object: 'user', deleted: true } })))).toBe('applied')

    const late = { ...user, first_name: 'Late', updated_at: user.updated_at + 1_000 }
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.updated', data: late })))).toBe('stale')
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.created', data: user })))).toBe('stale')
    expect(await storedUser(user.id)).toBeNull()
    // A second delete (Svix retries, or a replay) is harmless.
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.deleted', data: { id: user.id, object: 'user', deleted: true } })))).toBe('applied')
  })

  it('acknowledges and ignores event types it does not use', async () => {
    const response = await deliver(signedWebhook(secret, { type: 'organization.created', data: { id: 'org_1' } }))
    expect(await outcome(response)).toBe('ignored')
  })

  it('rejects a bad signature and writes nothing', async () => {
    const user = clerkUser()
    const delivery = signedWebhook('whsec_' + btoa('a different secret, 32 bytes long'), { type: 'user.created', data: user })
    const response = await deliver(delivery)
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_signature')
    expect(await storedUser(user.id)).toBeNull()
  })

  it('rejects a body changed after signing', async () => {
    const user = clerkUser()
    const delivery = signedWebhook(secret, { type: 'user.created', data: user })
    const response = await deliver({ ...delivery, body: delivery.body.replace('Grace', 'Mallory') })
    expect(response.status).toBe(401)
    expect(await storedUser(user.id)).toBeNull()
  })

  it('rejects a timestamp older than five minutes (replay window)', async () => {
    const user = clerkUser()
    const response = await deliver(signedWebhook(secret, { type: 'user.created', data: user }, { at: new Date(Date.now() - 6 * 60_000) }))
    expect(response.status).toBe(401)
    expect(await storedUser(user.id)).toBeNull()
  })

  it('rejects a delivery without Svix headers with a 400 naming them', async () => {
    const response = await SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.message).toContain('svix-id')
  })

  it('rejects a signed body that is not JSON', async () => {
    const id = `msg_${crypto.randomUUID()}`
    const at = new Date()
    const { Webhook } = await import('svix')
    const body = 'not json'
    const headers = { 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': new Webhook(secret).sign(id, at, body) }
    const response = await deliver({ headers, body })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json')
  })

  it('acknowledges a known event missing the fields we need (Svix would retry a 4xx for days), writes nothing, and accepts the fixed redelivery', async () => {
    const user = clerkUser()
    const { updated_at: _dropped, ...incomplete } = user
    const broken = signedWebhook(secret, { type: 'user.created', data: incomplete })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const response = await deliver(broken)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      received: true,
      outcome: 'invalid',
      issues: [{ path: 'data.updated_at', message: expect.any(String) }],
    })
    expect(await storedUser(user.id)).toBeNull()
    // The reason is logged by field, never with the profile's values.
    const logged = JSON.stringify(warn.mock.calls)
    expect(logged).toContain('user.created not applied')
    expect(logged).toContain('data.updated_at')
    for (const value of [user.id, 'grace@example.com', 'Grace', 'Hopper']) expect(logged).not.toContain(value)
    warn.mockRestore()
    // The failed id was not recorded, so a corrected delivery under the same id is processed.
    expect(await outcome(await deliver(signedWebhook(secret, { type: 'user.created', data: user }, { id: broken.id })))).toBe('applied')
  })

  it('keeps the profile served by /api/me in step with Clerk updates', async () => {
    const { user, token } = await signIn('lin@example.com', 'Lin')
    await deliver(signedWebhook(secret, { type: 'user.created', data: user }))
    await deliver(signedWebhook(secret, { type: 'user.updated', data: { ...user, first_name: 'Lina', updated_at: user.updated_at + 1 } }))
    const me = await SELF.fetch('http://localhost/api/me', { headers: { authorization: `Bearer ${token}` } })
    expect(await me.json()).toMatchObject({ id: user.id, first_name: 'Lina', email: 'lin@example.com' })
  })
})
