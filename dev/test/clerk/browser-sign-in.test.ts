// The Clerk stand-in's dev-only browser sign-in (`/__dev/browser/*`), used by the dashboard's local build.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyToken } from '@clerk/backend'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClerkStandIn, startClerkStandIn } from '../../clerk/server.ts'

const SECRET_KEY = 'sk_test_browser_sign_in_tests'
const AUTHORIZED_PARTY = 'http://localhost:8787'
const WEBHOOK_SECRET = `whsec_${Buffer.from('a webhook secret of thirty-two b').toString('base64')}`

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function startStandIn(webhookUrl?: string): Promise<ClerkStandIn> {
  const standIn = await startClerkStandIn({
    keyDir: null,
    secretKey: SECRET_KEY,
    authorizedParty: AUTHORIZED_PARTY,
    webhook: webhookUrl ? { url: webhookUrl, secret: WEBHOOK_SECRET } : undefined,
  })
  cleanups.push(() => standIn.stop())
  return standIn
}

/** Calls a browser path as the dashboard's page would (Origin: the authorized party) unless told otherwise. */
async function browserCall(standIn: ClerkStandIn, path: string, body?: unknown, origin: string | null = AUTHORIZED_PARTY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (origin !== null) headers.origin = origin
  const response = await fetch(`${standIn.url}${path}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: response.status, headers: response.headers, body: (await response.json()) as any }
}

async function startReceiver() {
  const received: string[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'))
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/clerk`, received }
}

const verify = (standIn: ClerkStandIn, jwt: string) =>
  verifyToken(jwt, { jwtKey: standIn.publicKeyPem, authorizedParties: [AUTHORIZED_PARTY] })

describe('POST /__dev/browser/sign-in', () => {
  it('creates an unknown user (delivering user.created), opens a session and returns a verifiable token', async () => {
    const receiver = await startReceiver()
    const standIn = await startStandIn(receiver.url)
    const signIn = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'New@Example.com', first_name: 'Nia' })

    expect(signIn.status).toBe(200)
    expect(signIn.headers.get('access-control-allow-origin')).toBe(AUTHORIZED_PARTY)
    expect(signIn.body.user).toMatchObject({ object: 'user', first_name: 'Nia', email_addresses: [{ email_address: 'new@example.com' }] })
    expect(signIn.body.user.last_sign_in_at).toEqual(expect.any(Number))
    expect(signIn.body.session_id).toMatch(/^sess_/)
    const claims = await verify(standIn, signIn.body.jwt)
    expect(claims).toMatchObject({ sub: signIn.body.user.id, sid: signIn.body.session_id, azp: AUTHORIZED_PARTY })

    expect(receiver.received.map((body) => JSON.parse(body).type)).toEqual(['user.created'])
  })

  it('signs an existing user in again without creating another or sending a webhook', async () => {
    const receiver = await startReceiver()
    const standIn = await startStandIn(receiver.url)
    const first = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'seller@example.com' })
    const second = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'SELLER@example.com', first_name: 'Ignored' })

    expect(second.status).toBe(200)
    expect(second.body.user.id).toBe(first.body.user.id)
    expect(second.body.user.first_name).toBeNull()
    expect(second.body.session_id).not.toBe(first.body.session_id)
    expect(standIn.listUsers()).toHaveLength(1)
    expect(receiver.received).toHaveLength(1)
  })

  it('rejects a missing or malformed email with Clerk-style 422 errors', async () => {
    const standIn = await startStandIn()
    const missing = await browserCall(standIn, '/__dev/browser/sign-in', {})
    expect(missing.status).toBe(422)
    expect(missing.body.errors[0]).toMatchObject({ code: 'form_param_missing', meta: { param_name: 'email' } })
    const malformed = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'not-an-email' })
    expect(malformed.status).toBe(422)
    expect(malformed.body.errors[0]).toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'email' } })
  })
})

describe('CORS', () => {
  it('answers the preflight from the authorized party origin', async () => {
    const standIn = await startStandIn()
    const response = await fetch(`${standIn.url}/__dev/browser/sign-in`, {
      method: 'OPTIONS',
      headers: { origin: AUTHORIZED_PARTY, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(AUTHORIZED_PARTY)
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type')
  })

  it('refuses any other origin, creating nobody', async () => {
    const standIn = await startStandIn()
    const preflight = await fetch(`${standIn.url}/__dev/browser/sign-in`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const signIn = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'victim@example.com' }, 'https://evil.example')
    expect(signIn.status).toBe(403)
    expect(signIn.body.errors[0].code).toBe('origin_invalid')
    expect(standIn.listUsers()).toEqual([])
  })

  it('adds no CORS headers to the Backend API', async () => {
    const standIn = await startStandIn()
    const response = await fetch(`${standIn.url}/v1/users`, { headers: { authorization: `Bearer ${SECRET_KEY}`, origin: AUTHORIZED_PARTY } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('browser sessions', () => {
  it('mint fresh tokens for the session, and stop after the session is ended', async () => {
    const standIn = await startStandIn()
    const signIn = await browserCall(standIn, '/__dev/browser/sign-in', { email: 'seller@example.com' })
    const sessionId = signIn.body.session_id as string

    const fresh = await browserCall(standIn, `/__dev/browser/sessions/${sessionId}/tokens`)
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('access-control-allow-origin')).toBe(AUTHORIZED_PARTY)
    expect(fresh.body.jwt).not.toBe(signIn.body.jwt)
    expect(await verify(standIn, fresh.body.jwt)).toMatchObject({ sub: signIn.body.user.id, sid: sessionId })

    const ended = await browserCall(standIn, `/__dev/browser/sessions/${sessionId}/end`)
    expect(ended.status).toBe(200)
    expect(ended.body.session).toMatchObject({ id: sessionId, status: 'revoked' })

    const after = await browserCall(standIn, `/__dev/browser/sessions/${sessionId}/tokens`)
    expect(after.status).toBe(404)
    expect(after.body.errors[0].code).toBe('resource_not_found')
    // Errors stay readable by the page, so it can tell "signed out elsewhere" from a network failure.
    expect(after.headers.get('access-control-allow-origin')).toBe(AUTHORIZED_PARTY)
  })

  it('answers 404 for an unknown session', async () => {
    const standIn = await startStandIn()
    const response = await browserCall(standIn, '/__dev/browser/sessions/sess_unknown/tokens')
    expect(response.status).toBe(404)
  })
})
