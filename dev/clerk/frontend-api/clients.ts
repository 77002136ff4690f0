import { ClerkApiError, resourceNotFound } from '../clerk-errors.ts'
import type { ClerkInstance } from '../clerk-instance.ts'
import type { ClerkSession } from '../sessions.ts'
import type { EmailOutbox } from './email-outbox.ts'
import { sessionJson } from './resources.ts'
import { type SignInAttempt, SignIns } from './sign-ins.ts'
import { type SignUpAttempt, SignUps } from './sign-ups.ts'

/**
 * The Frontend API's Client: one per browser (here: per dev browser), holding its sessions and its
 * current sign-in and sign-up attempts. Its JSON is Clerk's ClientJSON; every mutating Frontend API response carries
 * it as `client` beside the `response`, and clerk-js replaces its copy with it.
 */
type ClientRecord = {
  id: string
  signInId: string | null
  signUpId: string | null
  lastActiveSessionId: string | null
  lastAuthenticationStrategy: 'password' | null
  createdAt: number
  updatedAt: number
}

export class Clients {
  readonly #clients = new Map<string, ClientRecord>()
  readonly #instance: ClerkInstance
  readonly signIns: SignIns
  readonly signUps: SignUps

  constructor(instance: ClerkInstance, outbox: EmailOutbox) {
    this.#instance = instance
    this.signIns = new SignIns(instance)
    this.signUps = new SignUps(instance, outbox)
  }

  /** The client, created on first use (a dev browser's client exists from its first request). */
  #client(id: string): ClientRecord {
    let client = this.#clients.get(id)
    if (!client) {
      const now = Date.now()
      client = { id, signInId: null, signUpId: null, lastActiveSessionId: null, lastAuthenticationStrategy: null, createdAt: now, updatedAt: now }
      this.#clients.set(id, client)
    }
    return client
  }

  startSignIn(clientId: string, body: unknown): SignInAttempt {
    const attempt = this.signIns.create(clientId, body)
    this.#afterSignIn(clientId, attempt)
    return attempt
  }

  attemptFirstFactor(clientId: string, signInId: string, body: unknown): SignInAttempt {
    const attempt = this.signIns.attemptFirstFactor(clientId, signInId, body)
    this.#afterSignIn(clientId, attempt)
    return attempt
  }

  #afterSignIn(clientId: string, attempt: SignInAttempt): void {
    const client = this.#client(clientId)
    client.signInId = attempt.id
    if (attempt.status === 'complete' && attempt.createdSessionId) {
      client.lastActiveSessionId = attempt.createdSessionId
      client.lastAuthenticationStrategy = 'password'
    }
    client.updatedAt = Date.now()
  }

  /** `POST /v1/client/sign_ups`. In single-session mode (this instance's) a signed-in browser cannot sign up. */
  async startSignUp(clientId: string, body: unknown): Promise<SignUpAttempt> {
    if (this.#instance.listClientSessions(clientId).some((session) => session.status === 'active')) {
      throw new ClerkApiError(400, [
        { message: "You're already signed in", long_message: "You're already signed in.", code: 'session_exists' },
      ])
    }
    return this.#afterSignUp(clientId, await this.signUps.create(clientId, body))
  }

  async updateSignUp(clientId: string, signUpId: string, body: unknown): Promise<SignUpAttempt> {
    return this.#afterSignUp(clientId, await this.signUps.update(clientId, signUpId, body))
  }

  prepareSignUpVerification(clientId: string, signUpId: string, body: unknown): SignUpAttempt {
    return this.#afterSignUp(clientId, this.signUps.prepareVerification(clientId, signUpId, body))
  }

  async attemptSignUpVerification(clientId: string, signUpId: string, body: unknown): Promise<SignUpAttempt> {
    return this.#afterSignUp(clientId, await this.signUps.attemptVerification(clientId, signUpId, body))
  }

  /** A completed sign-up signed the user in: its session becomes the client's active one. */
  #afterSignUp(clientId: string, attempt: SignUpAttempt): SignUpAttempt {
    const client = this.#client(clientId)
    client.signUpId = attempt.id
    if (attempt.createdSessionId) client.lastActiveSessionId = attempt.createdSessionId
    client.updatedAt = Date.now()
    return attempt
  }

  /** One of this client's active sessions; another client's or an ended one is refused as Clerk does. */
  requireActiveSession(clientId: string, sessionId: string): ClerkSession {
    const session = this.#instance.listClientSessions(clientId).find((s) => s.id === sessionId)
    if (!session) throw resourceNotFound(`No session was found with id ${sessionId}`)
    if (session.status !== 'active') {
      throw new ClerkApiError(401, [
        { message: 'Unauthorized request', long_message: 'You are signed out.', code: 'authorization_invalid' },
      ])
    }
    return session
  }

  /** `POST /v1/client/sessions/:id/touch`: makes the session the client's active one. */
  touch(clientId: string, sessionId: string): ClerkSession {
    const session = this.requireActiveSession(clientId, sessionId)
    const client = this.#client(clientId)
    client.lastActiveSessionId = session.id
    client.updatedAt = Date.now()
    return session
  }

  /** `…/end` or `…/remove`: signs one session out. */
  endSession(clientId: string, sessionId: string, status: 'ended' | 'removed'): ClerkSession {
    this.requireActiveSession(clientId, sessionId)
    const ended = this.#instance.endSession(sessionId, status)
    this.#forget(clientId, sessionId)
    return ended
  }

  /** `DELETE /v1/client/sessions` (clerk-js's signOut()): signs every session of the client out. */
  removeAllSessions(clientId: string): void {
    for (const session of this.#instance.listClientSessions(clientId)) {
      if (session.status === 'active') this.#instance.endSession(session.id, 'removed')
      this.#forget(clientId, session.id)
    }
  }

  /** `DELETE /v1/client`: signs out and forgets the client's sign-in and sign-up attempts. */
  destroy(clientId: string): void {
    this.removeAllSessions(clientId)
    Object.assign(this.#client(clientId), { signInId: null, signUpId: null })
  }

  #forget(clientId: string, sessionId: string): void {
    const client = this.#client(clientId)
    if (client.lastActiveSessionId === sessionId) client.lastActiveSessionId = null
    client.updatedAt = Date.now()
  }

  /** ClientJSON: only signed-in sessions are listed, each with a fresh token. */
  async json(clientId: string) {
    const client = this.#client(clientId)
    const active = this.#instance.listClientSessions(clientId).filter((s) => s.status === 'active')
    const signIn = client.signInId ? this.signIns.get(clientId, client.signInId) : null
    const signUp = client.signUpId ? this.signUps.get(clientId, client.signUpId) : null
    return {
      object: 'client',
      id: client.id,
      sessions: await Promise.all(active.map((session) => sessionJson(this.#instance, session))),
      sign_in: signIn ? this.signIns.json(signIn) : null,
      sign_up: signUp ? this.signUps.json(signUp) : null,
      last_active_session_id: client.lastActiveSessionId,
      last_authentication_strategy: client.lastAuthenticationStrategy,
      // Only production instances set a client cookie whose expiry clerk-js extends by redirecting.
      cookie_expires_at: null,
      captcha_bypass: false,
      created_at: client.createdAt,
      updated_at: client.updatedAt,
    }
  }
}
