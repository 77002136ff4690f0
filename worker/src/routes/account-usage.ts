import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { SessionEnv } from '../app-env.ts'
import { getAccount } from '../db/accounts.ts'
import { userDb } from '../db/supabase.ts'
import { parseConfig } from '../env.ts'
import { callerSecurity } from '../auth/scopes.ts'
import { errorResponse, errorResponses, validationHook } from '../errors.ts'
import { accountSession } from '../tokens/session-stub.ts'
import { isUuid } from '../validation/uuid.ts'

const RateLimitStateSchema = z
  .object({
    rate: z.number().openapi({ description: 'Calls per second Amazon restores (the usage plan, or what Amazon last stated in x-amzn-RateLimit-Limit)' }),
    burst: z.number().int().openapi({ description: 'The most calls that can go out back to back' }),
    available: z.number().int().openapi({ description: 'Calls that can go out now without waiting' }),
    source: z.enum(['default', 'amazon']).openapi({ description: '`amazon` once Amazon stated the rate on a successful answer' }),
  })
  .openapi('RateLimitState')

const OperationUsageSchema = z
  .object({
    operation_id: z.string().openapi({ example: 'getOrders' }),
    calls: z.number().int(),
    shaped_waits: z.number().int().openapi({ description: 'Calls that waited for the operation’s bucket before going to Amazon' }),
    throttled_by_sellersync: z.number().int().openapi({ description: '429s sellersync answered because the bucket stayed empty past the wait budget' }),
    throttled_by_amazon: z.number().int().openapi({ description: '429s Amazon answered (retried ones included)' }),
    errors: z.number().int().openapi({ description: 'Answers of 500 or more, and Amazon unreachable' }),
    last_call_at: z.string().nullable(),
    rate_limit: RateLimitStateSchema.nullable().openapi({ description: 'The operation’s bucket; null for the Ads API (Amazon publishes no fixed limits) or before a call' }),
  })
  .openapi('OperationUsage')

const AccountUsageSchema = z
  .object({
    account_id: z.uuid(),
    since: z.string().nullable().openapi({ description: 'When the first proxied call was counted' }),
    operations: z.array(OperationUsageSchema),
  })
  .openapi('AccountUsage')

const usageRoute = createRoute({
  method: 'get',
  path: '/{id}/usage',
  tags: ['Accounts'],
  summary: 'Calls through the Amazon proxy for this account, per operation',
  description: 'Counted by the account’s session; the rate-limit state is the proxy’s bucket for the operation right now.',
  security: callerSecurity('accounts:read'),
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f' }) }) },
  responses: {
    200: { description: 'The usage', content: { 'application/json': { schema: AccountUsageSchema } } },
    ...errorResponses(401, 403, 404, 429, 503),
  },
})

export const accountUsageRoutes = new OpenAPIHono<SessionEnv>({ defaultHook: validationHook }).openapi(usageRoute, async (c) => {
  const { id } = c.req.valid('param')
  const account = isUuid(id) ? await getAccount(userDb(parseConfig(c.env), c.var.databaseToken), id) : null
  if (!account) return errorResponse(c, 404, 'account_not_found', 'No such account.')
  if (!account.grant_id) return c.json({ account_id: id, since: null, operations: [] }, 200)
  const usage = await accountSession(c.env, account.grant_id).usage(id, account.external_id)
  const ids = [...new Set([...Object.keys(usage.operations), ...Object.keys(usage.buckets)])].sort()
  const operations = ids.map((operationId) => {
    const counted = usage.operations[operationId]
    const plan = usage.buckets[operationId]?.plan ?? null
    return {
      operation_id: operationId,
      calls: counted?.calls ?? 0,
      shaped_waits: counted?.shapedWaits ?? 0,
      throttled_by_sellersync: counted?.throttledBySellersync ?? 0,
      throttled_by_amazon: counted?.throttledByAmazon ?? 0,
      errors: counted?.errors ?? 0,
      last_call_at: counted?.lastCallAt ?? null,
      rate_limit: plan && { rate: plan.rate, burst: plan.burst, available: plan.available, source: plan.source },
    }
  })
  return c.json({ account_id: id, since: usage.since, operations }, 200)
})
