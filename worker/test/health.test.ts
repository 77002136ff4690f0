import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'

describe('health', () => {
  it('x', async () => {
    const res = await createApp().request('/api/health', {}, env)
    expect(res.status).toBe(503)
    console.log(await res.json())
  })
})
