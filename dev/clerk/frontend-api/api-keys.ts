// The Frontend API's API keys: what clerk-js's `clerk.apiKeys` (getAll, create, revoke) calls for
// @clerk/ui's <APIKeys/>, following Clerk's Frontend API reference (clerk/openapi-specs fapi/2026-05-12.yml):
//
//   GET  /api_keys?subject&include_invalid&query&limit&offset → { data: APIKeyJSON[], total_count }
//   POST /api_keys  { type?, name, subject, description?, seconds_until_expiration? } → 201 APIKeyJSON + secret
//   POST /api_keys/:id/revoke  { revocation_reason? }         → APIKeyJSON
//
// Unlike the rest of the Frontend API these paths have no `/v1` prefix, take JSON bodies, answer bare
// objects (no `{ response, client }` envelope) and authenticate with the session token clerk-js puts in
// `Authorization: Bearer` (its `__clerk_db_jwt` and `_clerk_session_id` query parameters ride along).
// A signed-in user manages the keys whose subject is themselves (this instance has no organizations);
// scopes and claims cannot be set from the browser, as with Clerk: only the Backend API sets them.
import { z } from 'zod'
import { apiKeyIdParam, apiKeyListQuery, apiKeyNotFound } from '../api-keys.ts'
import { ClerkApiError, parseMachineParams } from '../clerk-errors.ts'
import type { ClerkInstance } from '../clerk-instance.ts'

export const API_KEYS_PATH = /^\/api_keys(\/.*)?$/

type ApiKeysRequest = { method: string; url: URL; json: unknown; authorization: string | undefined }
type ApiKeysReply = { status: number; body: unknown }

const NAME = /^(\S(.*\S)?)?$/

const createSchema = z.strictObject({
  type: z.string().min(3).max(25).optional(),
  name: z.string().min(3).regex(NAME),
  description: z.string().max(255).nullable().optional(),
  subject: z.string().regex(/^(user|org)_\w{27}$/),
  seconds_until_expiration: z.number().positive().nullable().optional(),
})

const revokeSchema = z.strictObject({ revocation_reason: z.string().nullable().optional() })

export async function handleApiKeys(instance: ClerkInstance, request: ApiKeysRequest): Promise<ApiKeysReply> {
  const { userId } = await instance.authenticateSessionToken(/^Bearer (\S+)$/i.exec(request.authorization ?? '')?.[1])
  const path = request.url.pathname
  if (request.method === 'GET' && path === '/api_keys') {
    const query = apiKeyListQuery(request.url)
    requireOwnSubject(query.subject, userId)
    return { status: 200, body: instance.listApiKeys(query) }
  }
  if (request.method === 'POST' && path === '/api_keys') {
    const input = parseMachineParams(createSchema, jsonObject(request.json), 'request_body')
    requireOwnSubject(input.subject, userId)
    return { status: 201, body: instance.createApiKey({ ...input, created_by: userId }) }
  }
  const revoke = /^\/api_keys\/([^/]+)\/revoke$/.exec(path)
  if (request.method === 'POST' && revoke) {
    const id = apiKeyIdParam(decodeURIComponent(revoke[1]!))
    const input = parseMachineParams(revokeSchema, jsonObject(request.json), 'request_body')
    // Another user's key is as absent as a key that does not exist.
    if (ownerOf(instance, id) !== userId) throw apiKeyNotFound(id)
    return { status: 200, body: instance.revokeApiKey(id, input) }
  }
  throw new ClerkApiError(404, [
    { message: 'not found', long_message: `No Frontend API route matches ${request.method} ${path}`, code: 'resource_not_found' },
  ])
}

function requireOwnSubject(subject: string, userId: string): void {
  if (subject !== userId) {
    throw new ClerkApiError(403, [
      {
        message: 'You are not authorized to perform this request',
        long_message: `The signed-in user cannot manage API keys of ${subject}.`,
        code: 'not_allowed_access',
      },
    ])
  }
}

function ownerOf(instance: ClerkInstance, id: string): string | null {
  try {
    return instance.getApiKey(id).subject
  } catch {
    return null
  }
}

/** clerk-js sends `JSON.stringify(body)`; no body reads as no parameters. */
function jsonObject(json: unknown): Record<string, unknown> {
  if (json === undefined) return {}
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ClerkApiError(400, [{ message: 'Bad Request', long_message: "Invalid 'request_body': expected a JSON object", code: 'bad_request' }])
  }
  return json as Record<string, unknown>
}
