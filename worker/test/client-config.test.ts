import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'

describe('GET /api/client-config', () => {
  it("hands the dashboard Clerk's publishable key, cacheable (and usable stale while revalidating), without a session", async () => {
    const response = await SELF.fetch('http://localhost/api/client-config')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400')
    const body = (await response.json()) as { clerkPublishableKey: string }
    expect(body).toEqual({ clerkPublishableKey: (env as unknown as Record<string, string>).CLERK_PUBLISHABLE_KEY })
    // The key names the Frontend API (the stand-in here), as Clerk's SDK reads it.
    expect(atob(body.clerkPublishableKey.replace(/^pk_test_/, ''))).toMatch(/^127\.0\.0\.1:\d+\$$/)
  })

  it('answers 503 naming the setting when the key is not configured', async () => {
    const response = await createApp().request('/api/client-config', {}, { ...env, CLERK_PUBLISHABLE_KEY: '' })
    expect(response.status).toBe(503)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('CLERK_PUBLISHABLE_KEY is missing')
  })

  it('refuses a secret key where the publishable key belongs', async () => {
    const response = await createApp().request('/api/client-config', {}, { ...env, CLERK_PUBLISHABLE_KEY: 'sk_live_secret' })
    expect(response.status).toBe(503)
    const message = ((await response.json()) as { error: { message: string } }).error.message
    expect(message).toContain('CLERK_PUBLISHABLE_KEY is malformed')
    expect(message).not.toContain('sk_live_secret')
  })
})
