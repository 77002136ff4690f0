import { importJWK, jwtVerify } from 'jose'
import { type ApiKeyJson, type ApiKeyListQuery, ApiKeyStore, type CreatedApiKeyJson, type StoredApiKey } from './api-keys.ts'
import { ClerkApiError } from './clerk-errors.ts'
import { Clock } from '../clock.ts'
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
  /** The time API keys live by (expiry, `last_used_at`); default: real time. */
  clock?: Clock
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
  readonly #apiKeys: ApiKeyStore
  /** The clock API keys live by; tests move it forward to expire keys. */
  readonly clock: Clock

  constructor(options: ClerkInstanceOptions) {
    this.#options = options
    this.#users = new UserDirectory(options.signingKey.kid)
    this.clock = options.clock ?? new Clock()
    // The instance has users only (no organizations or machines): a key's subject must be one of them.
    this.#apiKeys = new ApiKeyStore(this.clock, (subject) => this.#users.exists(subject))
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
    this.#apiKeys.removeAllForSubject(userId)
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

  /**
   * The signed-in user behind a session token the Frontend API received (`Authorization: Bearer`): its
   * signature, issuer and lifetime checked, and its session still active. 401 otherwise, as Clerk answers.
   */
  async authenticateSessionToken(token: string | undefined): Promise<{ userId: string; sessionId: string }> {
    const refused = (reason: string) =>
      new ClerkApiError(401, [{ message: 'Unauthorized request', long_message: reason, code: 'authorization_invalid' }])
    if (!token) throw refused('A session token is required (Authorization: Bearer <session token>).')
    const { signingKey, issuer } = this.#options
    let claims: { sub?: unknown; sid?: unknown }
    try {
      const key = await importJWK(signingKey.publicJwk, 'RS256')
      ;({ payload: claims } = await jwtVerify(token, key, { issuer, algorithms: ['RS256'] }))
    } catch {
      throw refused('The session token is invalid or expired.')
    }
    const session = typeof claims.sid === 'string' ? this.#sessions.find(claims.sid) : undefined
    if (!session || session.status !== 'active' || session.user_id !== claims.sub) throw refused('You are signed out.')
    return { userId: session.user_id, sessionId: session.id }
  }

  createApiKey(params: unknown): CreatedApiKeyJson {
    return this.#apiKeys.create(params)
  }

  listApiKeys(query: ApiKeyListQuery): { data: ApiKeyJson[]; total_count: number } {
    return this.#apiKeys.list(query)
  }

  getApiKey(id: string): ApiKeyJson {
    return this.#apiKeys.get(id)
  }

  updateApiKey(id: string, params: unknown): ApiKeyJson {
    return this.#apiKeys.update(id, params)
  }

  deleteApiKey(id: string): { id: string; object: 'api_key'; deleted: true } {
    return this.#apiKeys.delete(id)
  }

  revokeApiKey(id: string, params: unknown): ApiKeyJson {
    return this.#apiKeys.revoke(id, params)
  }

  getApiKeySecret(id: string): never {
    return this.#apiKeys.secret(id)
  }

  verifyApiKey(params: unknown): ApiKeyJson {
    return this.#apiKeys.verify(params)
  }

  /** The key a verify body's secret belongs to, if any, without verifying or touching it. */
  apiKeyIdOfSecret(params: unknown): string | null {
    return this.#apiKeys.idOfSecret(params)
  }

  /** What the stand-in keeps of its API keys (hashes, never secrets), for tests to inspect. */
  storedApiKeys(): StoredApiKey[] {
    return this.#apiKeys.stored()
  }
}
