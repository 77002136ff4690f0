import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { signIn } from './support/clerk.ts'

const app = createApp()
const limited = { ...env, RATE_LIMITS: JSON.stringify({ api: { limit: 3, windowSeconds: 60 } }) }

const session = (token: string) => app.request('/api/session', { headers: { authorization: `Bearer ${token}` } }, limited)

describe('authenticated routes are rate limited per user', () => {
  it('admit the limit with RateLimit headers, then answer 429 with Retry-After', async () => {
    const { user, token } = await signIn()
    for (const remaining of [2, 1, 0]) {
      const response = await session(token)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ userId: user.id })
      expect(response.headers.get('ratelimit-policy')).toBe('"api";q=3;w=60')
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"api";r=${remaining};t=\\d+$`))
    }
    const refused = await session(token)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
  })

  it('count each user separately', async () => {
    const a = await signIn()
    const b = await signIn()
    for (let i = 0; i < 4; i++) await session(a.token)
    expect((await session(a.token)).status).toBe(429)
    expect((await session(b.token)).status).toBe(200)
  })

  it('do not count requests whose token is refused', async () => {
    const { token } = await signIn()
    for (let i = 0; i < 5; i++) expect((await session(`${token}x`)).status).toBe(401)
    expect((await session(token)).status).toBe(200)
  })
})
