import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { SessionEnv } from '../app-env.ts'
import { errorResponses } from '../errors.ts'

const SessionSchema = z
  .object({
    userId: z.string().openapi({ example: 'user_2x5M1r0hQ9cF8dLrUe3Xw7ZqA1b' }),
    sessionId: z.string().openapi({ example: 'sess_2x5M1vYk3TqS9nP0aBcDeFgHiJk' }),
  })
  .openapi('Session')

const sessionRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Profile'],
  summary: 'Check a session token',
  description: 'Who the presented Clerk session token belongs to, verified at the edge without a database call.',
  security: [{ clerkSession: [] }],
  responses: {
    200: { description: 'The token is valid', content: { 'application/json': { schema: SessionSchema } } },
    ...errorResponses(401, 429),
  },
})

export const sessionRoutes = new OpenAPIHono<SessionEnv>().openapi(sessionRoute, (c) =>
  c.json({ userId: c.var.userId, sessionId: c.var.sessionId }, 200),
)
