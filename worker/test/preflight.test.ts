import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { randomIp } from './support/amazon.ts'
import { signIn } from './support/clerk.ts'

const app = createApp()
const bindings = env as unknown as Record<string, string>
const dashboard = bindings.CLERK_AUTHORIZED_PARTIES!.split(',')[0]!

function preflight(path: string, origin: string, method = 'PATCH') {
  return SELF.fetch(`http://localhost${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
  })
}

describe('CORS', () => {
  it.each(['/api/accounts/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f', '/api/me', '/api/auth/amazon/connect'])(
    'answers a preflight to %s from the dashboard with 204, not 401',
    async (path) => {
      const response = await preflight(path, dashboard)
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe(dashboard)
      expect(response.headers.get('access-control-allow-credentials')).toBe('true')
      expect(response.headers.get('access-control-allow-methods')).toContain('PATCH')
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
      expect(response.headers.get('access-control-max-age')).toBe('600')
      expect(response.headers.get('vary')).toContain('Origin')
    },
  )

  it('refuses a preflight from any other origin, without CORS headers', async () => {
    for (const origin of ['https://evil.example', 'null', `${dashboard}.evil.example`, dashboard.replace('http:', 'https:')]) {
      const response = await preflight('/api/accounts', origin)
      expect(response.status).toBe(403)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
      expect(response.headers.get('access-control-allow-credentials')).toBeNull()
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed')
    }
  })

  it("lets the dashboard read the actual answers, errors included, and never says '*'", async () => {
    const { token } = await signIn()
    const ok = await SELF.fetch('http://localhost/api/session', { headers: { origin: dashboard, authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe(dashboard)
    expect(ok.headers.get('access-control-expose-headers')).toContain('RateLimit')

    const refused = await SELF.fetch('http://localhost/api/accounts', { headers: { origin: dashboard, 'cf-connecting-ip': randomIp() } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe(dashboard)

    const foreign = await SELF.fetch('http://localhost/api/session', { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    expect(foreign.headers.get('vary')).toContain('Origin')
    for (const response of [ok, refused, foreign]) expect(response.headers.get('access-control-allow-origin')).not.toBe('*')
  })

  it('allows exactly the configured origins: CLERK_AUTHORIZED_PARTIES and APP_URL', async () => {
    const configured = { ...env, CLERK_AUTHORIZED_PARTIES: 'https://one.example, https://two.example/', APP_URL: 'https://app.example/' }
    for (const origin of ['https://one.example', 'https://two.example', 'https://app.example']) {
      const response = await app.request('/api/me', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } }, configured)
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    }
    const other = await app.request('/api/me', { method: 'OPTIONS', headers: { origin: dashboard, 'access-control-request-method': 'GET' } }, configured)
    expect(other.status).toBe(403)
  })

  it('never admits the opaque origin "null", whatever the settings hold', async () => {
    const odd = { ...env, CLERK_AUTHORIZED_PARTIES: `file:///tmp/x,data:text/plain,hi,${dashboard}`, APP_URL: 'not a url' }
    const response = await app.request('/api/me', { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'GET' } }, odd)
    expect(response.status).toBe(403)
  })

  it('leaves liveness working from any origin when the configuration is broken', async () => {
    const broken = { ...env, CLERK_AUTHORIZED_PARTIES: '', CLERK_JWT_KEY: '' }
    const response = await app.request('/api/health/live', { headers: { origin: 'https://monitor.example' } }, broken)
    expect(response.status).toBe(200)
  })
})

describe('failed authentications', () => {
  const limited = { ...env, RATE_LIMITS: JSON.stringify({ auth_failures: { limit: 3, windowSeconds: 60 } }) }
  const session = (address: string, authorization?: string) =>
    app.request('/api/session', { headers: { 'cf-connecting-ip': address, ...(authorization ? { authorization } : {}) } }, limited)

  it('are limited per client address: 401 with RateLimit headers, then 429 with Retry-After', async () => {
    const address = randomIp()
    const attempts = [undefined, 'Basic dXNlcjpwYXNz', 'Bearer not.a.jwt']
    for (const [index, authorization] of attempts.entries()) {
      const response = await session(address, authorization)
      expect(response.status).toBe(401)
      expect(response.headers.get('ratelimit-policy')).toBe('"auth_failures";q=3;w=60')
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"auth_failures";r=${2 - index};t=\\d+$`))
    }
    const refused = await session(address, 'Bearer not.a.jwt')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // The same on an authenticated route of another kind.
    expect((await app.request('/api/accounts', { headers: { 'cf-connecting-ip': address } }, limited)).status).toBe(429)
  })

  it('never refuse a valid token, and count each address on its own', async () => {
    const address = randomIp()
    for (let i = 0; i < 4; i++) await session(address, 'Bearer not.a.jwt')
    expect((await session(address, 'Bearer not.a.jwt')).status).toBe(429)

    const { token, user } = await signIn()
    const valid = await session(address, `Bearer ${token}`)
    expect(valid.status).toBe(200)
    expect(await valid.json()).toMatchObject({ userId: user.id })
    expect((await session(randomIp(), 'Bearer not.a.jwt')).status).toBe(401)
  })

  it('are configurable through RATE_LIMITS like the other groups', async () => {
    const malformed = await app.request('/api/session', { headers: { 'cf-connecting-ip': randomIp() } }, { ...env, RATE_LIMITS: '{"auth_failures":{"limit":0}}' })
    expect(malformed.status).toBe(503)
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toContain('auth_failures.limit')
  })
})

describe('GET /api/health', () => {
  const limited = { ...env, RATE_LIMITS: JSON.stringify({ public: { limit: 2, windowSeconds: 60 } }) }
  const get = (path: string, address: string) => app.request(path, { headers: { 'cf-connecting-ip': address } }, limited)

  it('counts against the public per-address limit', async () => {
    const address = randomIp()
    for (const remaining of [1, 0]) {
      const response = await get('/api/health', address)
      expect(response.status).toBe(200)
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"public";r=${remaining};t=\\d+$`))
    }
    const refused = await get('/api/health', address)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).not.toBeNull()
    expect((await get('/api/health', randomIp())).status).toBe(200)
  })

  it('leaves liveness unlimited: it touches nothing', async () => {
    const address = randomIp()
    for (let i = 0; i < 4; i++) {
      const response = await get('/api/health/live', address)
      expect(response.status).toBe(200)
      expect(response.headers.get('ratelimit')).toBeNull()
    }
  })
})
