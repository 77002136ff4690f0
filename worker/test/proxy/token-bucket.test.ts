import { describe, expect, it } from 'vitest'
import { RdtCache } from '../../src/proxy/rdt-cache.ts'
import { REFILL_MARGIN_MS as M, TokenBucket } from '../../src/proxy/token-bucket.ts'

describe('TokenBucket', () => {
  it('hands out the burst at once, then queues callers one refill interval apart', () => {
    const bucket = new TokenBucket({ rate: 2, burst: 3 }, 0)
    expect([1, 2, 3].map(() => bucket.take(0, 0))).toEqual(Array(3).fill({ granted: true, waitMs: 0 }))
    expect(bucket.take(0, 0)).toEqual({ granted: false, retryAfterMs: 500 + M })
    // Waiters reserve: the next ones are told 500 ms, 1000 ms (plus the margin), in order.
    expect(bucket.take(0, 2_000)).toEqual({ granted: true, waitMs: 500 + M })
    expect(bucket.take(0, 2_000)).toEqual({ granted: true, waitMs: 1_000 + M })
    expect(bucket.state(0)).toMatchObject({ plan: { available: 0 }, nextTokenMs: 1_500 + M })
    expect(bucket.take(1_500, 0)).toEqual({ granted: true, waitMs: 0 })
  })

  it('refills up to the burst, never past it', () => {
    const bucket = new TokenBucket({ rate: 1, burst: 2 }, 0)
    bucket.take(0, 0)
    bucket.take(0, 0)
    expect(bucket.state(60_000)).toMatchObject({ plan: { available: 2 }, fullMs: 0 })
  })

  it('learns the rate Amazon states and says so', () => {
    const bucket = new TokenBucket({ rate: 0.0167, burst: 20 }, 0)
    for (let i = 0; i < 20; i++) bucket.take(0, 0)
    bucket.learn(5, 0)
    expect(bucket.state(0)).toMatchObject({ plan: { rate: 5, source: 'amazon' }, nextTokenMs: 200 + M })
    bucket.learn(Number.NaN, 0)
    expect(bucket.state(0).plan!.rate).toBe(5)
  })

  it('drain empties it (Amazon said 429); pause closes it until Amazon’s Retry-After', () => {
    const bucket = new TokenBucket({ rate: 1, burst: 10 }, 0)
    bucket.drain(0)
    expect(bucket.take(0, 0)).toEqual({ granted: false, retryAfterMs: 1_000 + M })
    const ads = new TokenBucket(null, 0)
    expect(ads.take(0, 0)).toEqual({ granted: true, waitMs: 0 })
    ads.pause(3_000)
    expect(ads.take(1_000, 1_000)).toEqual({ granted: false, retryAfterMs: 2_000 })
    expect(ads.take(1_000, 2_000)).toEqual({ granted: true, waitMs: 2_000 })
    expect(ads.state(1_000)).toEqual({ plan: null, nextTokenMs: 2_000, fullMs: 2_000 })
  })

  it('a token given back is available again', () => {
    const bucket = new TokenBucket({ rate: 1, burst: 1 }, 0)
    bucket.take(0, 0)
    bucket.giveBack(0)
    expect(bucket.take(0, 0)).toEqual({ granted: true, waitMs: 0 })
  })
})

describe('RdtCache', () => {
  type Result = { ok: true; expiresAt: number; token: string } | { ok: false }

  it('shares one mint between concurrent callers and reuses it until 60 s before expiry', async () => {
    const cache = new RdtCache<Result>()
    let mints = 0
    const mint = async () => ({ ok: true as const, expiresAt: 3_600_000, token: `rdt-${++mints}` })
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', 0, mint)))
    expect(new Set(results.map((result) => (result.ok ? result.token : '')))).toEqual(new Set(['rdt-1']))
    expect(mints).toBe(1)
    expect(await cache.get('k', 3_539_999, mint)).toMatchObject({ token: 'rdt-1' })
    const renewed = await Promise.all([cache.get('k', 3_540_000, mint), cache.get('k', 3_540_000, mint)])
    expect(renewed.map((result) => (result.ok ? result.token : ''))).toEqual(['rdt-2', 'rdt-2'])
    expect(await cache.get('other', 0, mint)).toMatchObject({ token: 'rdt-3' })
  })

  it('does not keep a refusal', async () => {
    const cache = new RdtCache<Result>()
    let calls = 0
    const refuse = async () => (calls++, { ok: false as const })
    await cache.get('k', 0, refuse)
    await cache.get('k', 0, refuse)
    expect(calls).toBe(2)
  })
})
