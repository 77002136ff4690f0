// Clerk API keys (machine auth): long-lived `ak_…` secrets a user (or organization) creates for scripts,
// with scopes, claims and an optional expiry. Shaped after Clerk's Backend API reference (the `API Keys`
// operations of clerk/openapi-specs bapi/2026-05-12.yml, the version @clerk/backend 3.x sends) and
// @clerk/backend's APIKeyJSON. Only a SHA-256 of each secret is kept: the secret exists in one response,
// the one that created it.
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { z } from 'zod'
import { ClerkApiError, badRequest, parseMachineParams } from './clerk-errors.ts'
import type { Clock } from '../clock.ts'

/** APIKeyJSON: what every API key endpoint answers (`secret` only on creation). */
export type ApiKeyJson = {
  object: 'api_key'
  id: string
  type: string
  name: string
  subject: string
  description: string | null
  claims: unknown
  scopes: string[]
  revoked: boolean
  revocation_reason: string | null
  /** Computed when read, by the stand-in's clock. */
  expired: boolean
  /** ms since the epoch, or null: never expires. */
  expiration: number | null
  created_by: string | null
  last_used_at: number | null
  created_at: number
  updated_at: number
}

export type CreatedApiKeyJson = ApiKeyJson & { secret: string }

/** What the stand-in keeps per key: never the secret, only its SHA-256. */
export type StoredApiKey = {
  id: string
  type: string
  name: string
  subject: string
  description: string | null
  claims: unknown
  scopes: string[]
  createdBy: string | null
  /** Hex SHA-256 of the secret. */
  secretSha256: string
  revoked: boolean
  revocationReason: string | null
  expiration: number | null
  lastUsedAt: number | null
  createdAt: number
  updatedAt: number
}

/** Why `verify` refused a secret. */
export type ApiKeyRefusal = 'unknown' | 'revoked' | 'expired'

// Patterns from Clerk's OpenAPI document.
const SUBJECT = /^(user|org|mch|scim)_\w{27}$/
const USER_ID = /^user_\w{27}$/
const API_KEY_ID = /^(ak|api_key)_[0-9A-Fa-f]{32}$/
const NAME = /^(\S(.*\S)?)?$/

const secondsUntilExpiration = z.number().positive().nullable().optional()
const description = z.string().max(255).nullable().optional()
const claims = z.unknown().optional()
const scopes = z.array(z.string()).optional()

export const createApiKeySchema = z.strictObject({
  type: z.string().min(3).max(25).optional(),
  name: z.string().min(3).regex(NAME),
  description,
  subject: z.string().regex(SUBJECT),
  claims,
  scopes,
  created_by: z.string().regex(USER_ID).nullable().optional(),
  seconds_until_expiration: secondsUntilExpiration,
})
/** Body of `POST /v1/api_keys` (snake_case, as @clerk/backend sends it). */
export type CreateApiKeyParams = z.input<typeof createApiKeySchema>

const updateApiKeySchema = z.strictObject({
  claims,
  scopes,
  description,
  subject: z.string().regex(SUBJECT).optional(),
  seconds_until_expiration: secondsUntilExpiration,
})
export type UpdateApiKeyParams = z.input<typeof updateApiKeySchema>

const revokeApiKeySchema = z.strictObject({ revocation_reason: z.string().nullable().optional() })
const verifyApiKeySchema = z.strictObject({ secret: z.string() })

export type ApiKeyListQuery = {
  subject: string
  includeInvalid?: boolean
  /** Case-insensitive part of the name. */
  query?: string
  limit?: number
  offset?: number
}

const listQuerySchema = z.object({
  subject: z.string().regex(SUBJECT),
  include_invalid: z.enum(['true', 'false']).optional(),
  query: z.string().optional(),
  limit: z.coerce.number().min(1).max(100).optional(),
  offset: z.coerce.number().min(0).optional(),
})

/** `GET /api_keys` query parameters (Backend and Frontend API alike) → a list query; 400 when malformed. */
export function apiKeyListQuery(url: URL): ApiKeyListQuery {
  const read = (name: string) => url.searchParams.get(name) ?? undefined
  const query = parseMachineParams(
    listQuerySchema,
    { subject: read('subject'), include_invalid: read('include_invalid'), query: read('query'), limit: read('limit'), offset: read('offset') },
    'query_parameter',
  )
  return {
    subject: query.subject,
    includeInvalid: query.include_invalid === 'true',
    query: query.query,
    limit: query.limit === undefined ? undefined : Math.floor(query.limit),
    offset: query.offset === undefined ? undefined : Math.floor(query.offset),
  }
}

/** A `{apiKeyID}` path parameter, checked against Clerk's pattern (400 otherwise). */
export function apiKeyIdParam(id: string): string {
  if (!API_KEY_ID.test(id)) throw badRequest('url_parameter', 'apiKeyID', 'Failed regex check')
  return id
}

export function apiKeyNotFound(id: string): ClerkApiError {
  return new ClerkApiError(404, [{ message: 'API key not found', long_message: `No API key was found with id ${id}.`, code: 'api_key_not_found' }])
}

/**
 * Verification refusals. Clerk documents that `verify` throws for an invalid, revoked or expired key and
 * lists 404 as its error status (@clerk/backend's authenticateRequest reads a 404 as "API key not found",
 * `token-invalid`); the error codes below are the stand-in's, chosen so the three cases can be told apart.
 */
const refusals: Record<ApiKeyRefusal, { message: string; long_message: string; code: string }> = {
  unknown: { message: 'API key not found', long_message: 'No API key matches the given secret.', code: 'api_key_not_found' },
  revoked: { message: 'API key revoked', long_message: 'The API key has been revoked.', code: 'api_key_revoked' },
  expired: { message: 'API key expired', long_message: 'The API key has expired.', code: 'api_key_expired' },
}

export class ApiKeyRefusedError extends ClerkApiError {
  readonly refusal: ApiKeyRefusal
  readonly apiKeyId: string | null

  constructor(refusal: ApiKeyRefusal, apiKeyId: string | null) {
    super(404, [refusals[refusal]])
    this.refusal = refusal
    this.apiKeyId = apiKeyId
  }
}

/**
 * The instance's API keys, in memory. `subjectExists` answers whether a subject (`user_…`, `org_…`) is one
 * this instance knows, as Clerk checks before it issues a key.
 */
export class ApiKeyStore {
  readonly #keys = new Map<string, StoredApiKey>()
  readonly #idBySecretHash = new Map<string, string>()
  readonly #clock: Clock
  readonly #subjectExists: (subject: string) => boolean

  constructor(clock: Clock, subjectExists: (subject: string) => boolean) {
    this.#clock = clock
    this.#subjectExists = subjectExists
  }

  /** `POST /api_keys`: the only answer that carries the secret. */
  create(params: unknown): CreatedApiKeyJson {
    const input = parseMachineParams(createApiKeySchema, bodyObject(params), 'request_body')
    this.#requireSubject(input.subject)
    // Clerk refuses a second key of the same name for a subject, revoked keys included (delete frees it).
    if ([...this.#keys.values()].some((key) => key.subject === input.subject && key.name === input.name)) {
      throw new ClerkApiError(409, [
        {
          message: 'API key name already exists',
          long_message: `An API key named "${input.name}" already exists for ${input.subject}.`,
          code: 'token_creation_conflict',
        },
      ])
    }
    const now = this.#clock.now()
    const secret = newSecret()
    const key: StoredApiKey = {
      id: `ak_${randomBytes(16).toString('hex')}`,
      type: input.type ?? 'api_key',
      name: input.name,
      subject: input.subject,
      description: input.description ?? null,
      claims: input.claims ?? null,
      scopes: input.scopes ?? [],
      createdBy: input.created_by ?? null,
      secretSha256: sha256Hex(secret),
      revoked: false,
      revocationReason: null,
      expiration: expirationFrom(now, input.seconds_until_expiration),
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    }
    this.#keys.set(key.id, key)
    this.#idBySecretHash.set(key.secretSha256, key.id)
    return { ...this.#json(key), secret }
  }

  /** Newest first; without `includeInvalid`, revoked and expired keys are left out. */
  list(query: ApiKeyListQuery): { data: ApiKeyJson[]; total_count: number } {
    const needle = query.query?.toLowerCase() ?? ''
    const matching = [...this.#keys.values()]
      .filter((key) => key.subject === query.subject)
      .filter((key) => query.includeInvalid || (!key.revoked && !this.#expired(key)))
      .filter((key) => key.name.toLowerCase().includes(needle))
      .reverse() // insertion order is creation order
      .sort((a, b) => b.createdAt - a.createdAt)
    const offset = query.offset ?? 0
    const limit = query.limit ?? 10
    return { data: matching.slice(offset, offset + limit).map((key) => this.#json(key)), total_count: matching.length }
  }

  get(id: string): ApiKeyJson {
    return this.#json(this.#require(id))
  }

  update(id: string, params: unknown): ApiKeyJson {
    const key = this.#require(id)
    const input = parseMachineParams(updateApiKeySchema, bodyObject(params), 'request_body')
    if (input.subject !== undefined) this.#requireSubject(input.subject)
    const now = this.#clock.now()
    if (input.subject !== undefined) key.subject = input.subject
    if (input.description !== undefined) key.description = input.description
    if (input.claims !== undefined) key.claims = input.claims
    if (input.scopes !== undefined) key.scopes = input.scopes
    if (input.seconds_until_expiration !== undefined) key.expiration = expirationFrom(now, input.seconds_until_expiration)
    key.updatedAt = now
    return this.#json(key)
  }

  delete(id: string): { id: string; object: 'api_key'; deleted: true } {
    const key = this.#require(id)
    this.#forget(key)
    return { id, object: 'api_key', deleted: true }
  }

  /** Revoking twice keeps the first revocation (and its reason). */
  revoke(id: string, params: unknown): ApiKeyJson {
    const key = this.#require(id)
    const input = parseMachineParams(revokeApiKeySchema, bodyObject(params), 'request_body')
    if (!key.revoked) {
      key.revoked = true
      key.revocationReason = input.revocation_reason ?? null
      key.updatedAt = this.#clock.now()
    }
    return this.#json(key)
  }

  /**
   * `GET /api_keys/:id/secret`. Clerk can show a secret again; the stand-in keeps only its hash, so it
   * answers every existing key with a 400 saying so (an unknown key is a 404, as with Clerk).
   */
  secret(id: string): never {
    this.#require(id)
    throw new ClerkApiError(400, [
      {
        message: 'API key secret unavailable',
        long_message:
          'The Clerk stand-in keeps only a SHA-256 hash of API key secrets and cannot show one again; the secret is in the response that created the key.',
        code: 'api_key_secret_unavailable',
      },
    ])
  }

  /** `POST /api_keys/verify`: the key, with `last_used_at` now; an unknown, revoked or expired one is refused. */
  verify(params: unknown): ApiKeyJson {
    const { secret } = parseMachineParams(verifyApiKeySchema, bodyObject(params), 'request_body')
    const key = this.#bySecret(secret)
    if (!key) throw new ApiKeyRefusedError('unknown', null)
    if (key.revoked) throw new ApiKeyRefusedError('revoked', key.id)
    if (this.#expired(key)) throw new ApiKeyRefusedError('expired', key.id)
    key.lastUsedAt = this.#clock.now()
    return this.#json(key)
  }

  /** The id of the key a verify body's secret belongs to, without verifying it (faults and counters use it). */
  idOfSecret(params: unknown): string | null {
    const secret = (params as { secret?: unknown } | null)?.secret
    return typeof secret === 'string' ? (this.#bySecret(secret)?.id ?? null) : null
  }

  /** A deleted user's keys go with them. */
  removeAllForSubject(subject: string): void {
    for (const key of [...this.#keys.values()]) if (key.subject === subject) this.#forget(key)
  }

  /** What the stand-in stores, for tests to inspect (copies). */
  stored(): StoredApiKey[] {
    return [...this.#keys.values()].map((key) => structuredClone(key))
  }

  #bySecret(secret: string): StoredApiKey | undefined {
    const id = this.#idBySecretHash.get(sha256Hex(secret))
    return id === undefined ? undefined : this.#keys.get(id)
  }

  #requireSubject(subject: string): void {
    if (!this.#subjectExists(subject)) throw badRequest('request_body', 'subject', `no user or organization ${subject} exists in this instance`)
  }

  #require(id: string): StoredApiKey {
    const key = this.#keys.get(apiKeyIdParam(id))
    if (!key) throw apiKeyNotFound(id)
    return key
  }

  #forget(key: StoredApiKey): void {
    this.#keys.delete(key.id)
    this.#idBySecretHash.delete(key.secretSha256)
  }

  #expired(key: StoredApiKey): boolean {
    return key.expiration !== null && this.#clock.now() >= key.expiration
  }

  #json(key: StoredApiKey): ApiKeyJson {
    return {
      object: 'api_key',
      id: key.id,
      type: key.type,
      name: key.name,
      subject: key.subject,
      description: key.description,
      claims: structuredClone(key.claims),
      scopes: [...key.scopes],
      revoked: key.revoked,
      revocation_reason: key.revocationReason,
      expired: this.#expired(key),
      expiration: key.expiration,
      created_by: key.createdBy,
      last_used_at: key.lastUsedAt,
      created_at: key.createdAt,
      updated_at: key.updatedAt,
    }
  }
}

function bodyObject(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw badRequest('request_body', undefined, 'expected a JSON object')
  return input as Record<string, unknown>
}

function expirationFrom(now: number, seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined ? null : now + Math.round(seconds * 1000)
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** `ak_` and 32 random base62 characters (~190 bits), the length of Clerk's documented example. */
function newSecret(): string {
  let body = ''
  for (let i = 0; i < 32; i++) body += BASE62[randomInt(BASE62.length)]
  return `ak_${body}`
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
