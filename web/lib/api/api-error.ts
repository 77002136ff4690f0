/**
 * A failed call to the Worker: its `{ error: { code, message, details? } }` (the message written for users), or
 * network_error (status 0). `details` carries what a page needs to act on it, e.g. `retryAfterSeconds`.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(status: number, code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

/** fetch() itself failed: offline, DNS, the server down. */
export const networkError = () => new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.')
