import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error shape every endpoint returns: `{ error: { code, message, details? } }`. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: 'body.provider: Invalid option: expected one of "sp_api"|"ads"' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

export type ErrorBody = z.infer<typeof ErrorBodySchema>

export function errorResponse<Status extends ContentfulStatusCode>(c: Context, status: Status, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } }
  return c.json(body, status)
}

const ERROR_DESCRIPTIONS = {
  400: 'The request is malformed; `details.issues` lists each failing field (`invalid_data`: the database refused a value)',
  401: 'Missing, invalid or expired credentials (`unauthorized` for a session token, `api_key_invalid` for an API key); `details.reason` says which',
  403: 'The API key lacks a scope the route needs (`insufficient_scope`, `details.scope`), or the route takes a signed-in session only (`session_required`)',
  404: 'No such resource for this caller',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'The body’s Content-Type is not the one the operation requires',
  429: 'Rate limited; see Retry-After',
  502: 'An upstream service (Amazon) refused the request',
  503: 'A dependency or the configuration is unavailable',
} as const

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS
type ErrorResponseEntry = { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } }

/** OpenAPI response entries for the errors a route can answer with (typed, so handlers may return them). */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): { [K in S]: ErrorResponseEntry } {
  const entries = statuses.map((status) => [
    status,
    { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorBodySchema } } },
  ])
  return Object.fromEntries(entries) as { [K in S]: ErrorResponseEntry }
}

/**
 * zod-openapi's hook for failed validation: a 400 naming each failing path, never echoing values
 * (they may hold tokens).
 */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context,
) {
  if (result.success) return
  const issues = result.error.issues.map((issue) => ({
    path: [result.target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  return errorResponse(c, 400, 'invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues })
}
