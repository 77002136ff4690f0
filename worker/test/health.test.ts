import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import pkg from '../../package.json'

const app = createApp()

describe('GET /api/health', () => {
  it('reports the database reachable when PostgREST answers through the gateway', async () => {
    const response = await SELF.fetch('http://localhost/api/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      status: 'ok',
      version: pkg.version,
      database: 'reachable',
      // Other suites share the database: only the shape of the token engine's report is fixed here.
      tokens: {
        amazon_credentials: { sp_api: expect.stringMatching(/^(ok|rejected|failing|unknown)$/), ads: expect.stringMatching(/^(ok|rejected|failing|unknown)$/) },
        grants_on_older_keys: expect.any(Number),
      },
    })
  })

  it('reports an unreachable database honestly when nothing listens at SUPABASE_URL', async () => {
    const response = await app.request('/api/health', {}, { ...env, SUPABASE_URL: 'http://127.0.0.1:9' })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ status: 'degraded', version: pkg.version, database: 'unreachable', tokens: null })
  })

  it('counts a gateway that refuses our API key as unreachable, not healthy', async () => {
    const response = await app.request('/api/health', {}, { ...env, SUPABASE_ANON_KEY: 'not-a-key' })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ database: 'unreachable' })
  })
})

describe('unknown routes', () => {
  it('answer 404 in the error shape', async () => {
    const response = await SELF.fetch('http://localhost/api/nope')
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nope' } })
  })
})
