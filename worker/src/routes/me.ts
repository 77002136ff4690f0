import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { SessionEnv } from '../app-env.ts'
import { userDb } from '../db/supabase.ts'
import { getProfile } from '../db/users.ts'
import { parseConfig } from '../env.ts'
import { callerSecurity } from '../auth/scopes.ts'
import { errorResponse, errorResponses } from '../errors.ts'

export const ProfileSchema = z
  .object({
    id: z.string().openapi({ example: 'user_2x5M1r0hQ9cF8dLrUe3Xw7ZqA1b' }),
    email: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    image_url: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Profile')

const meRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Profile'],
  summary: 'The signed-in user',
  description: "The caller's profile as synced from Clerk. 404 `user_not_synced` until Clerk's user.created webhook has arrived.",
  security: callerSecurity(),
  responses: {
    200: { description: 'The profile', content: { 'application/json': { schema: ProfileSchema } } },
    ...errorResponses(401, 404, 429, 503),
  },
})

export const meRoutes = new OpenAPIHono<SessionEnv>().openapi(meRoute, async (c) => {
  const profile = await getProfile(userDb(parseConfig(c.env), c.var.databaseToken), c.var.userId)
  if (!profile) {
    return errorResponse(c, 404, 'user_not_synced', 'Your profile has not arrived from Clerk yet; try again in a moment.')
  }
  return c.json(profile, 200)
})
