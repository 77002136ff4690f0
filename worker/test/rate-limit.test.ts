import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AppEnv } from '../src/app-env.ts'
import type { UserRateLimiter } from '../src/durable/user-rate-limiter.ts'
import { ConfigError } from '../src/env.ts'
import { errorResponse } from '../src/errors.ts'
import { rateLimit } from '../src/middleware/rate-limit.ts'
import { rateLimitPolicies } from '../src/rate-limit-policy.ts'

const limiters = (env as unknown as { USER_RATE_LIMITER: DurableObjectNamespace<UserRateLimiter> }).USER_RATE_LIMITER

/** A tiny app: `x-test-user` stands in for the session middleware, which sets `userId`. */
function testApp() {
  const app = new Hono<AppEnv>()
  app.use(async (c, next) => {
    const user = c.req.header('x-test-user')
    if (user) c.set('userId', user)
    await next()
  })
  app.get('/api/things', rateLimit('api'), (c) => c.json({ ok: true }))
  app.get('/api/callback', rateLimit('public'), (c) => c.json({ ok: true }))
  // A handler returning a Response as-is, with immutable headers, like the Amazon proxy will.
  app.get('/api/proxied', rateLimit('api'), () => Response.json({ ok: true }))
  app.onError((error, c) => {
    if (error instanceof ConfigError) return errorResponse(c, 503, 'config_invalid', error.message)
    throw error
  })
  return app
}

const app = testApp()

function withLimits(limits: object, overrides: object = {}) {
  return { ...env, RATE_LIMITS: JSON.stringify(limits), ...overrides }
}

/** Each test limits its own caller, so objects left by other tests never interfere. */
function freshUser(): string {
  return `user_${crypto.randomUUID()}`
}

function get(path: string, headers: Record<string, string>, bindings: object) {
  return app.request(path, { headers }, bindings)
}

function parseRateLimit(value: string | null) {
  const match = /^"(?<name>[^"]+)";r=(?<r>\d+);t=(?<t>\d+)$/.exec(value ?? '')
  if (!match?.groups) throw new Error(`unexpected RateLimit header: ${value}`)
  return { name: match.groups.name, remaining: Number(match.groups.r), resetSeconds: Number(match.groups.t) }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('rateLimit middleware', () => {
  it('admits exactly the limit out of 1 000 simultaneous requests from one user', async () => {
    const bindings = withLimits({ api: { limit: 7, windowSeconds: 60 } })
    const user = freshUser()
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => get('/api/things', { 'x-test-user': user }, bindings)),
    )
    const admitted = responses.filter((response) => response.status === 200)
    const refused = responses.filter((response) => response.status === 429)
    expect(admitted).toHaveLength(7)
    expect(refused).toHaveLength(993)
    // Every admitted request saw a distinct remaining count: no two read the same state.
    expect(admitted.map((r) => parseRateLimit(r.headers.get('RateLimit')).remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6])
    for (const response of refused) {
      const retryAfter = Number(response.headers.get('Retry-After'))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(60)
    }
    expect(await refused[0]!.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } } })
  })

  it('counts remaining quota down in RateLimit / RateLimit-Policy, then refuses with Retry-After', async () => {
    const bindings = withLimits({ api: { limit: 3, windowSeconds: 60 } })
    const user = freshUser()
    for (const expectedRemaining of [2, 1, 0]) {
      const response = await get('/api/things', { 'x-test-user': user }, bindings)
      expect(response.status).toBe(200)
      expect(response.headers.get('RateLimit-Policy')).toBe('"api";q=3;w=60')
      const rateLimitHeader = parseRateLimit(response.headers.get('RateLimit'))
      expect(rateLimitHeader).toMatchObject({ name: 'api', remaining: expectedRemaining })
      expect(rateLimitHeader.resetSeconds).toBeGreaterThanOrEqual(1)
      expect(rateLimitHeader.resetSeconds).toBeLessThanOrEqual(60)
      expect(response.headers.has('Retry-After')).toBe(false)
    }

    const refused = await get('/api/things', { 'x-test-user': user }, bindings)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('RateLimit-Policy')).toBe('"api";q=3;w=60')
    const { remaining, resetSeconds } = parseRateLimit(refused.headers.get('RateLimit'))
    expect(remaining).toBe(0)
    const retryAfter = Number(refused.headers.get('Retry-After'))
    // The draft: Retry-After should not point earlier than the end of the effective window.
    expect(retryAfter).toBe(resetSeconds)
    expect(await refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: `Too many requests; retry in ${retryAfter} s.`,
        details: { retryAfterSeconds: retryAfter },
      },
    })
  })

  it('adds the headers to a Response a handler returns as-is', async () => {
    const response = await get('/api/proxied', { 'x-test-user': freshUser() }, withLimits({ api: { limit: 5 } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('RateLimit')).toMatch(/^"api";r=4;t=\d+$/)
    expect(response.headers.get('RateLimit-Policy')).toBe('"api";q=5;w=60')
  })

  it('admits again once the window has passed', async () => {
    const bindings = withLimits({ api: { limit: 2, windowSeconds: 1 } })
    const user = freshUser()
    expect((await get('/api/things', { 'x-test-user': user }, bindings)).status).toBe(200)
    expect((await get('/api/things', { 'x-test-user': user }, bindings)).status).toBe(200)
    const refused = await get('/api/things', { 'x-test-user': user }, bindings)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('Retry-After')).toBe('1')

    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const afterWindow = await get('/api/things', { 'x-test-user': user }, bindings)
    expect(afterWindow.status).toBe(200)
    expect(parseRateLimit(afterWindow.headers.get('RateLimit')).remaining).toBe(1)
  })

  it("keeps users apart: B is unaffected by A's exhaustion", async () => {
    const bindings = withLimits({ api: { limit: 2, windowSeconds: 60 } })
    const [userA, userB] = [freshUser(), freshUser()]
    await get('/api/things', { 'x-test-user': userA }, bindings)
    await get('/api/things', { 'x-test-user': userA }, bindings)
    expect((await get('/api/things', { 'x-test-user': userA }, bindings)).status).toBe(429)

    const forB = await get('/api/things', { 'x-test-user': userB }, bindings)
    expect(forB.status).toBe(200)
    expect(parseRateLimit(forB.headers.get('RateLimit')).remaining).toBe(1)
  })

  it('counts route groups separately for the same caller', async () => {
    const bindings = withLimits({ api: { limit: 1 }, public: { limit: 1 } })
    const user = freshUser()
    expect((await get('/api/things', { 'x-test-user': user }, bindings)).status).toBe(200)
    expect((await get('/api/things', { 'x-test-user': user }, bindings)).status).toBe(429)
    const publicRoute = await get('/api/callback', { 'x-test-user': user }, bindings)
    expect(publicRoute.status).toBe(200)
    expect(publicRoute.headers.get('RateLimit')).toMatch(/^"public";r=0;t=\d+$/)
  })

  it('keys unauthenticated callers by cf-connecting-ip, falling back to the first x-forwarded-for address', async () => {
    const bindings = withLimits({ public: { limit: 2, windowSeconds: 60 } })
    const octet = () => Math.floor(Math.random() * 250) + 1
    const address = `198.51.${octet()}.${octet()}`
    const other = `203.0.${octet()}.${octet()}`

    expect((await get('/api/callback', { 'cf-connecting-ip': address }, bindings)).status).toBe(200)
    // Same caller, seen through a proxy chain instead: the first x-forwarded-for entry is the client.
    expect((await get('/api/callback', { 'x-forwarded-for': `${address}, 10.0.0.1` }, bindings)).status).toBe(200)
    expect((await get('/api/callback', { 'cf-connecting-ip': address }, bindings)).status).toBe(429)

    expect((await get('/api/callback', { 'cf-connecting-ip': other }, bindings)).status).toBe(200)
    // A signed-in user behind the exhausted address has a quota of their own.
    expect((await get('/api/callback', { 'cf-connecting-ip': address, 'x-test-user': freshUser() }, bindings)).status).toBe(200)

    const stored = await runInDurableObject(limiters.getByName(`ip:${address}`), (_instance, state) =>
      state.storage.kv.get('window:public'),
    )
    expect(stored).toMatchObject({ used: 2 })
  })

  it('answers 503 config_invalid naming RATE_LIMITS when the override is malformed', async () => {
    const bindings = { ...env, RATE_LIMITS: '{"api":{"limit":0}}' }
    const response = await get('/api/things', { 'x-test-user': freshUser() }, bindings)
    expect(response.status).toBe(503)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('config_invalid')
    expect(body.error.message).toContain('RATE_LIMITS is malformed (api.limit:')
  })

  it('fails open, with a warning that names no caller, when the limiter itself fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = {
      getByName: () => ({
        consume: () => Promise.reject(new Error('Durable Object is overloaded. Too many requests queued.')),
      }),
    }
    const user = freshUser()
    const response = await get('/api/things', { 'x-test-user': user }, withLimits({}, { USER_RATE_LIMITER: broken }))
    expect(response.status).toBe(200)
    expect(response.headers.has('RateLimit')).toBe(false)
    expect(warn).toHaveBeenCalledOnce()
    expect(JSON.stringify(warn.mock.calls)).toContain('overloaded')
    expect(JSON.stringify(warn.mock.calls)).not.toContain(user)
  })
})

describe('UserRateLimiter', () => {
  const policy = { name: 'api', limit: 2, windowSeconds: 60 }

  it('keeps its counts in storage across an eviction', async () => {
    const stub = limiters.getByName(`user:${freshUser()}`)
    expect(await stub.consume(policy)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await stub.consume(policy)).toMatchObject({ allowed: true, remaining: 0 })

    await evictDurableObject(stub)

    const afterEviction = await stub.consume(policy)
    expect(afterEviction).toMatchObject({ allowed: false, remaining: 0, limit: 2 })
    expect(afterEviction.retryAfterSeconds).toBeGreaterThanOrEqual(1)
  })

  it('charges a cost in units and refuses a cost that no longer fits without consuming it', async () => {
    const stub = limiters.getByName(`user:${freshUser()}`)
    const quota = { name: 'export', limit: 10, windowSeconds: 60 }
    expect(await stub.consume(quota, 6)).toMatchObject({ allowed: true, remaining: 4 })
    expect(await stub.consume(quota, 5)).toMatchObject({ allowed: false, remaining: 4 })
    expect(await stub.consume(quota, 4)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('rejects a nonsensical policy or cost', async () => {
    const stub = limiters.getByName(`user:${freshUser()}`)
    // Settle each call here: handing an RPC promise to expect().rejects leaves stray pipelined rejections.
    const rejectionOf = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => String(error))
    expect(await rejectionOf(stub.consume({ name: 'api', limit: 0, windowSeconds: 60 }))).toMatch(/RangeError: policy.limit/)
    expect(await rejectionOf(stub.consume({ name: 'api', limit: 5, windowSeconds: 0.5 }))).toMatch(/windowSeconds/)
    expect(await rejectionOf(stub.consume(policy, 3))).toMatch(/cost/)
  })

  it('deletes ended windows on its alarm and keeps the open ones', async () => {
    const stub = limiters.getByName(`user:${freshUser()}`)
    await stub.consume({ name: 'short', limit: 5, windowSeconds: 1 })
    await stub.consume({ name: 'long', limit: 5, windowSeconds: 60 })
    await new Promise((resolve) => setTimeout(resolve, 1_100))

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const { keys, alarm } = await runInDurableObject(stub, async (_instance, state) => ({
      keys: [...state.storage.kv.list()].map(([key]) => key),
      alarm: await state.storage.getAlarm(),
    }))
    expect(keys).toEqual(['window:long'])
    // Rescheduled for the window still open, so it too is removed once it ends.
    expect(alarm).not.toBeNull()
  })

  it('leaves no storage behind once every window has ended', async () => {
    const stub = limiters.getByName(`user:${freshUser()}`)
    await stub.consume({ name: 'short', limit: 5, windowSeconds: 1 })
    await new Promise((resolve) => setTimeout(resolve, 1_100))

    // The alarm may already have fired on its own by now; if not, run it.
    await runDurableObjectAlarm(stub)
    const remaining = await runInDurableObject(stub, async (_instance, state) => ({
      keys: [...state.storage.kv.list()].length,
      alarm: await state.storage.getAlarm(),
    }))
    expect(remaining).toEqual({ keys: 0, alarm: null })
  })
})

describe('rateLimitPolicies', () => {
  function problemOf(raw: string): string {
    try {
      rateLimitPolicies(raw)
    } catch (error) {
      if (error instanceof ConfigError) return error.message
      throw error
    }
    throw new Error(`expected ${raw} to be rejected`)
  }

  it('uses the defaults when RATE_LIMITS is unset or blank', () => {
    expect(rateLimitPolicies(undefined).api).toEqual({ name: 'api', limit: 120, windowSeconds: 60 })
    expect(rateLimitPolicies('  ')).toEqual(rateLimitPolicies(undefined))
  })

  it('merges a partial override over the defaults, group by group', () => {
    const policies = rateLimitPolicies('{"api":{"limit":7},"webhooks":{"windowSeconds":10}}')
    expect(policies.api).toEqual({ name: 'api', limit: 7, windowSeconds: 60 })
    expect(policies.webhooks).toEqual({ name: 'webhooks', limit: 600, windowSeconds: 10 })
    expect(policies.public).toEqual(rateLimitPolicies(undefined).public)
  })

  it('rejects malformed values with a message naming RATE_LIMITS', () => {
    expect(problemOf('api=120')).toMatch(/^Invalid Worker configuration: RATE_LIMITS is malformed \(not JSON/)
    expect(problemOf('{"api":{"limit":0}}')).toContain('RATE_LIMITS is malformed (api.limit:')
    expect(problemOf('{"api":{"windowSeconds":1.5}}')).toContain('api.windowSeconds')
    expect(problemOf('{"API":{"limit":5}}')).toContain('RATE_LIMITS is malformed')
    expect(problemOf('{"api":{"limit":5,"burst":9}}')).toContain('RATE_LIMITS is malformed')
    expect(problemOf('[]')).toContain('RATE_LIMITS is malformed')
  })
})
