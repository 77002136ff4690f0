import { randomBytes } from 'node:crypto'
import type { z } from 'zod'

/** One entry of Clerk's error body: `{ errors: [{ message, long_message, code, meta? }] }`. */
export type ClerkErrorDetail = {
  message: string
  long_message: string
  code: string
  meta?: Record<string, unknown>
}

/** An API failure with the HTTP status and error entries Clerk's Backend API would answer with. */
export class ClerkApiError extends Error {
  readonly status: number
  readonly errors: ClerkErrorDetail[]

  constructor(status: number, errors: ClerkErrorDetail[]) {
    super(errors.map((error) => error.long_message).join(' '))
    this.name = 'ClerkApiError'
    this.status = status
    this.errors = errors
  }
}

export function clerkErrorBody(error: ClerkApiError): { errors: ClerkErrorDetail[]; clerk_trace_id: string } {
  return { errors: error.errors, clerk_trace_id: randomBytes(16).toString('hex') }
}

export function resourceNotFound(longMessage: string): ClerkApiError {
  return new ClerkApiError(404, [{ message: 'not found', long_message: longMessage, code: 'resource_not_found' }])
}

/**
 * Validates Backend API parameters. Failures become 422s in Clerk's form-error style, one entry per
 * offending parameter, naming it in `meta.param_name` as Clerk does.
 */
export function parseClerkParams<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ClerkApiError(400, [
      { message: 'Request body invalid', long_message: 'The request body must be a JSON object.', code: 'request_body_invalid' },
    ])
  }
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const errors = result.error.issues.map((issue): ClerkErrorDetail => {
    const paramName = String(issue.path[0] ?? '')
    const missing = !(paramName in input)
    return missing
      ? {
          message: 'missing required parameter',
          long_message: `${paramName} must be included.`,
          code: 'form_param_missing',
          meta: { param_name: paramName },
        }
      : {
          message: 'is invalid',
          long_message: `${paramName} is invalid: ${issue.message}`,
          code: 'form_param_format_invalid',
          meta: { param_name: paramName },
        }
  })
  throw new ClerkApiError(422, errors)
}

/**
 * Clerk's machine-token endpoints (`/api_keys…`, `/m2m_tokens…`) validate differently from the classic
 * Backend API: a 400 `bad_request` naming where the bad value was, as Clerk's OpenAPI document shows it
 * (`"Invalid 'url_parameter.example': Failed regex check"`), never a 422 form error.
 */
export type ParamLocation = 'request_body' | 'query_parameter' | 'url_parameter'

export function badRequest(location: ParamLocation, param: string | undefined, reason: string): ClerkApiError {
  const where = param ? `${location}.${param}` : location
  return new ClerkApiError(400, [{ message: 'Bad Request', long_message: `Invalid '${where}': ${reason}`, code: 'bad_request' }])
}

/** Validates machine-token endpoint parameters: the first offending one becomes Clerk's 400 `bad_request`. */
export function parseMachineParams<Schema extends z.ZodType>(schema: Schema, input: unknown, location: ParamLocation): z.output<Schema> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const param = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined
  const reason = issue.code === 'invalid_format' && issue.format === 'regex' ? 'Failed regex check' : issue.message
  throw badRequest(location, param, reason)
}
