import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error shape every endpoint returns: `{ error: { code, message, details? } }`. */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } }

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
) {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } }
  return c.json(body, status)
}
