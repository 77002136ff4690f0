import { describe, expect, it } from 'vitest'
import { control, spApi, spApiAccessToken, start } from './stand-in-client.ts'

describe('standing latency', () => {
  it('POST /latency makes every answer of a service take that long, until set back to 0', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const timed = async () => {
      const started = performance.now()
      const reply = await spApi(standIn, token, '/sellers/v1/marketplaceParticipations')
      return { status: reply.status, ms: performance.now() - started }
    }

    expect((await control(standIn, 'POST', '/latency', { ms: 300 })).body).toEqual({ latency: { sp_api: 300 } })
    for (let i = 0; i < 2; i++) {
      const slow = await timed()
      expect(slow.status).toBe(200)
      expect(slow.ms).toBeGreaterThanOrEqual(290)
    }
    // Other services are not slowed.
    const started = performance.now()
    await spApiAccessToken(standIn)
    expect(performance.now() - started).toBeLessThan(290)

    standIn.setLatency({ ms: 0 })
    expect((await timed()).ms).toBeLessThan(290)
    expect((await control(standIn, 'GET', '/latency')).body).toEqual({ latency: {} })
    expect((await control(standIn, 'POST', '/latency', { ms: -1 })).status).toBe(400)
    expect((await control(standIn, 'POST', '/latency', { ms: 10, target: 'nowhere' })).status).toBe(400)

    standIn.setLatency({ ms: 50, target: 'lwa' })
    await control(standIn, 'POST', '/reset')
    expect((await control(standIn, 'GET', '/latency')).body).toEqual({ latency: {} })
  })
})
