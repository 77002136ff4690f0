// Clerk API keys on the stand-in: the Backend API (driven through @clerk/backend's own client, so the
// stand-in is proven against the SDK the Worker uses), the Frontend API endpoints clerk-js calls for
// <APIKeys/>, and the test controls (verification counts, faults, the API keys' clock).
import { createHash } from 'node:crypto'
import { createClerkClient } from '@clerk/backend'
import { isClerkAPIResponseError } from '@clerk/backend/errors'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClerkStandIn, type ClerkUser, startClerkStandIn } from '../../clerk/server.ts'

const SECRET_KEY = 'sk_test_api_keys_tests'
const APP = 'http://localhost:8787'
const PASSWORD = 'a good long password'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function startStandIn(): Promise<ClerkStandIn> {
  const standIn = await startClerkStandIn({ keyDir: null, secretKey: SECRET_KEY, authorizedParty: APP })
  cleanups.push(() => standIn.stop())
  return standIn
}

function clerkFor(standIn: ClerkStandIn, secretKey = SECRET_KEY) {
  return createClerkClient({ secretKey, apiUrl: standIn.url, publishableKey: standIn.publishableKey, telemetry: { disabled: true } })
}

async function seller(standIn: ClerkStandIn, email = 'seller@example.com'): Promise<ClerkUser> {
  return standIn.createUser({ email_address: [email], first_name: 'Sam', last_name: 'Seller', password: PASSWORD })
}

/** What a rejected @clerk/backend call threw: ClerkAPIResponseError's status and first error. */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isClerkAPIResponseError(error)) throw new Error(`expected a ClerkAPIResponseError, got ${String(error)}`)
  return { status: error.status, code: error.errors[0]?.code, message: error.errors[0]?.message, retryAfter: error.retryAfter }
}

/** A raw Backend API call (what the SDK does not expose, or to see exact bodies). */
async function backend(standIn: ClerkStandIn, method: string, path: string, body?: unknown, secretKey: string | null = SECRET_KEY) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secretKey !== null) headers.authorization = `Bearer ${secretKey}`
  const response = await fetch(`${standIn.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: response.status, headers: response.headers, body: (await response.json()) as any }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('Backend API, through @clerk/backend', () => {
  it('creates a key whose secret is shown once, and verifies it: subject, scopes, claims, last_used_at', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)

    const created = await clerk.apiKeys.create({
      name: 'Nightly sync',
      subject: user.id,
      description: 'cron on the build box',
      scopes: ['orders:read', 'accounts:read'],
      claims: { plan: 'pro' },
      createdBy: user.id,
    })
    expect(created).toMatchObject({
      id: expect.stringMatching(/^ak_[0-9a-f]{32}$/),
      type: 'api_key',
      name: 'Nightly sync',
      subject: user.id,
      description: 'cron on the build box',
      scopes: ['orders:read', 'accounts:read'],
      claims: { plan: 'pro' },
      createdBy: user.id,
      revoked: false,
      revocationReason: null,
      expired: false,
      expiration: null,
      lastUsedAt: null,
      secret: expect.stringMatching(/^ak_[0-9A-Za-z]{32}$/),
    })
    expect(created.createdAt).toBe(created.updatedAt)
    const secret = created.secret!

    // Read back, the secret is gone.
    expect((await clerk.apiKeys.get(created.id)).secret).toBeUndefined()

    const verified = await clerk.apiKeys.verify(secret)
    expect(verified).toMatchObject({ id: created.id, subject: user.id, scopes: ['orders:read', 'accounts:read'], claims: { plan: 'pro' }, revoked: false, expired: false })
    expect(verified.secret).toBeUndefined()
    expect(verified.lastUsedAt).toEqual(expect.any(Number))
    expect(verified.updatedAt).toBe(created.updatedAt) // a use is not an update

    standIn.advanceApiKeyClock(5_000)
    const again = await clerk.apiKeys.verify(secret)
    expect(again.lastUsedAt! - verified.lastUsedAt!).toBeGreaterThanOrEqual(5_000)
    expect((await clerk.apiKeys.get(created.id)).lastUsedAt).toBe(again.lastUsedAt)
  })

  it('answers the exact JSON of Clerk\'s reference, at /api_keys (the SDK\'s path) and /v1/api_keys alike', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const created = await backend(standIn, 'POST', '/v1/api_keys', { name: 'Raw key', subject: user.id, scopes: ['a'], seconds_until_expiration: 3600 })
    expect(created.status).toBe(200)
    expect(Object.keys(created.body).sort()).toEqual(
      [
        'object', 'id', 'type', 'subject', 'name', 'description', 'claims', 'scopes', 'secret', 'revoked', 'revocation_reason',
        'expired', 'expiration', 'created_by', 'last_used_at', 'created_at', 'updated_at',
      ].sort(),
    )
    expect(created.body).toMatchObject({ object: 'api_key', claims: null, description: null, created_by: null, expiration: created.body.created_at + 3_600_000 })
    const viaV1 = await backend(standIn, 'GET', `/v1/api_keys/${created.body.id}`)
    const viaSdkPath = await backend(standIn, 'GET', `/api_keys/${created.body.id}`)
    expect(viaV1.body).toEqual(viaSdkPath.body)
    expect(viaV1.body).not.toHaveProperty('secret')
    expect(viaV1.headers.get('content-type')).toBe('application/json')
  })

  it('refuses a revoked key with 404 api_key_revoked, and keeps the revocation reason', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Leaky key', subject: user.id })

    const revoked = await clerk.apiKeys.revoke({ apiKeyId: key.id, revocationReason: 'pasted in a ticket' })
    expect(revoked).toMatchObject({ revoked: true, revocationReason: 'pasted in a ticket', expired: false })
    expect(revoked.updatedAt).toBeGreaterThanOrEqual(key.updatedAt)
    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toEqual({ status: 404, code: 'api_key_revoked', message: 'API key revoked', retryAfter: undefined })

    // Revoking again changes nothing.
    expect(await clerk.apiKeys.revoke({ apiKeyId: key.id })).toMatchObject({ revoked: true, revocationReason: 'pasted in a ticket' })
  })

  it('expires keys by the stand-in clock: 404 api_key_expired, expired: true when listed', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Short-lived', subject: user.id, secondsUntilExpiration: 60 })
    expect(key.expiration).toBe(key.createdAt + 60_000)

    standIn.advanceApiKeyClock(59_000)
    expect((await clerk.apiKeys.verify(key.secret!)).expired).toBe(false)

    // Over HTTP too, for callers without the object (Worker tests).
    const moved = await backend(standIn, 'POST', '/__dev/api-keys/clock', { advanceMs: 1_000 })
    expect(moved.body).toEqual({ now: expect.any(Number), iso: expect.any(String) })
    expect(moved.body.now).toBeGreaterThanOrEqual(key.expiration!)

    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toMatchObject({ status: 404, code: 'api_key_expired' })
    expect((await clerk.apiKeys.get(key.id)).expired).toBe(true)
    expect((await backend(standIn, 'POST', '/__dev/api-keys/clock', { advanceMs: -1 })).status).toBe(422)
  })

  it('refuses an unknown secret with 404 api_key_not_found, and authenticateRequest reads all three refusals as token-invalid', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    expect(await refusal(clerk.apiKeys.verify('ak_NotAKeyNotAKeyNotAKeyNotAKey00'))).toMatchObject({ status: 404, code: 'api_key_not_found' })

    // The other path the SDK offers: authenticateRequest with acceptsToken 'api_key' calls the same endpoint.
    const key = await clerk.apiKeys.create({ name: 'Script', subject: user.id, scopes: ['orders:read'] })
    const request = (secret: string) => new Request(`${APP}/api/me`, { headers: { authorization: `Bearer ${secret}` } })
    const accepted = await clerk.authenticateRequest(request(key.secret!), { acceptsToken: 'api_key' })
    expect(accepted.isAuthenticated).toBe(true)
    expect(accepted.toAuth()).toMatchObject({ tokenType: 'api_key', id: key.id, userId: user.id, scopes: ['orders:read'] })

    await clerk.apiKeys.revoke({ apiKeyId: key.id })
    for (const secret of [key.secret!, 'ak_NotAKeyNotAKeyNotAKeyNotAKey00']) {
      const refused = await clerk.authenticateRequest(request(secret), { acceptsToken: 'api_key' })
      expect(refused.isAuthenticated).toBe(false)
      expect(refused.reason).toBe('token-invalid')
    }
  })

  it('answers a wrong secret key with 401 clerk_key_invalid on every API key endpoint', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const key = await clerkFor(standIn).apiKeys.create({ name: 'Real key', subject: user.id })
    const wrong = clerkFor(standIn, 'sk_test_not_the_key')
    for (const call of [
      () => wrong.apiKeys.verify(key.secret!),
      () => wrong.apiKeys.create({ name: 'Other key', subject: user.id }),
      () => wrong.apiKeys.list({ subject: user.id }),
      () => wrong.apiKeys.get(key.id),
      () => wrong.apiKeys.revoke({ apiKeyId: key.id }),
    ]) {
      expect(await refusal(call())).toMatchObject({ status: 401, code: 'clerk_key_invalid' })
    }
    expect((await backend(standIn, 'POST', '/v1/api_keys/verify', { secret: key.secret }, null)).body.errors[0].code).toBe('authorization_header_format_invalid')
    expect((await clerkFor(standIn).apiKeys.get(key.id)).revoked).toBe(false)
  })

  it('lists a subject\'s keys newest first, valid ones only unless include_invalid, with paging', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const other = await seller(standIn, 'other@example.com')
    const clerk = clerkFor(standIn)
    const expiring = await clerk.apiKeys.create({ name: 'Expiring', subject: user.id, secondsUntilExpiration: 10 })
    standIn.advanceApiKeyClock(1)
    const revoked = await clerk.apiKeys.create({ name: 'Revoked', subject: user.id })
    standIn.advanceApiKeyClock(1)
    const live = await clerk.apiKeys.create({ name: 'Live', subject: user.id })
    await clerk.apiKeys.create({ name: 'Live', subject: other.id }) // names are unique per subject only
    await clerk.apiKeys.revoke({ apiKeyId: revoked.id })
    standIn.advanceApiKeyClock(10_000)

    const valid = await clerk.apiKeys.list({ subject: user.id })
    expect(valid.totalCount).toBe(1)
    expect(valid.data.map((key) => key.id)).toEqual([live.id])

    const all = await clerk.apiKeys.list({ subject: user.id, includeInvalid: true })
    expect(all.totalCount).toBe(3)
    expect(all.data.map((key) => [key.name, key.revoked, key.expired])).toEqual([
      ['Live', false, false],
      ['Revoked', true, false],
      ['Expiring', false, true],
    ])
    expect(all.data.every((key) => key.secret === undefined)).toBe(true)

    const page = await clerk.apiKeys.list({ subject: user.id, includeInvalid: true, limit: 1, offset: 1 })
    expect(page.totalCount).toBe(3)
    expect(page.data.map((key) => key.id)).toEqual([revoked.id])
    const searched = await backend(standIn, 'GET', `/api_keys?subject=${user.id}&include_invalid=true&query=EXPIR`)
    expect(searched.body.data.map((key: { id: string }) => key.id)).toEqual([expiring.id])

    for (const query of [`subject=${user.id}&include_invalid=yes`, `subject=${user.id}&limit=101`, 'subject=someone']) {
      const bad = await backend(standIn, 'GET', `/v1/api_keys?${query}`)
      expect(bad.status).toBe(400)
      expect(bad.body.errors[0]).toMatchObject({ code: 'bad_request', message: 'Bad Request' })
    }
    expect((await backend(standIn, 'GET', '/v1/api_keys?subject=someone')).body.errors[0].long_message).toBe("Invalid 'query_parameter.subject': Failed regex check")
  })

  it('checks what Clerk checks on create: an existing subject, the parameters, a name unique per subject', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)

    const ghost = 'user_2xhFjEI5X2qWRvtV13BzSj8H6Dk'
    expect(await refusal(clerk.apiKeys.create({ name: 'Orphan', subject: ghost }))).toMatchObject({ status: 400, code: 'bad_request' })
    const invalid: Array<[Record<string, unknown>, string]> = [
      [{ name: 'Bad subject', subject: 'seller-1' }, "Invalid 'request_body.subject': Failed regex check"],
      [{ name: 'ab', subject: user.id }, "Invalid 'request_body.name'"],
      [{ name: ' padded ', subject: user.id }, "Invalid 'request_body.name': Failed regex check"],
      [{ name: 'Long description', subject: user.id, description: 'x'.repeat(256) }, "Invalid 'request_body.description'"],
      [{ name: 'Never', subject: user.id, seconds_until_expiration: 0 }, "Invalid 'request_body.seconds_until_expiration'"],
      [{ name: 'Scopes', subject: user.id, scopes: 'orders:read' }, "Invalid 'request_body.scopes'"],
      [{ name: 'Extra', subject: user.id, user_id: user.id }, "Invalid 'request_body'"],
      [{ subject: user.id }, "Invalid 'request_body.name'"],
    ]
    for (const [body, message] of invalid) {
      const response = await backend(standIn, 'POST', '/v1/api_keys', body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.errors[0].long_message, JSON.stringify(body)).toContain(message)
    }

    const first = await clerk.apiKeys.create({ name: 'Twice', subject: user.id })
    expect(await refusal(clerk.apiKeys.create({ name: 'Twice', subject: user.id }))).toMatchObject({ status: 409, code: 'token_creation_conflict' })
    // A revoked key still holds its name; deleting it frees the name.
    await clerk.apiKeys.revoke({ apiKeyId: first.id })
    expect(await refusal(clerk.apiKeys.create({ name: 'Twice', subject: user.id }))).toMatchObject({ status: 409 })
    expect(await clerk.apiKeys.delete(first.id)).toMatchObject({ id: first.id, object: 'api_key', deleted: true })
    expect((await clerk.apiKeys.create({ name: 'Twice', subject: user.id })).name).toBe('Twice')
  })

  it('updates and deletes keys; unknown or malformed ids are 404 api_key_not_found and 400', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Changing', subject: user.id, scopes: ['a'] })
    standIn.advanceApiKeyClock(1_000)
    const updated = await clerk.apiKeys.update({ apiKeyId: key.id, subject: user.id, scopes: ['a', 'b'], description: 'now with b', secondsUntilExpiration: 120 })
    expect(updated).toMatchObject({ scopes: ['a', 'b'], description: 'now with b', name: 'Changing' })
    expect(updated.expiration).toBe(updated.updatedAt + 120_000)
    expect(updated.updatedAt).toBeGreaterThan(key.updatedAt)
    expect((await clerk.apiKeys.verify(key.secret!)).scopes).toEqual(['a', 'b'])

    await clerk.apiKeys.delete(key.id)
    expect(await refusal(clerk.apiKeys.get(key.id))).toMatchObject({ status: 404, code: 'api_key_not_found' })
    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toMatchObject({ status: 404, code: 'api_key_not_found' })
    expect(await refusal(clerk.apiKeys.revoke({ apiKeyId: key.id }))).toMatchObject({ status: 404, code: 'api_key_not_found' })
    const malformed = await backend(standIn, 'GET', '/v1/api_keys/not-an-id')
    expect(malformed.status).toBe(400)
    expect(malformed.body.errors[0].long_message).toBe("Invalid 'url_parameter.apiKeyID': Failed regex check")
  })

  it('never stores a secret: only its SHA-256, and getSecret says the stand-in cannot show it again', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Hashed', subject: user.id })

    const stored = standIn.storedApiKeys()
    expect(stored).toHaveLength(1)
    expect(stored[0]!.secretSha256).toBe(sha256(key.secret!))
    expect(JSON.stringify(stored)).not.toContain(key.secret!)
    expect(JSON.stringify(stored)).not.toContain(key.secret!.slice(3)) // nor its random part

    expect(await refusal(clerk.apiKeys.getSecret(key.id))).toMatchObject({ status: 400, code: 'api_key_secret_unavailable' })
    expect(await refusal(clerk.apiKeys.getSecret('ak_00000000000000000000000000000000'))).toMatchObject({ status: 404, code: 'api_key_not_found' })
  })

  it('removes a deleted user\'s keys with them', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Goes with the user', subject: user.id })
    await standIn.deleteUser(user.id)
    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toMatchObject({ status: 404, code: 'api_key_not_found' })
    expect(standIn.storedApiKeys()).toEqual([])
  })
})

describe('verification counts', () => {
  it('count every verify call the Backend API received, by outcome and by key', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const first = await clerk.apiKeys.create({ name: 'First', subject: user.id })
    const second = await clerk.apiKeys.create({ name: 'Second', subject: user.id })

    for (let i = 0; i < 3; i++) await clerk.apiKeys.verify(first.secret!)
    await clerk.apiKeys.verify(second.secret!)
    await clerk.apiKeys.revoke({ apiKeyId: second.id })
    await refusal(clerk.apiKeys.verify(second.secret!))
    await refusal(clerk.apiKeys.verify('ak_unknown'))
    await refusal(clerkFor(standIn, 'sk_test_wrong').apiKeys.verify(first.secret!))
    await backend(standIn, 'POST', '/v1/api_keys/verify', {})
    await clerk.apiKeys.get(first.id) // not a verification

    const all = await backend(standIn, 'GET', '/__dev/api-keys/verifications')
    expect(all.body).toEqual({
      count: 8,
      outcomes: { valid: 4, unknown: 1, revoked: 1, expired: 0, bad_request: 1, unauthorized: 1, fault: 0 },
    })
    expect(standIn.apiKeyVerifications()).toEqual(all.body)
    const firstOnly = await backend(standIn, 'GET', `/__dev/api-keys/verifications?api_key_id=${first.id}`)
    expect(firstOnly.body).toMatchObject({ count: 4, outcomes: { valid: 3, unauthorized: 1 } })
    expect(standIn.apiKeyVerifications({ apiKeyId: second.id })).toMatchObject({ count: 2, outcomes: { valid: 1, revoked: 1 } })

    expect((await backend(standIn, 'GET', '/__dev/api-keys/verifications', undefined, null)).status).toBe(401)
    expect((await backend(standIn, 'DELETE', '/__dev/api-keys/verifications')).body).toEqual({ deleted: true })
    expect(standIn.apiKeyVerifications().count).toBe(0)
  })
})

describe('faults', () => {
  it('make the Backend API answer 5xx, 429 or nothing at all, as the SDK then reports it', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Faulted', subject: user.id })

    const added = await backend(standIn, 'POST', '/__dev/faults', { kind: 'error', target: '/v1/api_keys/verify', count: 1 })
    expect(added.body.fault).toMatchObject({ id: expect.stringMatching(/^flt_/), kind: 'error', status: 503, count: 1 })
    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toMatchObject({ status: 503, code: 'service_unavailable' })
    expect((await clerk.apiKeys.verify(key.secret!)).id).toBe(key.id) // count: 1, spent

    standIn.addFault({ kind: 'throttle', target: 'backend_api', count: 1, retry_after_seconds: 7 })
    expect(await refusal(clerk.apiKeys.verify(key.secret!))).toMatchObject({ status: 429, code: 'too_many_requests', retryAfter: 7 })

    // Unreachable: fetch rejects, the SDK throws a ClerkAPIResponseError without a status.
    standIn.addFault({ kind: 'unreachable', target: 'backend_api' })
    const unreachable = await refusal(clerk.apiKeys.verify(key.secret!))
    expect(unreachable).toMatchObject({ status: undefined, code: 'unexpected_error' })
    expect(await refusal(clerk.users.getUser(user.id))).toMatchObject({ status: undefined, code: 'unexpected_error' }) // every Backend API call
    expect((await backend(standIn, 'GET', '/__dev/faults')).body.data).toEqual([expect.objectContaining({ kind: 'unreachable', remaining: null })])
    expect((await backend(standIn, 'DELETE', '/__dev/faults')).body).toEqual({ deleted: true })
    expect((await clerk.apiKeys.verify(key.secret!)).id).toBe(key.id)

    expect(standIn.apiKeyVerifications({ apiKeyId: key.id }).outcomes).toMatchObject({ fault: 3, valid: 2 })
    expect((await backend(standIn, 'POST', '/__dev/faults', { kind: 'explode', target: 'backend_api' })).status).toBe(422)
  })

  it('can be narrowed to one key\'s verify calls, so a test does not disturb others sharing the stand-in', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const mine = await clerk.apiKeys.create({ name: 'Mine', subject: user.id })
    const theirs = await clerk.apiKeys.create({ name: 'Theirs', subject: user.id })
    const { fault } = (await backend(standIn, 'POST', '/__dev/faults', { kind: 'error', status: 500, target: 'backend_api', api_key_id: mine.id })).body

    expect(await refusal(clerk.apiKeys.verify(mine.secret!))).toMatchObject({ status: 500, code: 'internal_clerk_error' })
    expect((await clerk.apiKeys.verify(theirs.secret!)).id).toBe(theirs.id)
    expect((await clerk.users.getUser(user.id)).id).toBe(user.id)

    expect((await backend(standIn, 'DELETE', `/__dev/faults/${fault.id}`)).body).toEqual({ deleted: true })
    expect((await backend(standIn, 'DELETE', `/__dev/faults/${fault.id}`)).status).toBe(404)
    expect((await clerk.apiKeys.verify(mine.secret!)).id).toBe(mine.id)
  })

  it('hang a call for a while, or until the fault is deleted; the Frontend API can fail too', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const clerk = clerkFor(standIn)
    const key = await clerk.apiKeys.create({ name: 'Slow', subject: user.id })

    standIn.addFault({ kind: 'hang', target: '/v1/api_keys/verify', ms: 300, count: 1 })
    const started = Date.now()
    expect((await clerk.apiKeys.verify(key.secret!)).id).toBe(key.id)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)

    const held = standIn.addFault({ kind: 'hang', target: '/v1/api_keys/verify' })
    let settled = false
    const pending = clerk.apiKeys.verify(key.secret!).finally(() => (settled = true))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(settled).toBe(false)
    expect(standIn.deleteFaults(held.id)).toBe(true)
    expect((await pending).id).toBe(key.id)

    standIn.addFault({ kind: 'error', target: 'frontend_api', count: 1 })
    const environment = await fetch(`${standIn.url}/v1/environment`)
    expect(environment.status).toBe(503)
    expect(((await environment.json()) as any).errors[0].code).toBe('service_unavailable')
    expect((await fetch(`${standIn.url}/v1/environment`)).status).toBe(200)
  })
})

/** A Frontend API call as clerk-js makes it for API keys: JSON body, session token as Bearer, dev browser in the query. */
async function fapiKeys(
  standIn: ClerkStandIn,
  method: 'GET' | 'POST',
  path: string,
  { token, devBrowser, sessionId, json, search = {} }: { token?: string; devBrowser?: string; sessionId?: string; json?: unknown; search?: Record<string, string> },
) {
  const url = new URL(`${standIn.url}${path}`)
  for (const [name, value] of Object.entries(search)) url.searchParams.set(name, value)
  url.searchParams.set('__clerk_api_version', '2026-08-20')
  url.searchParams.set('_clerk_js_version', '6.40.0')
  if (sessionId) url.searchParams.set('_clerk_session_id', sessionId)
  if (devBrowser) url.searchParams.set('__clerk_db_jwt', devBrowser)
  const headers: Record<string, string> = { origin: APP, 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  const response = await fetch(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) })
  return { status: response.status, headers: response.headers, body: (await response.json()) as any }
}

/** Signs in through the Frontend API as a browser does; the session token is what clerk-js sends. */
async function browserSession(standIn: ClerkStandIn, email: string) {
  const form = async (path: string, devBrowser: string | null, body: Record<string, string>) => {
    const url = new URL(`${standIn.url}/v1${path}`)
    if (devBrowser) url.searchParams.set('__clerk_db_jwt', devBrowser)
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP }, body: new URLSearchParams(body) })
    return (await response.json()) as any
  }
  const devBrowser = (await form('/dev_browser', null, {})).id as string
  const started = await form('/client/sign_ins', devBrowser, { identifier: email })
  const attempt = await form(`/client/sign_ins/${started.response.id}/attempt_first_factor`, devBrowser, { strategy: 'password', password: PASSWORD })
  const sessionId = attempt.response.created_session_id as string
  const token = (await form(`/client/sessions/${sessionId}/tokens`, devBrowser, {})).jwt as string
  return { devBrowser, sessionId, token }
}

describe('Frontend API for <APIKeys/>', () => {
  it('turns user API keys on in the environment, so clerk-js renders the component', async () => {
    const standIn = await startStandIn()
    const environment = (await (await fetch(`${standIn.url}/v1/environment`)).json()) as any
    expect(environment.api_keys_settings).toEqual({ user_api_keys_enabled: true, orgs_api_keys_enabled: false })
  })

  it('lists, creates (secret shown once) and revokes the signed-in user\'s keys', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const session = await browserSession(standIn, 'seller@example.com')

    const empty = await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: user.id, query: '', limit: '10', offset: '0' } })
    expect(empty.status).toBe(200)
    expect(empty.body).toEqual({ data: [], total_count: 0 })
    expect(empty.headers.get('access-control-allow-origin')).toBe(APP)

    // What clerk-js sends: type, name, subject, and optionally description and seconds_until_expiration.
    const created = await fapiKeys(standIn, 'POST', '/api_keys', {
      ...session,
      json: { type: 'api_key', name: 'Sync script', subject: user.id, description: 'laptop', seconds_until_expiration: 86_400 },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      object: 'api_key',
      name: 'Sync script',
      subject: user.id,
      created_by: user.id,
      description: 'laptop',
      scopes: [],
      claims: null,
      secret: expect.stringMatching(/^ak_/),
    })
    expect(created.body.expiration).toBe(created.body.created_at + 86_400_000)

    // The key works against the Backend API, where the Worker verifies it.
    const clerk = clerkFor(standIn)
    expect((await clerk.apiKeys.verify(created.body.secret)).subject).toBe(user.id)

    const listed = await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: user.id, query: 'sync' } })
    expect(listed.body.total_count).toBe(1)
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, last_used_at: expect.any(Number) })
    expect(listed.body.data[0]).not.toHaveProperty('secret')

    const revoked = await fapiKeys(standIn, 'POST', `/api_keys/${created.body.id}/revoke`, { ...session, json: {} })
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ id: created.body.id, revoked: true, revocation_reason: null })
    expect((await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: user.id } })).body.total_count).toBe(0)
    expect((await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: user.id, include_invalid: 'true' } })).body.total_count).toBe(1)
    expect(await refusal(clerk.apiKeys.verify(created.body.secret))).toMatchObject({ status: 404, code: 'api_key_revoked' })
  })

  it('lets a user manage only their own keys, and only with a live session token', async () => {
    const standIn = await startStandIn()
    const user = await seller(standIn)
    const other = await seller(standIn, 'other@example.com')
    const session = await browserSession(standIn, 'seller@example.com')
    const theirs = standIn.createApiKey({ name: 'Not yours', subject: other.id })

    const foreignList = await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: other.id } })
    expect(foreignList.status).toBe(403)
    expect(foreignList.body.errors[0].code).toBe('not_allowed_access')
    expect((await fapiKeys(standIn, 'POST', '/api_keys', { ...session, json: { name: 'For them', subject: other.id } })).status).toBe(403)
    const foreignRevoke = await fapiKeys(standIn, 'POST', `/api_keys/${theirs.id}/revoke`, { ...session, json: {} })
    expect(foreignRevoke.status).toBe(404)
    expect(foreignRevoke.body.errors[0].code).toBe('api_key_not_found')
    expect(standIn.storedApiKeys()[0]!.revoked).toBe(false)

    // Scopes and claims are the Backend API's to set.
    const scoped = await fapiKeys(standIn, 'POST', '/api_keys', { ...session, json: { name: 'Scoped', subject: user.id, scopes: ['admin'] } })
    expect(scoped.status).toBe(400)
    expect(scoped.body.errors[0]).toMatchObject({ code: 'bad_request' })

    for (const token of [undefined, 'not-a-jwt', `${session.token}x`]) {
      const refused = await fapiKeys(standIn, 'GET', '/api_keys', { ...session, token, search: { subject: user.id } })
      expect(refused.status).toBe(401)
      expect(refused.body.errors[0].code).toBe('authorization_invalid')
    }
    standIn.revokeSession(session.sessionId)
    expect((await fapiKeys(standIn, 'GET', '/api_keys', { ...session, search: { subject: user.id } })).status).toBe(401)
  })

  it('admits the session token header in the CORS preflight clerk-js triggers', async () => {
    const standIn = await startStandIn()
    const preflight = await fetch(`${standIn.url}/api_keys?subject=user_x`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')
    const evil = await fetch(`${standIn.url}/api_keys?subject=user_x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
  })
})
