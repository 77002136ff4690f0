import { createClerkClient } from '@clerk/backend'
import type { APIKey } from '@clerk/backend'
import { isClerkAPIResponseError } from '@clerk/backend/errors'
import { ConfigError, type Config } from '../env.ts'
import { AuthUnavailableError } from './api-keys.ts'

/** A key as the keys API shows it to its owner: never the secret (that comes once, on create). */
export type KeySummary = {
  id: string
  name: string
  scopes: string[]
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked: boolean
  expired: boolean
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function summarize(key: APIKey): KeySummary {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    created_at: iso(key.createdAt)!,
    expires_at: iso(key.expiration),
    last_used_at: iso(key.lastUsedAt),
    revoked: key.revoked,
    expired: key.expired,
  }
}

/**
 * Clerk's Backend API for one user's keys. Clerk failing or unreachable becomes AuthUnavailableError;
 * `null` from get() is "no such key of theirs".
 */
export function clerkKeys(config: Config, userId: string) {
  if (!config.CLERK_SECRET_KEY) throw new ConfigError(['API keys need CLERK_SECRET_KEY'])
  const api = createClerkClient({ secretKey: config.CLERK_SECRET_KEY, apiUrl: config.CLERK_API_URL }).apiKeys
  return {
    list: () => clerkCall(async () => (await api.list({ subject: userId, includeInvalid: true })).data),
    create: (params: { name: string; scopes: string[]; secondsUntilExpiration: number | null }) =>
      clerkCall(() => api.create({ ...params, subject: userId, createdBy: userId })),
    /** The key if it is this user's, else null (another user's key reads as not found). */
    get: (id: string) =>
      clerkCall(async () => {
        try {
          const key = await api.get(id)
          return key.subject === userId ? key : null
        } catch (error) {
          if (isClerkAPIResponseError(error) && (error.status === 404 || error.status === 400)) return null
          throw error
        }
      }),
    revoke: (id: string) => clerkCall(() => api.revoke({ apiKeyId: id, revocationReason: 'Revoked by its owner in sellersync' })),
  }
}

/** The user already has a key of that name (Clerk's 409). */
export class KeyNameTaken extends Error {
  override readonly name = 'KeyNameTaken'
}

async function clerkCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (isClerkAPIResponseError(error) && error.status === 409) throw new KeyNameTaken('a key of that name exists')
    // The routes validate what they send: any other failure is Clerk's (or our secret key's), not the caller's.
    throw new AuthUnavailableError(isClerkAPIResponseError(error) ? `Clerk answered ${error.status}` : 'Clerk did not answer')
  }
}
