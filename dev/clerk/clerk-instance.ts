import { type ClerkSession, SessionRegistry } from './sessions.ts'
import { signSessionToken, sessionTokenClaims } from './session-token.ts'
import type { SigningKey } from './signing-key.ts'
import { type ClerkUser, type CreateUserOptions, type DeletedClerkUser, type UserListQuery, UserDirectory } from './users.ts'
import type { WebhookSender } from './webhooks.ts'

export type ClerkInstanceOptions = {
  signingKey: SigningKey
  /** The Frontend API URL tokens name as `iss`. */
  issuer: string
  /** The dashboard origin tokens name as `azp`. */
  authorizedParty: string
  sessionTokenLifetimeSeconds: number
  webhooks: WebhookSender
}

export type MintSessionTokenOptions = { expiresInSeconds?: number }

/**
 * What a Clerk instance does, independent of HTTP: users, sessions and their tokens, and the webhook
 * each user change triggers. The Backend API routes and the programmatic helpers both call this, so
 * they cannot drift apart. Each change resolves only after its webhook was delivered (or gave up).
 */
export class ClerkInstance {
  readonly #options: ClerkInstanceOptions
  readonly #users: UserDirectory
  readonly #sessions = new SessionRegistry()

  constructor(options: ClerkInstanceOptions) {
    this.#options = options
    this.#users = new UserDirectory(options.signingKey.kid)
  }

  async createUser(params: unknown, options?: CreateUserOptions): Promise<ClerkUser> {
    const user = this.#users.create(params, options)
    await this.#options.webhooks.send('user.created', user)
    return user
  }

  async updateUser(userId: string, params: unknown): Promise<ClerkUser> {
    const user = this.#users.update(userId, params)
    await this.#options.webhooks.send('user.updated', user)
    return user
  }

  async deleteUser(userId: string): Promise<DeletedClerkUser> {
    const deleted = this.#users.delete(userId)
    this.#sessions.removeAllForUser(userId)
    await this.#options.webhooks.send('user.deleted', deleted)
    return deleted
  }

  getUser(userId: string): ClerkUser {
    return this.#users.get(userId)
  }

  listUsers(query?: UserListQuery): ClerkUser[] {
    return this.#users.list(query)
  }

  countUsers(query?: UserListQuery): number {
    return this.#users.count(query)
  }

  /** The user with this email address, if any (the Frontend API's sign-in looks identifiers up). */
  findUserByEmail(email: string): ClerkUser | undefined {
    return this.#users.findByEmail(email)
  }

  verifyPassword(userId: string, password: string): boolean {
    return this.#users.verifyPassword(userId, password)
  }

  /**
   * Signs the user in: a new active session (what Clerk's sign-in flow ends with). `clientId`: the
   * Frontend API client (browser) it belongs to; omitted, the session gets a client of its own.
   */
  createSession(userId: string, clientId?: string): ClerkSession {
    this.#users.recordSignIn(userId)
    return this.#sessions.create(userId, clientId)
  }

  /** Signs a session out through the Frontend API. */
  endSession(sessionId: string, status: 'ended' | 'removed'): ClerkSession {
    return this.#sessions.end(sessionId, status)
  }

  listClientSessions(clientId: string): ClerkSession[] {
    return this.#sessions.listForClient(clientId)
  }

  getSession(sessionId: string): ClerkSession {
    return this.#sessions.get(sessionId)
  }

  revokeSession(sessionId: string): ClerkSession {
    return this.#sessions.revoke(sessionId)
  }

  /** A fresh session token for an active session (`POST /v1/sessions/:id/tokens`). */
  async mintSessionToken(sessionId: string, { expiresInSeconds }: MintSessionTokenOptions = {}): Promise<string> {
    const session = this.#sessions.requireActive(sessionId)
    const { signingKey, issuer, authorizedParty, sessionTokenLifetimeSeconds } = this.#options
    const claims = sessionTokenClaims({
      userId: session.user_id,
      sessionId: session.id,
      sessionCreatedAt: session.created_at,
      issuer,
      authorizedParty,
      lifetimeSeconds: expiresInSeconds ?? sessionTokenLifetimeSeconds,
    })
    return signSessionToken(signingKey, claims)
  }
}
