import { clerkId } from './clerk-ids.ts'
import { resourceNotFound } from './clerk-errors.ts'

/** The Backend API's Session object. */
export type ClerkSession = {
  object: 'session'
  id: string
  client_id: string
  user_id: string
  /** `revoked`: by the Backend API; `ended` / `removed`: signed out through the Frontend API. */
  status: 'active' | 'revoked' | 'ended' | 'removed'
  last_active_at: number
  last_active_organization_id: null
  actor: null
  expire_at: number
  abandon_at: number
  created_at: number
  updated_at: number
}

const DAY_MS = 24 * 60 * 60 * 1000
// Clerk's defaults: a session expires after 7 days and is abandoned after 30 days of inactivity.
const SESSION_LIFETIME_MS = 7 * DAY_MS
const INACTIVITY_TIMEOUT_MS = 30 * DAY_MS

/** The instance's sessions, in memory. */
export class SessionRegistry {
  readonly #sessions = new Map<string, ClerkSession>()

  /** `clientId`: the Frontend API client (browser) signing in; omitted, a client of its own (Backend API). */
  create(userId: string, clientId: string = clerkId('client')): ClerkSession {
    const now = Date.now()
    const session: ClerkSession = {
      object: 'session',
      id: clerkId('sess'),
      client_id: clientId,
      user_id: userId,
      status: 'active',
      last_active_at: now,
      last_active_organization_id: null,
      actor: null,
      expire_at: now + SESSION_LIFETIME_MS,
      abandon_at: now + INACTIVITY_TIMEOUT_MS,
      created_at: now,
      updated_at: now,
    }
    this.#sessions.set(session.id, session)
    return { ...session }
  }

  get(id: string): ClerkSession {
    return { ...this.#require(id) }
  }

  /** The session, or undefined when there is none with this id. */
  find(id: string): ClerkSession | undefined {
    const session = this.#sessions.get(id)
    return session && { ...session }
  }

  /** Tokens already issued stay valid until they expire; the session just cannot mint new ones. */
  revoke(id: string): ClerkSession {
    const session = this.#require(id)
    if (session.status === 'active') {
      session.status = 'revoked'
      session.updated_at = Date.now()
    }
    return { ...session }
  }

  /** Signs a session out (`POST /v1/client/sessions/:id/end` → ended, `…/remove` or sign-out of all → removed). */
  end(id: string, status: 'ended' | 'removed'): ClerkSession {
    const session = this.#require(id)
    if (session.status === 'active') {
      session.status = status
      session.updated_at = Date.now()
    }
    return { ...session }
  }

  /** Every session a Frontend API client signed in, oldest first. */
  listForClient(clientId: string): ClerkSession[] {
    return [...this.#sessions.values()].filter((session) => session.client_id === clientId).map((session) => ({ ...session }))
  }

  /** The session a new token is minted for; only active sessions qualify, as with Clerk. */
  requireActive(id: string): ClerkSession {
    const session = this.#require(id)
    if (session.status !== 'active') throw resourceNotFound(`No active session was found with id ${id}`)
    session.last_active_at = Date.now()
    return { ...session }
  }

  /** A deleted user's sessions go with them. */
  removeAllForUser(userId: string): void {
    for (const [id, session] of this.#sessions) if (session.user_id === userId) this.#sessions.delete(id)
  }

  #require(id: string): ClerkSession {
    const session = this.#sessions.get(id)
    if (!session) throw resourceNotFound(`No session was found with id ${id}`)
    return session
  }
}
