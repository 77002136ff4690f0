// What an account card says about its Amazon access token, in a seller's words. The one place that reads
// the account's status and its token together, so a card never shows two contradicting states, and never
// asks the seller to reconnect for a failure on sellersync's side.
import { relativeTime, timeAgo } from './relative-time.ts'

/** The API's `token` (GET /api/accounts). Spelled out, not imported: node tests load this file without the client. */
export type TokenFields = {
  status: 'active' | 'refreshing' | 'reauth_required' | 'error'
  renewed_at: string | null
  next_refresh_at: string | null
  failed_attempts: number
  last_error: null | 'invalid_grant' | 'invalid_client' | 'unavailable' | 'throttled' | 'invalid_request' | 'key_missing'
}

export type TokenHealthInput = {
  status: 'active' | 'refreshing' | 'reauth_required' | 'error' | 'disconnected'
  token: TokenFields | null
}

export type TokenHealth = {
  state: 'connected' | 'renewing' | 'amazon_retrying' | 'our_side' | 'failing' | 'refused' | 'no_token'
  /** ok: nothing to do; waiting: it sorts itself out; action: only the seller can fix it (Reconnect). */
  tone: 'ok' | 'waiting' | 'action'
  message: string
  /** Whether reconnecting is what fixes it: the card offers Reconnect. */
  reconnect: boolean
}

/** Whose move a failed renewal is, by the API's error class (worker/src/tokens/refresh-errors.ts). */
const OUR_SIDE = new Set<TokenFields['last_error']>(['invalid_client', 'invalid_request', 'key_missing'])
const AMAZON_SIDE = new Set<TokenFields['last_error']>(['unavailable', 'throttled'])

export function tokenHealth({ status, token }: TokenHealthInput, now = Date.now()): TokenHealth {
  if (token === null || status === 'disconnected') {
    return { state: 'no_token', tone: 'action', reconnect: true, message: 'No authorization from Amazon is stored for this account — reconnect' }
  }
  if (status === 'reauth_required' || token.status === 'reauth_required' || token.last_error === 'invalid_grant') {
    return { state: 'refused', tone: 'action', reconnect: true, message: 'Amazon refused the authorization — reconnect' }
  }
  if (status === 'refreshing' || token.status === 'refreshing') {
    return { state: 'renewing', tone: 'waiting', reconnect: false, message: 'Renewing the token…' }
  }
  const retry = retryingIn(token.next_refresh_at, now)
  if (OUR_SIDE.has(token.last_error)) {
    return {
      state: 'our_side',
      tone: 'waiting',
      reconnect: false,
      message: `Token renewal held up on sellersync’s side — nothing for you to do; ${retry}`,
    }
  }
  if (AMAZON_SIDE.has(token.last_error)) {
    const times = token.failed_attempts > 1 ? ` ${token.failed_attempts} times in a row` : ''
    return { state: 'amazon_retrying', tone: 'waiting', reconnect: false, message: `Amazon did not answer${times}; ${retry}` }
  }
  // `error` without a known cause (an account from before error classes were recorded): we keep retrying, but
  // cannot say it is not the authorization, so a reconnect is offered.
  if (status === 'error' || token.status === 'error') {
    return { state: 'failing', tone: 'action', reconnect: true, message: `The token could not be renewed; ${retry} — if it keeps failing, reconnect` }
  }
  const renewed = token.renewed_at ? ` · token renewed ${timeAgo(token.renewed_at, now)}` : ''
  return { state: 'connected', tone: 'ok', reconnect: false, message: `Connected${renewed}` }
}

/** The cron looks for due renewals once a minute, so a retry less than a minute away is "shortly". */
function retryingIn(nextRefreshAt: string | null, now: number): string {
  if (nextRefreshAt === null) return 'retrying automatically'
  if (Date.parse(nextRefreshAt) - now < 60_000) return 'retrying shortly'
  return `retrying ${relativeTime(nextRefreshAt, now)}`
}

/** How often to look again while a renewal runs; and when a due renewal is overdue (cron tick, queue). */
const RENEWING_RECHECK_MS = 5_000
const OVERDUE_RECHECK_MS = 30_000
/** The cron's tick plus the renewal itself: when the new state is likely stored. */
const AFTER_DUE_MS = 70_000

/**
 * When the accounts list is worth reading again, so a card's health follows the background renewals: soon
 * while a token is being renewed, else shortly after the earliest renewal or retry is due. False when
 * nothing is scheduled (only a reconnect changes those accounts).
 */
export function healthRecheckMs(accounts: readonly TokenHealthInput[], now = Date.now()): number | false {
  let soonest: number | false = false
  for (const account of accounts) {
    const { state } = tokenHealth(account, now)
    if (state === 'refused' || state === 'no_token') continue
    let wait: number
    if (state === 'renewing') wait = RENEWING_RECHECK_MS
    else if (!account.token?.next_refresh_at) continue
    else wait = Math.max(Date.parse(account.token.next_refresh_at) + AFTER_DUE_MS - now, OVERDUE_RECHECK_MS)
    soonest = soonest === false ? wait : Math.min(soonest, wait)
  }
  return soonest
}
