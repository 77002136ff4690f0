import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { exportSPKI, generateKeyPair, SignJWT, base64url } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import type { AppEnv } from '../src/app-env.ts'
import { createApp } from '../src/app.ts'
import { requireCaller } from '../src/middleware/require-caller.ts'
import { signIn, signedWebhook } from './support/clerk.ts'

const app = createApp()
// The middleware alone, for tokens PostgREST would not accept (signed by a test key).
const probe = new Hono<AppEnv>().use(requireCaller).get('/', (c) => c.json({ userId: c.var.userId, sessionId: c.var.credential?.kind === 'session' ? c.var.credential.sessionId : null }))
const bindings = env as unknown as Record<string, string>
const authorizedParty = bindings.CLERK_AUTHORIZED_PARTIES!.split(',')[0]!

type ErrorBody = { error: { code: string; message: string; details?: { reason?: string } } }

async function meWith(token: string | undefined, overrides: Record<string, string> = {}) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
  return app.request('/api/me', { headers }, { ...env, ...overrides })
}

async function probeWith(token: string) {
  return probe.request('/', { headers: { authorization: `Bearer ${token}` } }, { ...env, CLERK_JWT_KEY: testKeyPem })
}

async function expectUnauthorized(response: Response, reason: string) {
  expect(response.status).toBe(401)
  expect(response.headers.get('www-authenticate')).toContain('Bearer error="invalid_token"')
  const body = (await response.json()) as ErrorBody
  expect(body.error.code).toBe('unauthorized')
  expect(body.error.details?.reason).toBe(reason)
}

/** Tokens signed by a key of our own, bound as CLERK_JWT_KEY, to reach every claim check. */
let testKey: CryptoKey
let testKeyPem: string
const now = () => Math.floor(Date.now() / 1000)
function claims(overrides: Record<string, unknown> = {}) {
  return { sub: 'user_test', sid: 'sess_test', azp: authorizedParty, iss: 'https://clerk.test', iat: now(), nbf: now() - 10, exp: now() + 60, v: 2, ...overrides }
}
const sign = (payload: Record<string, unknown>, key: CryptoKey = testKey) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'ins_test' }).sign(key)

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  testKey = pair.privateKey
  testKeyPem = await exportSPKI(pair.publicKey)
})

describe('Clerk session verification', () => {
  it('accepts a session token from Clerk (the stand-in) and returns the synced profile', async () => {
    const { user, token } = await signIn('ada@example.com', 'Ada')
    const delivery = signedWebhook(bindings.CLERK_WEBHOOK_SECRET!, { type: 'user.created', data: user })
    expect((await SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body })).status).toBe(200)

    const response = await SELF.fetch('http://localhost/api/me', { headers: { authorization: `Bearer ${token}` } })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: user.id, email: 'ada@example.com', first_name: 'Ada', last_name: 'Seller' })
    // One user's answer: no browser or shared cache may keep it.
    expect(response.headers.get('cache-control')).toBe('no-store')
    const accounts = await SELF.fetch('http://localhost/api/accounts', { headers: { authorization: `Bearer ${token}` } })
    expect(accounts.headers.get('cache-control')).toBe('no-store')
  })

  it('answers 404 user_not_synced for a valid token whose user has not arrived by webhook yet', async () => {
    const { token } = await signIn()
    const response = await meWith(token)
    expect(response.status).toBe(404)
    expect(((await response.json()) as ErrorBody).error.code).toBe('user_not_synced')
  })

  it('accepts a token signed by the configured key with every claim in range', async () => {
    const response = await probeWith(await sign(claims()))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ userId: 'user_test', sessionId: 'sess_test' })
  })

  it('rejects a missing Authorization header', async () => expectUnauthorized(await meWith(undefined), 'missing-token'))

  it('rejects a header that is not a Bearer token', async () => {
    const response = await app.request('/api/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }, env)
    await expectUnauthorized(response, 'malformed-authorization')
  })

  it('rejects a malformed token', async () => expectUnauthorized(await meWith('not.a.jwt'), 'token-invalid'))

  it('rejects alg: none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))
    const token = `${header}.${base64url.encode(JSON.stringify(claims()))}.`
    const response = await meWith(token, { CLERK_JWT_KEY: testKeyPem })
    expect(response.status).toBe(401)
  })

  it('rejects HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(testKeyPem)
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret)
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-invalid-algorithm')
  })

  it('rejects a token signed by another key', async () => {
    const other = await generateKeyPair('RS256')
    await expectUnauthorized(await meWith(await sign(claims(), other.privateKey), { CLERK_JWT_KEY: testKeyPem }), 'token-invalid-signature')
  })

  it('rejects a real session token when the Worker trusts a different key', async () => {
    const { token } = await signIn()
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-invalid-signature')
  })

  it('rejects an expired token', async () => {
    const token = await sign(claims({ iat: now() - 120, nbf: now() - 130, exp: now() - 60 }))
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-expired')
  })

  it('tolerates a few seconds of clock skew on exp, as Clerk does', async () => {
    const token = await sign(claims({ exp: now() - 2 }))
    expect((await probeWith(token)).status).toBe(200)
  })

  it('rejects nbf in the future beyond the skew', async () => {
    const token = await sign(claims({ nbf: now() + 60 }))
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-not-active-yet')
  })

  it('rejects iat in the future beyond the skew', async () => {
    const token = await sign(claims({ iat: now() + 60, nbf: now() - 10 }))
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-iat-in-the-future')
  })

  it('rejects a token issued for another origin (azp)', async () => {
    const token = await sign(claims({ azp: 'https://evil.example' }))
    await expectUnauthorized(await meWith(token, { CLERK_JWT_KEY: testKeyPem }), 'token-invalid-authorized-parties')
  })

  it('rejects a token without a session id', async () => {
    const { sid: _sid, ...withoutSession } = claims()
    await expectUnauthorized(await meWith(await sign(withoutSession), { CLERK_JWT_KEY: testKeyPem }), 'token-invalid')
  })

  it('leaves public routes open', async () => {
    expect((await SELF.fetch('http://localhost/api/health')).status).toBe(200)
  })
})
