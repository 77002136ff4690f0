/** How an SP-API or Ads API call failed, by what the caller should do about it. */
export type AmazonApiErrorKind =
  /** 5xx, timeout or network failure. */
  | 'unavailable'
  /** 429: retry later. */
  | 'throttled'
  /** 401/403: the access token was refused. */
  | 'unauthorized'
  /** Any other answer we cannot use. */
  | 'unexpected'

export class AmazonApiError extends Error {
  override readonly name = 'AmazonApiError'
  readonly kind: AmazonApiErrorKind
  readonly status: number | undefined
  constructor(service: string, kind: AmazonApiErrorKind, status?: number) {
    super(`${service} call failed: ${kind}${status ? ` (HTTP ${status})` : ''}`)
    this.kind = kind
    this.status = status
  }
}

export function apiErrorKind(status: number): AmazonApiErrorKind {
  if (status >= 500) return 'unavailable'
  if (status === 429) return 'throttled'
  if (status === 401 || status === 403) return 'unauthorized'
  return 'unexpected'
}
