import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../app-env.ts'
import { ConfigError, parseConfig } from '../env.ts'
import { errorResponses } from '../errors.ts'

const ClientConfigSchema = z
  .object({
    clerkPublishableKey: z.string().openapi({ example: 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k' }),
  })
  .openapi('ClientConfig')

const clientConfigRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Public settings for the dashboard',
  description:
    "What the dashboard needs before anyone signs in: Clerk's publishable key (it names Clerk's Frontend API). " +
    'Served at run time, so one dashboard build works in every environment.',
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: ClientConfigSchema } } },
    ...errorResponses(503),
  },
})

export const clientConfigRoutes = new OpenAPIHono<AppEnv>().openapi(clientConfigRoute, (c) => {
  const { CLERK_PUBLISHABLE_KEY } = parseConfig(c.env)
  if (!CLERK_PUBLISHABLE_KEY) throw new ConfigError(['CLERK_PUBLISHABLE_KEY is missing (the dashboard needs it)'])
  // Public, and it changes only when the Worker is redeployed with another Clerk instance: fresh for 5 minutes,
  // then a day of stale-while-revalidate, so a returning visitor never waits for it (the dashboard's next
  // start gets the revalidated copy).
  c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400')
  return c.json({ clerkPublishableKey: CLERK_PUBLISHABLE_KEY }, 200)
})
