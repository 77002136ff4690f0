import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { SessionEnv } from '../app-env.ts'
import { callerSecurity } from '../auth/scopes.ts'
import { errorResponses } from '../errors.ts'

const SessionSchema = z
  .object({
    userId: z.string().openapi({ example: 'user_2x5M1r0hQ9cF8dLrUe3Xw7ZqA1b' }),
    sessionId: z.string().nullable().openapi({ example: 'sess_2x5M1vYk3TqS9nP0aBcDeFgHiJk', description: 'Null for an API key' }),
    apiKeyId: z.string().nullable().openapi({ description: 'The API key’s id; null for a session' }),
    scopes: z.array(z.string()).nullable().openapi({ description: 'The API key’s scopes; null for a session (it may do all its user may)' }),
  })
  .openapi('Session')

const sessionRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Profile'],
  summary: 'Check a session token or an API key',
  description: 'Who the presented Clerk session token (verified at the edge without a network call) or API key belongs to.',
  security: callerSecurity(),
  responses: {
    200: { description: 'The token is valid', content: { 'application/json': { schema: SessionSchema } } },
    ...errorResponses(401, 429),
  },
})

export const sessionRoutes = new OpenAPIHono<SessionEnv>().openapi(sessionRoute, (c) => {
  const { credential } = c.var
  return credential.kind === 'session'
    ? c.json({ userId: c.var.userId, sessionId: credential.sessionId, apiKeyId: null, scopes: null }, 200)
    : c.json({ userId: c.var.userId, sessionId: null, apiKeyId: credential.keyId, scopes: credential.scopes }, 200)
})
