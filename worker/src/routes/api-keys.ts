import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { SessionEnv } from '../app-env.ts'
import { AuthUnavailableError } from '../auth/api-keys.ts'
import { clerkKeys, KeyNameTaken, summarize } from '../auth/clerk-keys.ts'
import { API_KEY_SCOPES, type Scope } from '../auth/scopes.ts'
import { parseConfig } from '../env.ts'
import { errorResponse, errorResponses, validationHook } from '../errors.ts'
import { safeText } from '../validation/safe-text.ts'

const scopeNames = Object.keys(API_KEY_SCOPES) as [Scope, ...Scope[]]

const KeySchema = z
  .object({
    id: z.string().openapi({ example: 'ak_0123456789abcdef0123456789abcdef' }),
    name: z.string(),
    scopes: z.array(z.string()),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable().openapi({ description: 'When Clerk last verified the key (at most once a minute while in use)' }),
    revoked: z.boolean(),
    expired: z.boolean(),
  })
  .openapi('ApiKey')

const NewKeySchema = z
  .strictObject({
    name: safeText({ max: 64, trim: true }).pipe(z.string().min(3, 'must be at least 3 characters')),
    scopes: z
      .array(z.enum(scopeNames))
      .min(1, 'give at least one scope')
      .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'each scope once' }),
    expires_in_days: z.int().min(1).max(365).nullable().openapi({ description: 'null: the key never expires' }),
  })
  .openapi('NewApiKey')

const security = [{ clerkSession: [] }]
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } })

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['API keys'],
  summary: 'Your API keys',
  description: 'Newest first, revoked and expired ones included. Never the secrets. Takes a signed-in session.',
  security,
  responses: { 200: json(z.object({ keys: z.array(KeySchema) }), 'The keys'), ...errorResponses(401, 403, 429, 503) },
})

const createKeyRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['API keys'],
  summary: 'Create an API key',
  description: 'The secret is in this answer only: it is never shown again. Takes a signed-in session.',
  security,
  request: { body: { content: { 'application/json': { schema: NewKeySchema } }, required: true } },
  responses: { 201: json(z.object({ key: KeySchema, secret: z.string().openapi({ example: 'ak_…' }) }), 'The new key and its secret'), ...errorResponses(400, 401, 403, 409, 413, 429, 503) },
})

const revokeRoute = createRoute({
  method: 'post',
  path: '/{id}/revoke',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description: 'Requests with it are refused within 60 s (verifications are cached for a minute). Takes a signed-in session.',
  security,
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'ak_0123456789abcdef0123456789abcdef' }) }) },
  responses: { 200: json(z.object({ key: KeySchema }), 'The revoked key'), ...errorResponses(401, 403, 404, 429, 503) },
})

const unavailable = (c: Parameters<typeof errorResponse>[0]) =>
  errorResponse(c, 503, 'auth_unavailable', 'API keys cannot be managed right now; try again shortly.')

/**
 * The signed-in user's API keys, through Clerk's Backend API with the user as subject. Our own page
 * rather than Clerk's <APIKeys/>: the browser cannot give a key scopes, and keys without scopes can do
 * nothing here but say whose they are.
 */
export const apiKeyRoutes = new OpenAPIHono<SessionEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => {
    try {
      const keys = await clerkKeys(parseConfig(c.env), c.var.userId).list()
      return c.json({ keys: keys.map(summarize) }, 200)
    } catch (error) {
      if (error instanceof AuthUnavailableError) return unavailable(c)
      throw error
    }
  })
  .openapi(createKeyRoute, async (c) => {
    const { name, scopes, expires_in_days: days } = c.req.valid('json')
    try {
      const key = await clerkKeys(parseConfig(c.env), c.var.userId).create({ name, scopes, secondsUntilExpiration: days === null ? null : days * 86_400 })
      return c.json({ key: summarize(key), secret: key.secret! }, 201)
    } catch (error) {
      if (error instanceof KeyNameTaken) return errorResponse(c, 409, 'key_name_taken', 'You already have a key of that name; choose another.')
      if (error instanceof AuthUnavailableError) return unavailable(c)
      throw error
    }
  })
  .openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param')
    try {
      const keys = clerkKeys(parseConfig(c.env), c.var.userId)
      if (!(await keys.get(id))) return errorResponse(c, 404, 'key_not_found', 'No such API key among yours.')
      return c.json({ key: summarize(await keys.revoke(id)) }, 200)
    } catch (error) {
      if (error instanceof AuthUnavailableError) return unavailable(c)
      throw error
    }
  })
