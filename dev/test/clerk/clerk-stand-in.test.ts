import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClerkClient, verifyToken } from '@clerk/backend'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { Webhook } from 'svix'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ClerkEvent, type ClerkStandIn, type ClerkUser, startClerkStandIn } from '../../clerk/server.ts'

const SECRET_KEY = 'sk_test_clerk_stand_in_tests'
const AUTHORIZED_PARTY = 'http://localhost:8787'
const WEBHOOK_SECRET = `whsec_${Buffer.from('a webhook secret of thirty-two b').toString('base64')}`

// Every server a test starts is registered here and stopped after that test, pass or fail.
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function startStandIn(overrides: Partial<Parameters<typeof startClerkStandIn>[0]> = {}): Promise<ClerkStandIn> {
  const standIn = await startClerkStandIn({ keyDir: null, secretKey: SECRET_KEY, authorizedParty: AUTHORIZED_PARTY, ...overrides })
  cleanups.push(() => standIn.stop())
  return standIn
}

/** Calls the stand-in's HTTP API the way a Backend API client does. */
async function call(standIn: ClerkStandIn, method: string, path: string, body?: unknown, secretKey: string | null = SECRET_KEY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secretKey !== null) headers.authorization = `Bearer ${secretKey}`
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as any }
}

type ReceivedWebhook = { headers: IncomingHttpHeaders; body: string }

/** A throwaway webhook endpoint; `respond` picks the status for the n-th request (1-based). */
async function startReceiver(respond: (requestNumber: number) => number = () => 204) {
  const received: ReceivedWebhook[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(respond(received.length)).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/clerk`
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()))
  cleanups.push(stop)
  return { url, received, stop }
}

function svixHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return {
    'svix-id': String(headers['svix-id']),
    'svix-timestamp': String(headers['svix-timestamp']),
    'svix-signature': String(headers['svix-signature']),
  }
}

async function signedInUser(standIn: ClerkStandIn) {
  const user = await call(standIn, 'POST', '/v1/users', { email_address: ['Seller@Example.com'], first_name: 'Sam', last_name: 'Seller' })
  expect(user.status).toBe(200)
  const session = await call(standIn, 'POST', '/v1/sessions', { user_id: user.body.id })
  expect(session.status).toBe(200)
  return { user: user.body as ClerkUser, sessionId: session.body.id as string }
}

describe('session tokens', () => {
  it('are RS256 JWTs the public JWKS verifies, with Clerk v2 claims plus role', async () => {
    const standIn = await startStandIn()
    const { user, sessionId } = await signedInUser(standIn)
    const minted = await call(standIn, 'POST', `/v1/sessions/${sessionId}/tokens`)
    expect(minted.status).toBe(200)
    expect(minted.body.object).toBe('token')

    const jwks = (await (await fetch(`${standIn.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: standIn.instanceId, e: 'AQAB' })
    expect(jwks.keys[0]).not.toHaveProperty('d') // public half only

    const { payload, protectedHeader } = await jwtVerify(minted.body.jwt, createLocalJWKSet(jwks), {
      issuer: standIn.url,
      algorithms: ['RS256'],
    })
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: standIn.instanceId, typ: 'JWT' })
    expect(standIn.issuer).toBe(standIn.url)
    expect(standIn.url).not.toMatch(/\/$/)
    expect(payload).toMatchObject({ sub: user.id, sid: sessionId, azp: AUTHORIZED_PARTY, iss: standIn.url, v: 2, role: 'authenticated' })
    expect(payload.fva).toEqual([0, -1])
    expect(payload.jti).toEqual(expect.any(String))
    const { iat, nbf, exp } = payload as { iat: number; nbf: number; exp: number }
    expect(nbf).toBe(iat - 10)
    expect(nbf).toBeLessThanOrEqual(iat)
    expect(exp).toBe(iat + 60)
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(5)
  })

  it('verify with @clerk/backend, networkless with the PEM and through the Backend API JWKS', async () => {
    const standIn = await startStandIn()
    const { user, sessionId } = await signedInUser(standIn)
    const token = await standIn.mintSessionToken(sessionId)

    const withPem = await verifyToken(token, { jwtKey: standIn.publicKeyPem, authorizedParties: [AUTHORIZED_PARTY] })
    expect(withPem.sub).toBe(user.id)
    expect(standIn.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/)

    const withJwks = await verifyToken(token, { secretKey: SECRET_KEY, apiUrl: standIn.url, authorizedParties: [AUTHORIZED_PARTY] })
    expect(withJwks.sid).toBe(sessionId)

    await expect(verifyToken(token, { jwtKey: standIn.publicKeyPem, authorizedParties: ['https://evil.example'] })).rejects.toThrow(/azp/)
  })

  it('honour expires_in_seconds and the configured default lifetime', async () => {
    const standIn = await startStandIn({ sessionTokenLifetimeSeconds: 120 })
    const { sessionId } = await signedInUser(standIn)
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number }

    const byDefault = claims(await standIn.mintSessionToken(sessionId))
    expect(byDefault.exp - byDefault.iat).toBe(120)
    const shortLived = await call(standIn, 'POST', `/v1/sessions/${sessionId}/tokens`, { expires_in_seconds: 30 })
    const short = claims(shortLived.body.jwt)
    expect(short.exp - short.iat).toBe(30)
    const invalid = await call(standIn, 'POST', `/v1/sessions/${sessionId}/tokens`, { expires_in_seconds: -5 })
    expect(invalid.status).toBe(422)
  })

  it('cannot be minted for a revoked session, while tokens issued before stay valid until they expire', async () => {
    const standIn = await startStandIn()
    const { sessionId } = await signedInUser(standIn)
    const issuedBefore = await standIn.mintSessionToken(sessionId)

    const revoked = await call(standIn, 'POST', `/v1/sessions/${sessionId}/revoke`)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ object: 'session', id: sessionId, status: 'revoked' })

    const refused = await call(standIn, 'POST', `/v1/sessions/${sessionId}/tokens`)
    expect(refused.status).toBe(404)
    expect(refused.body.errors[0].code).toBe('resource_not_found')
    await expect(standIn.mintSessionToken(sessionId)).rejects.toThrow(/No active session/)

    const stillValid = await verifyToken(issuedBefore, { jwtKey: standIn.publicKeyPem, authorizedParties: [AUTHORIZED_PARTY] })
    expect(stillValid.sid).toBe(sessionId)
  })

  it('cannot be minted once the user is deleted', async () => {
    const standIn = await startStandIn()
    const { user, sessionId } = await signedInUser(standIn)
    await call(standIn, 'DELETE', `/v1/users/${user.id}`)
    expect((await call(standIn, 'POST', `/v1/sessions/${sessionId}/tokens`)).status).toBe(404)
    expect((await call(standIn, 'POST', '/v1/sessions', { user_id: user.id })).status).toBe(404)
  })
})

describe('Backend API', () => {
  it('rejects a wrong or missing secret key with a Clerk-shaped 401, and keeps the JWKS public', async () => {
    const standIn = await startStandIn()
    const wrongKey = await call(standIn, 'GET', '/v1/users', undefined, 'sk_test_wrong')
    expect(wrongKey.status).toBe(401)
    expect(wrongKey.body.errors).toEqual([
      { message: expect.any(String), long_message: expect.any(String), code: 'clerk_key_invalid' },
    ])
    expect(JSON.stringify(wrongKey.body)).not.toContain(SECRET_KEY)

    for (const path of ['/v1/jwks', '/v1/users', '/__dev/webhook-deliveries']) {
      const missing = await call(standIn, 'GET', path, undefined, null)
      expect(missing.status, path).toBe(401)
      expect(missing.body.errors[0].code).toBe('authorization_header_format_invalid')
    }

    expect((await call(standIn, 'GET', '/.well-known/jwks.json', undefined, null)).body).toEqual(standIn.jwks)
    expect((await call(standIn, 'GET', '/v1/jwks')).body).toEqual(standIn.jwks)
    expect((await call(standIn, 'GET', '/__dev/health', undefined, null)).body).toEqual({ ok: true })
    expect((await call(standIn, 'GET', '/v1/nothing-here')).status).toBe(404)
  })

  it('creates, reads, lists, updates and deletes users with Clerk shapes and errors', async () => {
    const standIn = await startStandIn()
    const created = await call(standIn, 'POST', '/v1/users', {
      email_address: ['Ada@Example.com'],
      first_name: 'Ada',
      last_name: 'Lovelace',
      external_id: 'ext-1',
    })
    expect(created.status).toBe(200)
    const user = created.body as ClerkUser
    expect(user).toMatchObject({ object: 'user', first_name: 'Ada', last_name: 'Lovelace', external_id: 'ext-1', has_image: false })
    expect(user.id).toMatch(/^user_[0-9A-Za-z]{27}$/)
    expect(user.email_addresses).toEqual([
      expect.objectContaining({
        id: user.primary_email_address_id,
        object: 'email_address',
        email_address: 'ada@example.com',
        verification: expect.objectContaining({ status: 'verified', strategy: 'admin' }),
      }),
    ])
    expect(user.primary_email_address_id).toMatch(/^idn_/)
    expect(user.created_at).toBe(user.updated_at)
    expect(user.image_url).toMatch(/^https:\/\//)

    expect((await call(standIn, 'GET', `/v1/users/${user.id}`)).body).toEqual(user)
    expect((await call(standIn, 'GET', '/v1/users?email_address=ada@example.com')).body).toEqual([user])
    expect((await call(standIn, 'GET', '/v1/users/count')).body).toEqual({ object: 'total_count', total_count: 1 })

    const duplicate = await call(standIn, 'POST', '/v1/users', { email_address: ['ada@example.com'] })
    expect(duplicate.status).toBe(422)
    expect(duplicate.body.errors[0]).toMatchObject({ code: 'form_identifier_exists', meta: { param_name: 'email_address' } })
    const missing = await call(standIn, 'POST', '/v1/users', { first_name: 'No email' })
    expect(missing.status).toBe(422)
    expect(missing.body.errors[0]).toMatchObject({ code: 'form_param_missing', meta: { param_name: 'email_address' } })

    const updated = await call(standIn, 'PATCH', `/v1/users/${user.id}`, { first_name: 'Augusta', image_url: 'https://example.com/a.png' })
    expect(updated.body).toMatchObject({ first_name: 'Augusta', last_name: 'Lovelace', image_url: 'https://example.com/a.png', has_image: true })
    expect(updated.body.updated_at).toBeGreaterThan(user.updated_at)

    expect((await call(standIn, 'DELETE', `/v1/users/${user.id}`)).body).toEqual({ object: 'user', id: user.id, deleted: true })
    const gone = await call(standIn, 'GET', `/v1/users/${user.id}`)
    expect(gone.status).toBe(404)
    expect(gone.body.errors[0]).toMatchObject({ code: 'resource_not_found', message: expect.any(String), long_message: expect.any(String) })
  })

  it('works with the official @clerk/backend client pointed at it', async () => {
    const standIn = await startStandIn()
    const clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: standIn.url })
    const user = await clerk.users.createUser({ emailAddress: ['client@example.com'], firstName: 'Client' })
    expect(user.primaryEmailAddress?.emailAddress).toBe('client@example.com')
    expect((await clerk.users.getUser(user.id)).firstName).toBe('Client')
    const list = await clerk.users.getUserList()
    expect(list.totalCount).toBe(1)
    expect(list.data[0]?.id).toBe(user.id)
    const session = await clerk.sessions.createSession({ userId: user.id })
    expect(session.status).toBe('active')
    const { jwt } = await clerk.sessions.getToken(session.id)
    expect((await verifyToken(jwt, { jwtKey: standIn.publicKeyPem, authorizedParties: [AUTHORIZED_PARTY] })).sub).toBe(user.id)
  })
})

describe('webhooks', () => {
  it('deliver user.created, user.updated and user.deleted, Svix-signed, in order, before the API call returns', async () => {
    const receiver = await startReceiver()
    const standIn = await startStandIn({ webhook: { url: receiver.url, secret: WEBHOOK_SECRET } })

    const created = await call(standIn, 'POST', '/v1/users', { email_address: ['hook@example.com'], first_name: 'Hook' })
    expect(receiver.received).toHaveLength(1) // delivered before the response
    await call(standIn, 'PATCH', `/v1/users/${created.body.id}`, { first_name: 'Hooked' })
    expect(receiver.received).toHaveLength(2)
    await standIn.updateUser(created.body.id, { last_name: 'Twice' }) // the programmatic helper behaves the same
    expect(receiver.received).toHaveLength(3)
    await call(standIn, 'DELETE', `/v1/users/${created.body.id}`)
    expect(receiver.received).toHaveLength(4)

    const verifier = new Webhook(WEBHOOK_SECRET)
    const events = receiver.received.map(({ headers, body }) => {
      expect(() => verifier.verify(body, svixHeaders(headers))).not.toThrow()
      expect(headers['svix-id']).toMatch(/^msg_[0-9A-Za-z]{27}$/)
      expect(Math.abs(Number(headers['svix-timestamp']) - Date.now() / 1000)).toBeLessThan(10)
      expect(headers['svix-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
      expect(headers['content-type']).toBe('application/json')
      return JSON.parse(body) as ClerkEvent
    })
    expect(events.map((event) => event.type)).toEqual(['user.created', 'user.updated', 'user.updated', 'user.deleted'])
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['data', 'instance_id', 'object', 'timestamp', 'type'])
      expect(event).toMatchObject({ object: 'event', instance_id: standIn.instanceId })
      expect(event.timestamp).toBeGreaterThan(1e12) // milliseconds
    }
    expect(new Set(receiver.received.map(({ headers }) => headers['svix-id'])).size).toBe(4)

    const versions = events.slice(0, 3).map((event) => event.data as ClerkUser)
    expect(versions.map((user) => user.first_name)).toEqual(['Hook', 'Hooked', 'Hooked'])
    expect(versions[2]?.last_name).toBe('Twice')
    expect(versions[0]).toEqual(created.body)
    expect(versions[1]!.updated_at).toBeGreaterThan(versions[0]!.updated_at)
    expect(versions[2]!.updated_at).toBeGreaterThan(versions[1]!.updated_at)
    expect(events[3]?.data).toEqual({ id: created.body.id, object: 'user', deleted: true })

    // The signature really covers the body and the secret.
    const first = receiver.received[0]!
    expect(() => verifier.verify(first.body.replace('Hook', 'Evil'), svixHeaders(first.headers))).toThrow()
    const otherSecret = new Webhook(`whsec_${Buffer.from('another secret, thirty-two bytes').toString('base64')}`)
    expect(() => otherSecret.verify(first.body, svixHeaders(first.headers))).toThrow()
  })

  it('retry a failing receiver with the same message id and record every attempt', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204))
    const standIn = await startStandIn({ webhook: { url: receiver.url, secret: WEBHOOK_SECRET } })
    await standIn.createUser({ email_address: ['retry@example.com'] })

    expect(receiver.received).toHaveLength(3)
    const ids = new Set(receiver.received.map(({ headers }) => headers['svix-id']))
    expect(ids.size).toBe(1)
    const verifier = new Webhook(WEBHOOK_SECRET)
    for (const { headers, body } of receiver.received) expect(() => verifier.verify(body, svixHeaders(headers))).not.toThrow()

    const attempts = standIn.deliveries()
    expect(attempts.map(({ attempt, status, ok }) => ({ attempt, status, ok }))).toEqual([
      { attempt: 1, status: 500, ok: false },
      { attempt: 2, status: 500, ok: false },
      { attempt: 3, status: 204, ok: true },
    ])
    expect(attempts.every((a) => a.eventType === 'user.created' && a.url === receiver.url && ids.has(a.messageId))).toBe(true)
    expect(attempts[0]?.error).toBe('HTTP 500')
    expect(attempts[2]?.error).toBeNull()

    const overHttp = await call(standIn, 'GET', '/__dev/webhook-deliveries')
    expect(overHttp.body.data).toEqual(attempts)
    expect(JSON.stringify(overHttp.body)).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length))
  })

  it('give up after three retries on an unreachable receiver; the API call still succeeds', async () => {
    // A port that was just in use: nothing listens there once the receiver is stopped.
    const unreachable = await startReceiver()
    await unreachable.stop()
    const standIn = await startStandIn()
    standIn.setWebhook({ url: unreachable.url, secret: WEBHOOK_SECRET })

    const started = Date.now()
    const created = await call(standIn, 'POST', '/v1/users', { email_address: ['nobody-home@example.com'] })
    expect(created.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_300) // 100 + 300 + 900 ms of backoff

    const attempts = standIn.deliveries()
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4])
    expect(attempts.every((a) => a.status === null && !a.ok && a.error?.includes('ECONNREFUSED'))).toBe(true)

    standIn.setWebhook(undefined) // no target: changes are made, nothing is sent
    await standIn.createUser({ email_address: ['quiet@example.com'] })
    expect(standIn.deliveries()).toHaveLength(4)
  })
})

describe('signing key', () => {
  let keyDir: string
  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'clerk-stand-in-'))
  })
  afterAll(async () => {
    await rm(keyDir, { recursive: true, force: true })
  })

  it('persists across restarts when keyDir is set, so earlier tokens still verify', async () => {
    const first = await startStandIn({ keyDir })
    const { sessionId } = await signedInUser(first)
    const token = await first.mintSessionToken(sessionId)
    await first.stop()

    const second = await startStandIn({ keyDir })
    expect(second.instanceId).toBe(first.instanceId)
    expect(second.instanceId).toMatch(/^ins_/)
    expect(second.publicKeyPem).toBe(first.publicKeyPem)
    expect(second.jwks).toEqual(first.jwks)
    await expect(jwtVerify(token, createLocalJWKSet(second.jwks))).resolves.toBeTruthy()

    const file = await stat(join(keyDir, 'clerk-signing-key.json'))
    expect(file.mode & 0o777).toBe(0o600)
  })

  it('is fresh on every start when keyDir is null', async () => {
    const first = await startStandIn()
    const second = await startStandIn()
    expect(second.instanceId).not.toBe(first.instanceId)
    expect(second.publicKeyPem).not.toBe(first.publicKeyPem)
  })

  it('publishes a pk_test_ key that encodes the stand-in host', async () => {
    const standIn = await startStandIn()
    const encoded = standIn.publishableKey.replace(/^pk_test_/, '')
    expect(Buffer.from(encoded, 'base64').toString()).toBe(`${new URL(standIn.url).host}$`)
  })
})
