import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { Webhook, WebhookVerificationError } from 'svix'
import type { AppEnv } from '../app-env.ts'
import { anyClerkWebhookEvent, clerkWebhookEvent, primaryEmail } from '../clerk/webhook-event.ts'
import { serviceDb } from '../db/supabase.ts'
import { deleteUser, syncClerkUser } from '../db/users.ts'
import { markProcessed, wasProcessed } from '../db/webhook-events.ts'
import { parseConfig } from '../env.ts'
import { errorResponse, errorResponses } from '../errors.ts'
import { safeText } from '../validation/safe-text.ts'

const WebhookResultSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['applied', 'stale', 'duplicate', 'ignored', 'invalid']).openapi({
      description:
        'applied: the change was written; stale: an older event than what is stored; duplicate: this svix-id was already processed; ' +
        'ignored: an event type we do not use; invalid: an event we use whose fields are missing or unacceptable, acknowledged ' +
        'so Svix does not retry what can never succeed, and nothing written',
    }),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'With `invalid`: each unusable field and why (never its value)' }),
  })
  .openapi('WebhookResult')

const clerkWebhookRoute = createRoute({
  method: 'post',
  path: '/clerk',
  tags: ['Webhooks'],
  summary: 'Clerk user events (Svix-signed)',
  description:
    'Keeps the users table in step with Clerk. The Svix signature is verified over the raw body (5-minute tolerance). Idempotent on svix-id.',
  request: {
    // svix-id is stored (webhook_events), so it is held to the same rules as any stored text.
    headers: z.object({ 'svix-id': safeText({ max: 256 }), 'svix-timestamp': z.string(), 'svix-signature': z.string() }),
    body: { content: { 'application/json': { schema: z.object({ type: z.string(), data: z.unknown() }) } }, required: true },
  },
  responses: {
    200: { description: 'Acknowledged', content: { 'application/json': { schema: WebhookResultSchema } } },
    ...errorResponses(400, 401, 413, 429, 503),
  },
})

// The route's validators are declared for the OpenAPI document; the handler reads the raw body itself,
// because the signature covers the exact bytes Svix sent.
export const webhookRoutes = new OpenAPIHono<AppEnv>().openapi(
  { ...clerkWebhookRoute, request: { headers: clerkWebhookRoute.request.headers } },
  async (c) => {
    const config = parseConfig(c.env)
    const payload = await c.req.text()
    const headers = c.req.valid('header')
    try {
      new Webhook(config.CLERK_WEBHOOK_SECRET).verify(payload, headers)
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error
      return errorResponse(c, 401, 'invalid_signature', `Webhook rejected: ${error.message}.`)
    }

    let json: unknown
    try {
      json = JSON.parse(payload)
    } catch {
      return errorResponse(c, 400, 'invalid_json', 'The webhook body is not JSON.')
    }
    const envelope = anyClerkWebhookEvent.safeParse(json)
    if (!envelope.success) return errorResponse(c, 400, 'invalid_event', 'The webhook body has no usable event type.')

    const db = serviceDb(config)
    const svixId = headers['svix-id']
    if (await wasProcessed(db, svixId)) return c.json({ received: true as const, outcome: 'duplicate' as const }, 200)

    const event = clerkWebhookEvent.safeParse(json)
    let outcome: 'applied' | 'stale' | 'ignored' = 'ignored'
    if (!event.success) {
      if (clerkWebhookEvent.options.some((option) => option.shape.type.value === envelope.data.type)) {
        // Acknowledged, not refused: Svix retries any other answer for days, and a redelivery carries the
        // same bytes. Not recorded either, so a corrected resend under the same id is still applied.
        // The log names fields and rules only: the values are a person's profile.
        const issues = event.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
        console.warn(
          `clerk webhook ${envelope.data.type} not applied (svix-id ${svixId}): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        )
        return c.json({ received: true as const, outcome: 'invalid' as const, issues }, 200)
      }
    } else if (event.data.type === 'user.deleted') {
      await deleteUser(db, event.data.data.id)
      outcome = 'applied'
    } else {
      const user = event.data.data
      const applied = await syncClerkUser(db, {
        id: user.id,
        email: primaryEmail(user),
        firstName: user.first_name ?? null,
        lastName: user.last_name ?? null,
        imageUrl: user.image_url ?? null,
        updatedAt: user.updated_at,
      })
      outcome = applied ? 'applied' : 'stale'
    }
    // Recorded after the change: a failure above makes Svix retry, and every change is idempotent.
    await markProcessed(db, svixId, envelope.data.type)
    return c.json({ received: true as const, outcome }, 200)
  },
)
