import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { callerSecurity } from '../auth/scopes.ts'
import { errorResponses } from '../errors.ts'
import { DEFAULT_MAX_WAIT_MS, MAX_CACHE_AGE_S, MAX_WAIT_HEADER, MAX_WAIT_LIMIT_MS, RDT_HEADER } from './proxy-options.ts'

/** A real SP-API operation per method, so each method's curl line in /api/docs can be sent as it is. */
const LISTING = 'listings/2021-08-01/items/A3EXAMPLESELLER/SKU-123?marketplaceIds=ATVPDKIKX0DER'
const EXAMPLES = {
  get: { path: 'sellers/v1/marketplaceParticipations' },
  post: { path: 'reports/2021-06-30/reports', body: { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: ['ATVPDKIKX0DER'] } },
  put: { path: LISTING, body: { productType: 'PRODUCT', requirements: 'LISTING_OFFER_ONLY', attributes: { condition_type: [{ value: 'new_new' }] } } },
  patch: {
    path: LISTING,
    body: { productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 5 }] }] },
  },
  delete: { path: 'reports/2021-06-30/reports/50001019876' },
} satisfies Record<string, { path: string; body?: unknown }>
const METHODS = Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>

/**
 * The proxy in the OpenAPI document. It is a plain Hono route (any Amazon path, a streamed body), so
 * its entry is registered by hand, once per method.
 */
export function registerProxyDocs(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const method of METHODS) {
    const example: { path: string; body?: unknown } = EXAMPLES[method]
    registry.registerPath({
      method,
      path: '/amazon/{accountId}/{amazonPath}', // under the app's /api base path
      tags: ['Amazon proxy'],
      summary: `${method.toUpperCase()} an Amazon SP-API or Ads operation for one of your accounts`,
      description:
        'Sent to the account’s regional SP-API or Amazon Ads host with its token. Only known operations ' +
        '(404 `unknown_operation` names the closest). Each operation has a token bucket per seller, seeded from ' +
        'Amazon’s usage plan and corrected from `x-amzn-RateLimit-Limit`: a call waits for it up to the ' +
        `\`${MAX_WAIT_HEADER}\` budget, then gets 429 \`amazon_rate_limited\` with \`Retry-After\`. ` +
        'Amazon’s answer (status, body, `x-amzn-RequestId`, `x-amzn-RateLimit-Limit`) is returned as sent.',
      security: callerSecurity('amazon:proxy'),
      request: {
        params: z.object({
          accountId: z.string().openapi({ param: { name: 'accountId', in: 'path' }, example: '0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f' }),
          amazonPath: z.string().openapi({ param: { name: 'amazonPath', in: 'path' }, example: example.path }),
        }),
        headers: z.object({
          [MAX_WAIT_HEADER]: z
            .string()
            .optional()
            .openapi({ description: `Milliseconds the call may wait for the operation’s rate limit (0–${MAX_WAIT_LIMIT_MS}; default ${DEFAULT_MAX_WAIT_MS})` }),
          [RDT_HEADER]: z.string().optional().openapi({
            description:
              'Restricted data to read: data elements for getOrders/getOrder/getOrderItems (e.g. `buyerInfo,shippingAddress`), ' +
              'or `true` for getReportDocument of a restricted report. Always-restricted operations need no header.',
          }),
          'Cache-Control': z.string().optional().openapi({ description: `GET only: \`max-age=N\` (N ≤ ${MAX_CACHE_AGE_S}) serves a 200 up to N seconds old from the edge cache (not for restricted data); the answer says \`X-Cache: HIT|MISS\`` }),
        }),
        ...(example.body === undefined
          ? {}
          : { body: { content: { 'application/json': { schema: z.unknown().openapi({ description: 'Amazon’s request body, sent as it is', example: example.body }) } } } }),
      },
      responses: {
        200: { description: 'Amazon’s answer, whatever its status' },
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503),
      },
    })
  }
}
