// The Clerk stand-in's Frontend API (dev/clerk/frontend-api/), spoken to as clerk-js speaks: form-encoded
// bodies, `_method` tunnelling, the dev browser in `__clerk_db_jwt`, `{ response, client }` envelopes.
// The browser test (dev/test/web/clerk-build.e2e.test.ts) runs the real clerk-js against it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyToken } from '@clerk/backend'
import { decodeJwt } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { versionMatches } from '../../clerk/frontend-api/browser-bundles.ts'
import { type ClerkStandIn, startClerkStandIn } from '../../clerk/server.ts'

const SECRET_KEY = 'sk_test_frontend_api_tests'
const APP = 'http://localhost:8787'
const PASSWORD = 'a good long password'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function startStandIn(webhook?: { url: string; secret: string }): Promise<ClerkStandIn> {
  const standIn = await startClerkStandIn({ keyDir: null, secretKey: SECRET_KEY, authorizedParty: APP, webhook })
  cleanups.push(() => standIn.stop())
  return standIn
}

/** A Frontend API call as clerk-js makes it: GET, or POST with a form body and `_method` for the rest. */
async function fapi(
  standIn: ClerkStandIn,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  { devBrowser, form, origin = APP }: { devBrowser?: string; form?: Record<string, string>; origin?: string | null } = {},
) {
  const url = new URL(`${standIn.url}/v1${path}`)
  url.searchParams.set('__clerk_api_version', '2025-11-10')
  url.searchParams.set('_clerk_js_version', '6.40.0')
  if (method !== 'GET' && method !== 'POST') url.searchParams.set('_method', method)
  if (devBrowser) url.searchParams.set('__clerk_db_jwt', devBrowser)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (origin) headers.origin = origin
  const response = await fetch(url, {
    method: method === 'GET' ? 'GET' : 'POST',
    headers,
    body: method === 'GET' ? undefined : new URLSearchParams(form ?? {}).toString(),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as any }
}

async function devBrowserOf(standIn: ClerkStandIn): Promise<string> {
  const created = await fapi(standIn, 'POST', '/dev_browser')
  expect(created.status).toBe(200)
  return created.body.id as string
}

async function userWithPassword(standIn: ClerkStandIn) {
  return standIn.createUser({ email_address: ['pat@example.com'], first_name: 'Pat', last_name: 'Password', password: PASSWORD })
}

/** Signs in through the Frontend API and returns the session id and the final response. */
async function signIn(standIn: ClerkStandIn, devBrowser: string) {
  const started = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'PAT@example.com', locale: 'en-US' } })
  const attempt = await fapi(standIn, 'POST', `/client/sign_ins/${started.body.response.id}/attempt_first_factor`, {
    devBrowser,
    form: { strategy: 'password', password: PASSWORD },
  })
  expect(attempt.status).toBe(200)
  return { sessionId: attempt.body.response.created_session_id as string, attempt }
}

describe('dev browser and client', () => {
  it('gives each browser a dev browser whose client the Frontend API knows it by', async () => {
    const standIn = await startStandIn()
    const created = await fapi(standIn, 'POST', '/dev_browser')
    expect(created.body).toEqual({ object: 'dev_browser', id: expect.stringMatching(/^dvb_\w{27}$/), token: created.body.id, client_id: expect.stringMatching(/^client_/) })

    const client = await fapi(standIn, 'GET', '/client', { devBrowser: created.body.id })
    expect(client.status).toBe(200)
    expect(client.body).toEqual({
      response: expect.objectContaining({ object: 'client', id: created.body.client_id, sessions: [], sign_in: null, last_active_session_id: null }),
      client: null,
    })
  })

  it('answers a missing or unknown dev browser with the 401 clerk-js recovers from', async () => {
    const standIn = await startStandIn()
    for (const devBrowser of [undefined, 'dvb_unknown']) {
      const client = await fapi(standIn, 'GET', '/client', { devBrowser })
      expect(client.status).toBe(401)
      expect(client.body.errors[0]).toMatchObject({ code: 'dev_browser_unauthenticated' })
    }
  })
})

describe('environment', () => {
  it('describes a development instance that signs in with email address and password only', async () => {
    const standIn = await startStandIn()
    const viaGet = await fapi(standIn, 'GET', '/environment')
    const viaPatch = await fapi(standIn, 'PATCH', '/environment') // clerk-js touches it on load
    expect(viaPatch.body).toEqual(viaGet.body)
    const environment = viaGet.body
    expect(environment).toMatchObject({ object: 'environment', maintenance_mode: false })
    expect(environment.display_config).toMatchObject({ instance_environment_type: 'development', preferred_sign_in_strategy: 'password', sign_in_url: `${APP}/sign-in/` })
    const attributes = environment.user_settings.attributes
    const firstFactors = Object.keys(attributes).filter((name) => attributes[name].enabled && attributes[name].used_for_first_factor)
    expect(firstFactors).toEqual(['email_address'])
    expect(attributes.password).toMatchObject({ enabled: true, required: true })
    expect(attributes.phone_number.enabled).toBe(false)
    expect(environment.user_settings.social).toEqual({})
    expect(environment.organization_settings.enabled).toBe(false)
    expect(environment.id).toBe(`env_${standIn.instanceId.replace(/^ins_/, '')}`)
  })
})

describe('sign-in with email address and password', () => {
  it('identifies the user, then signs in with the password: a session on the client with a token the Worker accepts', async () => {
    const standIn = await startStandIn()
    const user = await userWithPassword(standIn)
    const devBrowser = await devBrowserOf(standIn)

    const started = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'pat@example.com' } })
    expect(started.status).toBe(200)
    expect(started.body.response).toMatchObject({
      object: 'sign_in',
      id: expect.stringMatching(/^sia_/),
      status: 'needs_first_factor',
      identifier: 'pat@example.com',
      supported_first_factors: [{ strategy: 'password' }],
      first_factor_verification: null,
      created_session_id: null,
      user_data: { first_name: 'Pat', last_name: 'Password' },
    })
    expect(started.body.client.sign_in).toEqual(started.body.response)

    const attempt = await fapi(standIn, 'POST', `/client/sign_ins/${started.body.response.id}/attempt_first_factor`, {
      devBrowser,
      form: { strategy: 'password', password: PASSWORD },
    })
    expect(attempt.status).toBe(200)
    const { response: signInJson, client } = attempt.body
    expect(signInJson).toMatchObject({ status: 'complete', created_session_id: expect.stringMatching(/^sess_/), first_factor_verification: { status: 'verified', strategy: 'password', attempts: 1 } })
    expect(client).toMatchObject({ last_active_session_id: signInJson.created_session_id, last_authentication_strategy: 'password' })
    expect(client.sessions).toHaveLength(1)
    const session = client.sessions[0]
    expect(session).toMatchObject({
      object: 'session',
      id: signInJson.created_session_id,
      status: 'active',
      user: { id: user.id, first_name: 'Pat', primary_email_address_id: user.primary_email_address_id, organization_memberships: [] },
      public_user_data: { identifier: 'pat@example.com', user_id: user.id, first_name: 'Pat' },
      last_active_token: { object: 'token', jwt: expect.any(String) },
    })
    expect(session.user).not.toHaveProperty('private_metadata')
    expect(JSON.stringify(attempt.body)).not.toContain(PASSWORD)

    // Verified as the Worker verifies: the PEM, networkless, and the dashboard as authorized party.
    const claims = await verifyToken(session.last_active_token.jwt, { jwtKey: standIn.publicKeyPem, authorizedParties: [APP] })
    expect(claims).toMatchObject({ sub: user.id, sid: session.id, azp: APP, role: 'authenticated', iss: standIn.issuer, v: 2 })
    // Same claims as the Backend API's tokens for that session.
    const backendClaims = decodeJwt(await standIn.mintSessionToken(session.id))
    expect(Object.keys(claims).sort()).toEqual(Object.keys(backendClaims).sort())
    expect(standIn.getUser(user.id).last_sign_in_at).toEqual(expect.any(Number))
  })

  it("answers a wrong password with Clerk's form error on the password field", async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const devBrowser = await devBrowserOf(standIn)
    const started = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'pat@example.com' } })
    const attempt = await fapi(standIn, 'POST', `/client/sign_ins/${started.body.response.id}/attempt_first_factor`, {
      devBrowser,
      form: { strategy: 'password', password: 'not it at all' },
    })
    expect(attempt.status).toBe(422)
    expect(attempt.body.errors).toEqual([
      {
        code: 'form_password_incorrect',
        message: 'Password is incorrect. Try again, or use another method.',
        long_message: 'Password is incorrect. Try again, or use another method.',
        meta: { param_name: 'password' },
      },
    ])
    const client = await fapi(standIn, 'GET', '/client', { devBrowser })
    expect(client.body.response.sessions).toEqual([])
    expect(client.body.response.sign_in).toMatchObject({ status: 'needs_first_factor', first_factor_verification: { status: 'unverified', attempts: 1 } })
  })

  it('does not find an unknown email, nor a user without a password by password', async () => {
    const standIn = await startStandIn()
    await standIn.createUser({ email_address: ['nopass@example.com'] })
    const devBrowser = await devBrowserOf(standIn)
    const unknown = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'nobody@example.com' } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors[0]).toMatchObject({ code: 'form_identifier_not_found', meta: { param_name: 'identifier' } })

    const noPassword = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'nopass@example.com' } })
    expect(noPassword.body.response.supported_first_factors).toEqual([])
    const attempt = await fapi(standIn, 'POST', `/client/sign_ins/${noPassword.body.response.id}/attempt_first_factor`, {
      devBrowser,
      form: { strategy: 'password', password: 'anything at all' },
    })
    expect(attempt.body.errors[0].code).toBe('form_password_incorrect')
  })

  it('keeps sign-in attempts to the client that started them', async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const [mine, theirs] = [await devBrowserOf(standIn), await devBrowserOf(standIn)]
    const started = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser: mine, form: { identifier: 'pat@example.com' } })
    const foreign = await fapi(standIn, 'POST', `/client/sign_ins/${started.body.response.id}/attempt_first_factor`, {
      devBrowser: theirs,
      form: { strategy: 'password', password: PASSWORD },
    })
    expect(foreign.status).toBe(404)
  })
})

/** A webhook endpoint that records the event types it receives (the Worker's part in the real stack). */
async function startWebhookReceiver() {
  const eventTypes: string[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      eventTypes.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string }).type)
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/clerk`
  return { eventTypes, webhook: { url, secret: `whsec_${Buffer.from('a webhook secret of thirty-two b').toString('base64')}` } }
}

const NEW_USER = { email_address: 'Robin.New@example.com', password: PASSWORD, first_name: 'Robin', last_name: 'New' }

describe('sign-up with email address, password and names, the email address verified with a code', () => {
  it('asks for the code, emails it to the outbox, and on the right code creates the user (user.created) and signs them in', async () => {
    const receiver = await startWebhookReceiver()
    const standIn = await startStandIn(receiver.webhook)
    const devBrowser = await devBrowserOf(standIn)

    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: { ...NEW_USER, locale: 'en-US' } })
    expect(created.status).toBe(200)
    const signUpId = created.body.response.id as string
    expect(created.body.response).toMatchObject({
      object: 'sign_up',
      id: expect.stringMatching(/^sua_\w{27}$/),
      status: 'missing_requirements',
      required_fields: ['email_address', 'password', 'first_name', 'last_name'],
      missing_fields: [],
      unverified_fields: ['email_address'],
      verifications: { email_address: null, phone_number: null },
      email_address: 'robin.new@example.com',
      first_name: 'Robin',
      last_name: 'New',
      has_password: true,
      created_user_id: null,
      created_session_id: null,
      locale: 'en-US',
    })
    expect(created.body.client.sign_up).toEqual(created.body.response)
    expect(JSON.stringify(created.body)).not.toContain(PASSWORD)
    expect(standIn.emailOutbox()).toEqual([]) // nothing is sent before the verification is prepared

    const prepared = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    expect(prepared.status).toBe(200)
    expect(prepared.body.response.verifications.email_address).toMatchObject({
      status: 'unverified',
      strategy: 'email_code',
      attempts: 0,
      next_action: 'needs_attempt',
      supported_strategies: ['email_code'],
      expire_at: expect.any(Number),
    })
    const [email] = standIn.emailOutbox()
    expect(email).toMatchObject({ object: 'email', to_email_address: 'robin.new@example.com', code: expect.stringMatching(/^\d{6}$/), source_id: signUpId })
    expect(email!.subject).toBe(`${email!.code} is your verification code`)
    expect(JSON.stringify(prepared.body)).not.toContain(email!.code) // the code is in the mailbox only

    const wrongCode = email!.code === '000000' ? '111111' : '000000'
    const wrong = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: wrongCode } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.errors).toEqual([{ code: 'form_code_incorrect', message: 'is incorrect', long_message: 'Incorrect code', meta: { param_name: 'code' } }])
    expect(standIn.listUsers()).toEqual([])

    const verified = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: email!.code } })
    expect(verified.status).toBe(200)
    const { response: signUp, client } = verified.body
    expect(signUp).toMatchObject({
      status: 'complete',
      unverified_fields: [],
      created_user_id: expect.stringMatching(/^user_/),
      created_session_id: expect.stringMatching(/^sess_/),
      verifications: { email_address: { status: 'verified', attempts: 2, next_action: '' } },
    })
    expect(receiver.eventTypes).toEqual(['user.created']) // delivered before the response, as the Backend API does
    const user = standIn.getUser(signUp.created_user_id)
    expect(user).toMatchObject({ first_name: 'Robin', last_name: 'New', password_enabled: true })
    expect(user.email_addresses.map((e) => [e.email_address, e.verification.strategy])).toEqual([['robin.new@example.com', 'email_code']])

    // Signed in on this client, with a token the Worker accepts.
    expect(client).toMatchObject({ last_active_session_id: signUp.created_session_id, sign_up: signUp })
    expect(client.sessions).toHaveLength(1)
    const claims = await verifyToken(client.sessions[0].last_active_token.jwt, { jwtKey: standIn.publicKeyPem, authorizedParties: [APP] })
    expect(claims).toMatchObject({ sub: user.id, sid: signUp.created_session_id })

    // The password works for signing in later; the finished sign-up cannot be changed.
    await fapi(standIn, 'DELETE', '/client/sessions', { devBrowser })
    const started = await fapi(standIn, 'POST', '/client/sign_ins', { devBrowser, form: { identifier: 'robin.new@example.com', strategy: 'password', password: PASSWORD } })
    expect(started.body.response.status).toBe('complete')
    const again = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: email!.code } })
    expect(again.status).toBe(400)
  })

  it('collects fields over several requests (PATCH) and says which are missing', async () => {
    const standIn = await startStandIn()
    const devBrowser = await devBrowserOf(standIn)
    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: { email_address: 'robin+clerk_test@example.com' } })
    const signUpId = created.body.response.id as string
    expect(created.body.response).toMatchObject({ missing_fields: ['password', 'first_name', 'last_name'], unverified_fields: ['email_address'], has_password: false })

    const patched = await fapi(standIn, 'PATCH', `/client/sign_ups/${signUpId}`, { devBrowser, form: { password: PASSWORD, first_name: 'Robin' } })
    expect(patched.body.response).toMatchObject({ status: 'missing_requirements', missing_fields: ['last_name'], has_password: true })
    const fetched = await fapi(standIn, 'GET', `/client/sign_ups/${signUpId}`, { devBrowser })
    expect(fetched.body.response).toEqual(patched.body.response)

    // A verified address is not enough while a required field is missing; the last field completes it.
    await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    const verified = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: '424242' } })
    expect(verified.body.response).toMatchObject({ status: 'missing_requirements', missing_fields: ['last_name'], unverified_fields: [], created_user_id: null })
    const completed = await fapi(standIn, 'PATCH', `/client/sign_ups/${signUpId}`, { devBrowser, form: { last_name: 'Tester' } })
    expect(completed.body.response).toMatchObject({ status: 'complete', missing_fields: [], created_user_id: expect.stringMatching(/^user_/) })
  })

  it("verifies +clerk_test addresses with 424242 and sends them nothing, as Clerk's test mode does", async () => {
    const standIn = await startStandIn()
    const devBrowser = await devBrowserOf(standIn)
    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: { ...NEW_USER, email_address: 'robin+clerk_test@example.com' } })
    const signUpId = created.body.response.id as string
    await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    expect(standIn.emailOutbox()).toEqual([])
    const verified = await fapi(standIn, 'POST', `/client/sign_ups/${signUpId}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: '424242' } })
    expect(verified.body.response.status).toBe('complete')
  })

  it("answers a taken email address and a short password with Clerk's form errors, both at once", async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const devBrowser = await devBrowserOf(standIn)
    const refused = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: { ...NEW_USER, email_address: 'PAT@example.com', password: 'short' } })
    expect(refused.status).toBe(422)
    expect(refused.body.errors).toEqual([
      {
        code: 'form_identifier_exists',
        message: 'That email address is taken. Please try another.',
        long_message: 'That email address is taken. Please try another.',
        meta: { param_name: 'email_address' },
      },
      {
        code: 'form_password_length_too_short',
        message: 'Passwords must be 8 characters or more.',
        long_message: 'Passwords must be 8 characters or more.',
        meta: { param_name: 'password' },
      },
    ])
    expect(standIn.listUsers()).toHaveLength(1)
  })

  it('gives up on a code after five wrong ones, until a new code is prepared', async () => {
    const standIn = await startStandIn()
    const devBrowser = await devBrowserOf(standIn)
    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: NEW_USER })
    const path = `/client/sign_ups/${created.body.response.id}`
    await fapi(standIn, 'POST', `${path}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    const code = standIn.emailOutbox()[0]!.code
    const wrongCode = code === '000000' ? '111111' : '000000'
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await fapi(standIn, 'POST', `${path}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: wrongCode } })
      expect(wrong.body.errors[0].code).toBe('form_code_incorrect')
    }
    const locked = await fapi(standIn, 'POST', `${path}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code } })
    expect(locked.status).toBe(400)
    expect(locked.body.errors[0].code).toBe('verification_failed')
    expect((await fapi(standIn, 'GET', path, { devBrowser })).body.response.verifications.email_address).toMatchObject({ status: 'failed', next_action: 'needs_prepare' })

    await fapi(standIn, 'POST', `${path}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    const fresh = standIn.emailOutbox()[0]!.code // newest first
    const verified = await fapi(standIn, 'POST', `${path}/attempt_verification`, { devBrowser, form: { strategy: 'email_code', code: fresh } })
    expect(verified.body.response.status).toBe('complete')
  })

  it('keeps sign-ups to their client, and refuses one while the browser is signed in (single-session mode)', async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const [mine, theirs] = [await devBrowserOf(standIn), await devBrowserOf(standIn)]
    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser: mine, form: NEW_USER })
    expect((await fapi(standIn, 'GET', `/client/sign_ups/${created.body.response.id}`, { devBrowser: theirs })).status).toBe(404)

    await signIn(standIn, theirs)
    const signedIn = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser: theirs, form: NEW_USER })
    expect(signedIn.status).toBe(400)
    expect(signedIn.body.errors[0].code).toBe('session_exists')
  })

  it('lists the outbox over HTTP for the secret key only', async () => {
    const standIn = await startStandIn()
    const devBrowser = await devBrowserOf(standIn)
    const created = await fapi(standIn, 'POST', '/client/sign_ups', { devBrowser, form: NEW_USER })
    await fapi(standIn, 'POST', `/client/sign_ups/${created.body.response.id}/prepare_verification`, { devBrowser, form: { strategy: 'email_code' } })
    expect((await fetch(`${standIn.url}/__dev/email-outbox`)).status).toBe(401)
    const outbox = await fetch(`${standIn.url}/__dev/email-outbox`, { headers: { authorization: `Bearer ${SECRET_KEY}` } })
    expect(((await outbox.json()) as { data: unknown[] }).data).toEqual(standIn.emailOutbox())
  })
})

describe('sessions', () => {
  it('mint tokens for the session (POST …/tokens), touch it, and end with signOut (DELETE /v1/client/sessions)', async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const devBrowser = await devBrowserOf(standIn)
    const { sessionId } = await signIn(standIn, devBrowser)

    const touched = await fapi(standIn, 'POST', `/client/sessions/${sessionId}/touch`, { devBrowser, form: { active_organization_id: '', intent: 'select_session' } })
    expect(touched.status).toBe(200)
    expect(touched.body.response).toMatchObject({ id: sessionId, status: 'active' })
    expect(touched.body.client.last_active_session_id).toBe(sessionId)

    const token = await fapi(standIn, 'POST', `/client/sessions/${sessionId}/tokens`, { devBrowser, form: { organization_id: '' } })
    expect(token.status).toBe(200)
    expect(token.body).toEqual({ object: 'token', jwt: expect.any(String) })
    expect(decodeJwt(token.body.jwt)).toMatchObject({ sid: sessionId, azp: APP })

    // Another browser cannot mint tokens for it.
    const other = await fapi(standIn, 'POST', `/client/sessions/${sessionId}/tokens`, { devBrowser: await devBrowserOf(standIn) })
    expect(other.status).toBe(404)

    const signedOut = await fapi(standIn, 'DELETE', '/client/sessions', { devBrowser })
    expect(signedOut.status).toBe(200)
    expect(signedOut.body.response).toMatchObject({ object: 'client', sessions: [], last_active_session_id: null })
    const after = await fapi(standIn, 'POST', `/client/sessions/${sessionId}/tokens`, { devBrowser })
    expect(after.status).toBe(401)
    expect(after.body.errors[0].code).toBe('authorization_invalid')
    const backend = await fetch(`${standIn.url}/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${SECRET_KEY}` } })
    expect(((await backend.json()) as { status: string }).status).toBe('removed')
  })

  it('end one session with …/end', async () => {
    const standIn = await startStandIn()
    await userWithPassword(standIn)
    const devBrowser = await devBrowserOf(standIn)
    const { sessionId } = await signIn(standIn, devBrowser)
    const ended = await fapi(standIn, 'POST', `/client/sessions/${sessionId}/end`, { devBrowser })
    expect(ended.status).toBe(200)
    expect(ended.body.response).toMatchObject({ id: sessionId, status: 'ended', last_active_token: null })
    expect(ended.body.client.sessions).toEqual([])
  })
})

describe('browsers', () => {
  it('answers the dashboard origin with credentialed CORS and refuses other origins', async () => {
    const standIn = await startStandIn()
    const allowed = await fapi(standIn, 'GET', '/environment')
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP)
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    const refused = await fapi(standIn, 'POST', '/dev_browser', { origin: 'https://evil.example' })
    expect(refused.status).toBe(403)
    expect(refused.body.errors[0].code).toBe('origin_invalid')
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('serves the clerk-js and @clerk/ui browser bundles at the paths @clerk/react loads them from', async () => {
    const standIn = await startStandIn()
    for (const path of ['/npm/@clerk/clerk-js@6/dist/clerk.browser.js', '/npm/@clerk/ui@1/dist/ui.browser.js']) {
      const response = await fetch(`${standIn.url}${path}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8')
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect((await response.text()).length).toBeGreaterThan(100_000)
    }
    for (const path of ['/npm/@clerk/clerk-js@5/dist/clerk.browser.js', '/npm/@clerk/ui@1/dist/..%2Fpackage.json', '/npm/@clerk/ui@1/dist/nope.js', '/npm/@clerk/backend@3/dist/index.js']) {
      expect((await fetch(`${standIn.url}${path}`)).status).toBe(404)
    }
  })

  it('matches bundle versions as the CDN does: a major, minor or exact version, or latest', () => {
    expect(versionMatches('6', '6.40.0')).toBe(true)
    expect(versionMatches('6.40', '6.40.0')).toBe(true)
    expect(versionMatches('6.40.0', '6.40.0')).toBe(true)
    expect(versionMatches('latest', '6.40.0')).toBe(true)
    expect(versionMatches('5', '6.40.0')).toBe(false)
    expect(versionMatches('6.39', '6.40.0')).toBe(false)
    expect(versionMatches('6.40.1', '6.40.0')).toBe(false)
  })
})

describe('passwords through the Backend API', () => {
  it('are stored as hashes only: password_enabled, never the password', async () => {
    const standIn = await startStandIn()
    const response = await fetch(`${standIn.url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email_address: ['hash@example.com'], password: PASSWORD }),
    })
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(JSON.parse(text)).toMatchObject({ password_enabled: true })
    expect(text).not.toContain(PASSWORD)

    const tooShort = await fetch(`${standIn.url}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email_address: ['short@example.com'], password: 'short' }),
    })
    expect(tooShort.status).toBe(422)
    expect(((await tooShort.json()) as { errors: Array<{ meta: unknown }> }).errors[0]!.meta).toEqual({ param_name: 'password' })
  })
})
