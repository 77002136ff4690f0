import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.ts'
import { signIn, signedWebhook } from './support/clerk.ts'
import { serviceClient } from './support/db.ts'

const secret = (env as unknown as Record<string, string>).CLERK_WEBHOOK_SECRET!

afterEach(() => vi.restoreAllMocks())

describe('every response', () => {
  it.each(['/api/health', '/api/nope', '/api/me'])('of %s carries a request id and secure headers', async (path) => {
    const response = await SELF.fetch(`http://localhost${path}`)
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(response.headers.get('strict-transport-security')).toContain('max-age=')
  })

  it('echoes a caller-supplied request id so logs can be correlated', async () => {
    const response = await SELF.fetch('http://localhost/api/health', { headers: { 'x-request-id': 'trace-12345678' } })
    expect(response.headers.get('x-request-id')).toBe('trace-12345678')
  })
})

describe('oversized bodies', () => {
  it('get 413 in the error shape before anything is read or written', async () => {
    const user = { id: `user_${crypto.randomUUID().replaceAll('-', '')}`, first_name: 'x'.repeat(70 * 1024), updated_at: 1, email_addresses: [] }
    const delivery = signedWebhook(secret, { type: 'user.created', data: user })
    const response = await SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: { code: 'payload_too_large', message: 'Request bodies are limited to 64 KiB.' } })
    const stored = await serviceClient().from('users').select('id').eq('id', user.id)
    expect(stored.data).toEqual([])
  })
})

describe('failures inside the Worker', () => {
  it('answer 503 without leaking the token, the query or a stack trace, in the response or the logs', async () => {
    const { token } = await signIn()
    const logged: string[] = []
    for (const level of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    }
    const response = await createApp().request(
      '/api/me',
      { headers: { authorization: `Bearer ${token}` } },
      { ...env, SUPABASE_URL: 'http://127.0.0.1:9' },
    )
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      error: { code: 'database_unavailable', message: 'The database did not answer as expected; try again shortly.' },
    })
    for (const output of [text, ...logged]) {
      expect(output).not.toContain(token)
      expect(output).not.toMatch(/at \S+ \(/) // no stack frames
    }
    expect(logged.some((line) => line.includes('database call failed: read profile'))).toBe(true)
  })
})

describe('the API description', () => {
  it('is an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await SELF.fetch('http://localhost/api/openapi.json')
    expect(response.status).toBe(200)
    const document = (await response.json()) as {
      openapi: string
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { scheme: string }> }
    }
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/accounts',
      '/api/accounts/{id}',
      '/api/accounts/{id}/events',
      '/api/accounts/{id}/sync',
      '/api/accounts/{id}/usage',
      '/api/amazon/{accountId}/{amazonPath}',
      '/api/auth/amazon/callback',
      '/api/auth/amazon/connect',
      '/api/client-config',
      '/api/health',
      '/api/health/live',
      '/api/keys',
      '/api/keys/{id}/revoke',
      '/api/me',
      '/api/session',
      '/api/webhooks/clerk',
    ])
    expect(document.paths['/api/me']!.get!.security).toEqual([{ clerkSession: [] }, { apiKey: [] }])
    // Each route names the API-key scope it needs.
    expect(document.paths['/api/accounts']!.get!.security).toEqual([{ clerkSession: [] }, { apiKey: ['accounts:read'] }])
    expect(document.paths['/api/accounts/{id}']!.patch!.security).toEqual([{ clerkSession: [] }, { apiKey: ['accounts:write'] }])
    expect(document.paths['/api/amazon/{accountId}/{amazonPath}']!.get!.security).toEqual([{ clerkSession: [] }, { apiKey: ['amazon:proxy'] }])
    expect(document.components.securitySchemes.apiKey!.scheme).toBe('bearer')
    expect(Object.keys(document.paths['/api/me']!.get!.responses)).toEqual(expect.arrayContaining(['200', '401', '404']))
    expect(document.components.securitySchemes.clerkSession!.scheme).toBe('bearer')
    expect(document.components.schemas).toHaveProperty('Error')
    expect(document.components.schemas).toHaveProperty('Profile')
    const proxy = document.paths['/api/amazon/{accountId}/{amazonPath}']!
    expect(Object.keys(proxy).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put'])
    expect(Object.keys(proxy.get!.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '413', '415', '429']))
  })

  it('has a readable reference page listing every operation', async () => {
    const response = await SELF.fetch('http://localhost/api/docs')
    expect(response.headers.get('content-type')).toContain('text/html')
    const page = await response.text()
    for (const path of ['/api/health', '/api/me', '/api/webhooks/clerk']) expect(page).toContain(`<code>${path}</code>`)
    expect(page).not.toContain('<script')

    // Each operation's copy-paste curl and who may call it, escaped for HTML (quotes included).
    const section = (id: string) => {
      const found = page.match(new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`))?.[1]
      expect(found, id).toBeDefined()
      const text = found!.replace(/<[^>]+>/g, '')
      return text.replace(/&(quot|#39|lt|gt|amp);/g, (_, name: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[name]!)
    }
    expect(page).toContain('curl &quot;$SELLERSYNC_URL/api/accounts&quot; \\\n  -H &quot;Authorization: Bearer $SELLERSYNC_API_KEY&quot;')
    const accounts = section('get-/api/accounts')
    expect(accounts).toContain('curl "$SELLERSYNC_URL/api/accounts" \\\n  -H "Authorization: Bearer $SELLERSYNC_API_KEY"')
    expect(accounts).toContain('Auth: a Clerk session token, or an API key with the scope accounts:read')
    expect(section('post-/api/accounts/{id}/sync')).toContain('curl -X POST "$SELLERSYNC_URL/api/accounts/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f/sync"')
    expect(section('get-/api/session')).toContain('or any API key')
    // Every path has example values (no placeholder left for curl to glob), and each proxy method a real operation.
    expect(section('get-/api/accounts/{id}/usage')).toContain('curl "$SELLERSYNC_URL/api/accounts/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f/usage"')
    expect(section('post-/api/keys/{id}/revoke')).toContain('curl -X POST "$SELLERSYNC_URL/api/keys/ak_0123456789abcdef0123456789abcdef/revoke"')
    const proxy = (method: string) => section(`${method}-/api/amazon/{accountId}/{amazonPath}`)
    expect(proxy('get')).toContain('/api/amazon/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f/sellers/v1/marketplaceParticipations"')
    expect(proxy('post')).toContain(`/reports/2021-06-30/reports" \\\n  -H "Authorization: Bearer $SELLERSYNC_API_KEY" \\\n  -H 'content-type: application/json' \\\n  -d '{"reportType":"GET_MERCHANT_LISTINGS_ALL_DATA","marketplaceIds":["ATVPDKIKX0DER"]}'`)
    expect(proxy('patch')).toContain('-X PATCH "$SELLERSYNC_URL/api/amazon/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f/listings/2021-08-01/items/A3EXAMPLESELLER/SKU-123?marketplaceIds=ATVPDKIKX0DER"')
    expect(proxy('delete')).toContain('-X DELETE "$SELLERSYNC_URL/api/amazon/0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f/reports/2021-06-30/reports/50001019876"')
    expect(proxy('delete')).not.toContain('-d ')
    expect(page).not.toContain('curl -g')
    // Session only: a person's token, and the JSON body built from the schema's required fields and examples.
    const connect = section('post-/api/auth/amazon/connect')
    expect(connect).toContain('a Clerk session token only')
    expect(connect).toContain(`-H "Authorization: Bearer $TOKEN" \\\n  -H 'content-type: application/json' \\\n  -d '{"provider":"sp_api","marketplace":"ATVPDKIKX0DER"}'`)
    // The webhook: Svix's headers, no key and no token.
    const webhook = section('post-/api/webhooks/clerk')
    expect(webhook).toContain(`curl -X POST "$SELLERSYNC_URL/api/webhooks/clerk" \\\n  -H 'svix-id: <svix-id>'`)
    expect(webhook).toContain("-H 'svix-signature: <svix-signature>'")
    expect(webhook).toContain('Auth: no token or key; required headers: svix-id, svix-timestamp, svix-signature')
    expect(webhook).not.toContain('Authorization:')
    expect(webhook).not.toContain('$SELLERSYNC_API_KEY')
    expect(section('get-/api/health/live')).toContain('Auth: none')
    expect(section('get-/api/health/live')).not.toContain('Authorization')
  })
})
