// What a failed call through the Amazon proxy means, and what fixes it. Two kinds of answer arrive:
// sellersync's own errors in the app's shape (`{ error: { code, message, details? } }`, messages written for
// sellers), and Amazon's, passed through with Amazon's status and body (SP-API: `{ errors: [{ code, message,
// details }] }`; Ads: `{ code, details }`, `{ code, message }` or an `errors` list). Both end up as one line to
// show and at most one fix.
import { retryAfterSeconds } from './proxy-headers.ts'

/** One of Amazon's errors: SP-API's `message` is generic ("Invalid Input"), its `details` says what (may be empty). */
export type AmazonErrorItem = { code: string; message: string; details: string }

/** The one thing that helps, which the page turns into a link, a countdown or a list. */
export type FailureFix =
  /** Amazon no longer honours the authorization: reconnect on the Accounts page. */
  | { kind: 'reconnect' }
  /** The account is not (or no longer) the seller's: pick another on the Accounts page. */
  | { kind: 'accounts' }
  /** Rate limited: try again after `seconds` (null when nobody said how long). */
  | { kind: 'wait'; seconds: number | null }
  /** The path matches no operation sellersync knows; these come closest. */
  | { kind: 'closest'; operations: Array<{ method: string; path: string; operationId: string }> }
  /** Amazon did not answer, or failed on its side: later. */
  | { kind: 'later' }
  /** Held up on sellersync's side: nothing for the seller to do. */
  | { kind: 'ours' }
  /** The request itself needs changing (a header, the body, the parameters). */
  | { kind: 'request' }
  | { kind: 'none' }

export type ProxyFailure = {
  source: 'sellersync' | 'amazon'
  status: number
  /** sellersync's error code, or Amazon's first error code (`InvalidInput`), or `http_<status>`. */
  code: string
  /** One line for the seller. */
  message: string
  /** Amazon's errors, each as it wrote them (empty for sellersync's). */
  amazonErrors: AmazonErrorItem[]
  /** sellersync's `details` (empty for Amazon's). */
  details: Readonly<Record<string, unknown>>
  fix: FailureFix
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null)

/** The failure a non-2xx proxy answer stands for. `retryAfter`: the response's Retry-After header. */
export function proxyFailure(status: number, body: unknown, retryAfter: string | null, now = Date.now()): ProxyFailure {
  const own = isRecord(body) && isRecord(body.error) ? body.error : null
  const ownCode = own && text(own.code)
  const ownMessage = own && text(own.message)
  if (ownCode && ownMessage) {
    const details = isRecord(own!.details) ? own!.details : {}
    return { source: 'sellersync', status, code: ownCode, message: ownMessage, amazonErrors: [], details, fix: sellersyncFix(ownCode, status, details, retryAfter, now) }
  }
  const amazonErrors = amazonErrorItems(body)
  const first = amazonErrors[0]
  const said = amazonErrors.map((error) => [error.code, error.message, error.details].filter(Boolean).join(': ')).join('; ')
  return {
    source: 'amazon',
    status,
    code: first?.code ?? `http_${status}`,
    message: said ? `Amazon answered ${status}: ${said}` : `Amazon answered ${status}.`,
    amazonErrors,
    details: {},
    fix: amazonFix(status, retryAfter, now),
  }
}

function amazonErrorItems(body: unknown): AmazonErrorItem[] {
  if (!isRecord(body)) return []
  const list = Array.isArray(body.errors) ? body.errors : [body]
  return list.flatMap((item) => {
    if (!isRecord(item)) return []
    const code = text(item.code) ?? text(item.errorType) ?? text(item.errorCode)
    const message = text(item.message) ?? text(item.description)
    const details = text(item.details)
    // Ads writes its one explanation in `details` alone.
    if (!message && details) return [{ code: code ?? 'Error', message: details, details: '' }]
    return code || message ? [{ code: code ?? 'Error', message: message ?? '', details: details ?? '' }] : []
  })
}

function sellersyncFix(code: string, status: number, details: Record<string, unknown>, retryAfter: string | null, now: number): FailureFix {
  switch (code) {
    case 'account_reauth_required':
    case 'reauth_required':
      return { kind: 'reconnect' }
    case 'account_not_found':
      return { kind: 'accounts' }
    case 'amazon_rate_limited': {
      const seconds = typeof details.retryAfterSeconds === 'number' ? Math.max(0, Math.ceil(details.retryAfterSeconds)) : retryAfterSeconds(retryAfter, now)
      return { kind: 'wait', seconds }
    }
    case 'unknown_operation':
      return { kind: 'closest', operations: closestOperations(details.closest) }
    case 'invalid_header':
    case 'invalid_request':
    case 'payload_too_large':
    case 'unsupported_media_type':
      return { kind: 'request' }
    case 'amazon_unavailable':
      return { kind: 'later' }
    case 'amazon_credentials_rejected':
    case 'amazon_request_rejected':
    case 'token_key_missing':
    case 'refresh_in_progress':
      return { kind: 'ours' }
  }
  if (status === 429) return { kind: 'wait', seconds: retryAfterSeconds(retryAfter, now) }
  return status >= 500 ? { kind: 'later' } : { kind: 'none' }
}

function amazonFix(status: number, retryAfter: string | null, now: number): FailureFix {
  if (status === 429) return { kind: 'wait', seconds: retryAfterSeconds(retryAfter, now) }
  if (status >= 500) return { kind: 'later' }
  if (status === 400 || status === 404 || status === 413 || status === 415 || status === 422) return { kind: 'request' }
  return { kind: 'none' }
}

function closestOperations(value: unknown): Array<{ method: string; path: string; operationId: string }> {
  if (!Array.isArray(value)) return []
  return value.flatMap((item) => {
    if (!isRecord(item)) return []
    const method = text(item.method)
    const path = text(item.path)
    const operationId = text(item.operationId)
    return method && path && operationId ? [{ method, path, operationId }] : []
  })
}
