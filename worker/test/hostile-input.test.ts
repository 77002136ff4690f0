import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.ts'
import { check, DatabaseError, type Db } from '../src/db/supabase.ts'
import { textProblem } from '../src/validation/safe-text.ts'
import { callback, connectSeller, randomIp, startConnect, syncedUser } from './support/amazon.ts'
import { signIn, signedWebhook, type ClerkUser } from './support/clerk.ts'
import { serviceClient } from './support/db.ts'

const bindings = env as unknown as Record<string, string>
const db = serviceClient()

/** The values every string field is probed with (each on its own). */
const HOSTILE = {
  nul: 'Main\u0000store',
  'lone surrogate': 'Main\ud800store',
  'bidi override': 'Main\u202Eerots',
  'bidi isolate': 'Main\u2066store',
  'C1 control': 'Main\u0085store',
  'zero-width only': '\u200B\u200C\u200D\u2060\uFEFF',
  huge: 'x'.repeat(10_000),
} as const
const probes = Object.entries(HOSTILE)

type ErrorBody = { error: { code: string; message: string; details?: { issues?: Array<{ path: string; message: string }> } } }

/** A 4xx in the error shape whose issues name exactly this field. */
async function expectFieldRefused(response: Response, path: string) {
  expect(response.status).toBe(400)
  const body = (await response.json()) as ErrorBody
  expect(body.error.code).toBe('invalid_request')
  expect(body.error.details?.issues?.map((issue) => issue.path)).toContain(path)
  expect(body.error.message).toContain(path)
}

/** Every console line written while `run` runs. */
async function logsOf<T>(run: () => T | Promise<T>): Promise<{ result: T; logged: string }> {
  const lines: string[] = []
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  )
  try {
    return { result: await run(), logged: lines.join('\n') }
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}

afterEach(() => vi.restoreAllMocks())

describe('textProblem', () => {
  // The length limit is each schema's own: the huge value is plain text.
  it.each(probes.filter(([name]) => name !== 'huge'))('refuses %s', (_name, value) => expect(textProblem(value)).toMatch(/^must /))

  it.each([
    ['accents and emoji', 'Café Zürich 🇩🇪'],
    ['a joined emoji sequence', 'Family 👩‍👩‍👧 shop'],
    ['right-to-left text without overrides', 'חנות ראשית'],
    ['Arabic with a right-to-left mark', 'متجر\u200F 1'],
    ['CJK', '東京ストア'],
  ])('accepts %s', (_name, value) => expect(textProblem(value)).toBeNull())

  it.each([
    ['spaces only', '   '],
    ['no-break and ideographic spaces', '\u00A0\u3000'],
    ['Hangul fillers', '\u3164\uFFA0'],
    ['Braille blank', '\u2800'],
    ['a lone variation selector', '\uFE0F'],
  ])('calls %s blank', (_name, value) => expect(textProblem(value)).toBe('must not be blank'))
})

describe('PATCH /api/accounts/{id} display_name', () => {
  it.each(probes)('refuses %s with a 400 naming the field and changes nothing', async (_name, value) => {
    const { token } = await syncedUser()
    const { accountId } = await connectSeller(token)
    await db.from('user_accounts').update({ display_name: 'Before' }).eq('id', accountId)
    const response = await SELF.fetch(`http://localhost/api/accounts/${accountId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ display_name: value }),
    })
    await expectFieldRefused(response, 'json.display_name')
    const { data } = await db.from('user_accounts').select('display_name').eq('id', accountId).single()
    expect(data).toEqual({ display_name: 'Before' })
  })

  it('still accepts names in any script, trimmed', async () => {
    const { token } = await syncedUser()
    const { accountId } = await connectSeller(token)
    for (const name of ['Café 🇩🇪 Family 👩‍👩‍👧', 'חנות ראשית', '  東京ストア  ']) {
      const response = await SELF.fetch(`http://localhost/api/accounts/${accountId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ display_name: name }),
      })
      expect(response.status).toBe(200)
      expect(((await response.json()) as { display_name: string }).display_name).toBe(name.trim())
    }
  })
})

describe('POST /api/auth/amazon/connect', () => {
  const bodies = {
    provider: (value: string) => ({ provider: value, region: 'na' }),
    region: (value: string) => ({ provider: 'ads', region: value }),
    marketplace: (value: string) => ({ provider: 'sp_api', marketplace: value }),
  }
  const cases = Object.entries(bodies).flatMap(([field, body]) => probes.map(([name, value]) => [field, name, body(value)] as const))

  it.each(cases)('refuses a %s with %s as a 400 naming it', async (field, _name, body) => {
    const { token } = await signIn()
    const { response } = await startConnect(token, body)
    await expectFieldRefused(response, `json.${field}`)
  })
})

describe('GET /api/auth/amazon/callback', () => {
  const parameters = ['state', 'spapi_oauth_code', 'selling_partner_id', 'code', 'error']
  // A URL carries UTF-8, which has no unpaired surrogates: the closest a client can send is the
  // CESU-8 bytes, which stay the literal text "%ED%A0%80" (harmless; the state then matches nothing).
  const encoded = (value: string) => (value === HOSTILE['lone surrogate'] ? 'Main%ED%A0%80store' : encodeURIComponent(value))
  const cases = parameters.flatMap((parameter) => probes.map(([name, value]) => [parameter, name, value] as const))

  it.each(cases)('redirects a %s with %s to the dashboard with a connect error, logging the parameter only', async (parameter, name, value) => {
    const others = parameter === 'state' ? '' : `&state=${crypto.randomUUID()}`
    const location = `http://localhost/api/auth/amazon/callback?${parameter}=${encoded(value)}${others}`
    // Still a redirect, never a 400 or 5xx: a browser is on this request.
    const { result: response, logged } = await logsOf(() => callback(location, 'sellersync_oauth_nonce=abc'))
    expect(response.status).toBe(302)
    const target = new URL(response.headers.get('location')!)
    expect(target.pathname).toBe('/accounts')
    if (name === 'lone surrogate') {
      expect(target.searchParams.get('connect_error')).toMatch(/^(state_invalid|missing_parameters)$/)
    } else {
      expect(target.searchParams.get('connect_error')).toBe('missing_parameters')
      expect(logged).toContain(`(query.${parameter}: `)
    }
    expect(logged).not.toContain(value.length > 100 ? value.slice(0, 100) : value)
  })
})

describe('POST /api/webhooks/clerk user fields', () => {
  const secret = bindings.CLERK_WEBHOOK_SECRET!

  function clerkUser(): ClerkUser {
    return {
      id: `user_${crypto.randomUUID().replaceAll('-', '')}`,
      first_name: 'Grace',
      last_name: 'Hopper',
      image_url: 'https://img.clerk.com/grace.png',
      updated_at: 1_700_000_000_000,
      primary_email_address_id: 'idn_primary',
      email_addresses: [{ id: 'idn_primary', email_address: `${crypto.randomUUID()}@example.com` }],
    }
  }

  type Field = { path: string; set: (user: ClerkUser, value: string) => ClerkUser }
  const fields: Field[] = [
    { path: 'data.id', set: (user, value) => ({ ...user, id: value }) },
    { path: 'data.first_name', set: (user, value) => ({ ...user, first_name: value }) },
    { path: 'data.last_name', set: (user, value) => ({ ...user, last_name: value }) },
    { path: 'data.image_url', set: (user, value) => ({ ...user, image_url: value }) },
    { path: 'data.primary_email_address_id', set: (user, value) => ({ ...user, primary_email_address_id: value }) },
    { path: 'data.email_addresses.0.id', set: (user, value) => ({ ...user, email_addresses: [{ ...user.email_addresses[0]!, id: value }] }) },
    {
      path: 'data.email_addresses.0.email_address',
      set: (user, value) => ({ ...user, email_addresses: [{ ...user.email_addresses[0]!, email_address: value }] }),
    },
  ]
  /** Optional profile texts: blank means "not set" there, and the user is synced without it. */
  const blankIsAbsent = new Set(['data.first_name', 'data.last_name', 'data.image_url'])
  const cases = fields.flatMap((field) => probes.map(([name, value]) => [field.path, name, field, value] as const))

  async function deliver(event: { type: string; data: unknown }) {
    const delivery = signedWebhook(secret, event)
    return SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body })
  }

  it.each(cases)('acknowledges a signed user.created whose %s is %s without writing it or logging values', async (path, name, field, value) => {
    const user = clerkUser()
    const hostile = field.set(user, value)
    const { result: response, logged } = await logsOf(() => deliver({ type: 'user.created', data: hostile }))
    // 2xx, never 4xx or 5xx: Svix retries those for days, and a redelivery carries the same bytes.
    expect(response.status).toBe(200)
    const body = (await response.json()) as { outcome: string; issues?: Array<{ path: string }> }
    const stored = await db.from('users').select('first_name, last_name, image_url').eq('id', user.id).maybeSingle()
    if (name === 'zero-width only' && blankIsAbsent.has(path)) {
      expect(body.outcome).toBe('applied')
      expect(stored.data).toMatchObject({ [path.slice('data.'.length)]: null })
      return
    }
    expect(body).toMatchObject({ outcome: 'invalid', issues: [expect.objectContaining({ path })] })
    expect(stored.data).toBeNull()
    expect(logged).toContain(`${path}: `)
    expect(logged).not.toContain(user.email_addresses[0]!.email_address)
    expect(logged).not.toContain('Hopper')
  })

  it.each(probes)('acknowledges a signed user.deleted whose id is %s, deleting nothing', async (_name, value) => {
    const response = await deliver({ type: 'user.deleted', data: { id: value, deleted: true } })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ outcome: 'invalid', issues: [expect.objectContaining({ path: 'data.id' })] })
  })

  it.each(probes)('refuses a signed event whose type is %s (not a Clerk event) with 400', async (_name, value) => {
    const response = await deliver({ type: value, data: {} })
    expect(response.status).toBe(400)
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_event')
  })
})

describe('PostgREST data errors', () => {
  /** The app, plus a route that makes the given database call the way the db/ modules do. */
  function appCalling(call: () => Promise<unknown>) {
    const app = createApp()
    app.get('/probe', async (c) => c.json(await call()))
    return app
  }
  const serviceDb = db as unknown as Db

  it('answer 400 invalid_data when Postgres refuses a value (22xxx), not 503', async () => {
    const app = appCalling(async () =>
      check('probe insert', await serviceDb.from('users').insert({ id: `user_${crypto.randomUUID()}`, first_name: 'nul\u0000', clerk_updated_at: 1 })),
    )
    const { result: response, logged } = await logsOf(() => app.request('/api/probe', {}, env))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: { code: 'invalid_data', message: 'The database refused a value in this request.' } })
    expect(logged).toMatch(/database call failed: probe insert \(22\w{3}\)/)
  })

  it('answer 400 for a check violation (23514) and 409 for a unique violation (23505)', async () => {
    const tooLong = appCalling(async () => check('probe', await serviceDb.from('users').insert({ id: 'u'.repeat(300), clerk_updated_at: 1 })))
    expect((await logsOf(() => tooLong.request('/api/probe', {}, env))).result.status).toBe(400)

    const id = `user_${crypto.randomUUID()}`
    await db.from('users').insert({ id, clerk_updated_at: 1 })
    const twice = appCalling(async () => check('probe', await serviceDb.from('users').insert({ id, clerk_updated_at: 1 })))
    const response = (await logsOf(() => twice.request('/api/probe', {}, env))).result
    expect(response.status).toBe(409)
    expect(((await response.json()) as ErrorBody).error.code).toBe('conflict')
  })

  it('keep 503 for real unavailability', async () => {
    for (const code of [undefined, '', 'PGRST000', 'PGRST001', 'PGRST002', '40001', '40P01', '57014', '53300', '08006']) {
      expect(new DatabaseError('probe', code).kind).toBe('unavailable')
    }
    const app = appCalling(async () => {
      throw new DatabaseError('probe', 'PGRST001')
    })
    const response = (await logsOf(() => app.request('/api/probe', {}, env))).result
    expect(response.status).toBe(503)
    expect(((await response.json()) as ErrorBody).error.code).toBe('database_unavailable')
  })
})

describe('other inputs', () => {
  it('a hostile account id in the path is the usual 404, never a 5xx', async () => {
    const { token } = await syncedUser()
    for (const id of ['%00', '%E2%80%AE', '%E2%80%8B', 'x'.repeat(5_000)]) {
      const response = await SELF.fetch(`http://localhost/api/accounts/${id}`, { headers: { authorization: `Bearer ${token}` } })
      expect(response.status).toBe(404)
    }
  })

  it('a hostile bearer token is a 401, never a 5xx', async () => {
    for (const token of ['\u0085', 'a'.repeat(10_000), 'é']) {
      const response = await SELF.fetch('http://localhost/api/me', {
        headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': randomIp() },
      })
      expect(response.status).toBe(401)
    }
  })
})
