/** A failed call to the Worker: its `{ error: { code, message } }` (written for users), or network_error (status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/** fetch() itself failed: offline, DNS, the server down. */
export const networkError = () => new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.')
