// What a card says about an account's health: a failed sync, and Amazon's yearly SP-API re-authorization.
import { relativeTime } from '../../lib/relative-time.ts'
import { type TokenHealth, type TokenHealthInput, tokenHealth } from '../../lib/token-health.ts'

/** What an account's last_error (written by a failed sync or token refresh) means for the seller. */
const lastErrorMessages: Record<string, string> = {
  reauth_required: 'Amazon no longer accepts this authorization. Connect the account again to restore access.',
  amazon_unavailable: 'The last sync failed: Amazon did not answer. Try again in a few minutes.',
  amazon_rejected: 'The last sync failed: Amazon refused the request. Try again; if it keeps failing, reconnect the account.',
}

export const lastErrorMessage = (code: string) => lastErrorMessages[code] ?? `The last sync failed (${code}).`

/** Amazon emails sellers about the yearly SP-API re-authorization; we start saying so a month ahead. */
export const RENEWAL_WARNING_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * What to tell the seller about Amazon's yearly re-authorization of an SP-API grant: nothing until
 * RENEWAL_WARNING_DAYS before `reauthorize_by` (null for Ads, which has no such term), then when it ends.
 */
export function renewalNotice(reauthorizeBy: string | null, now = Date.now()): string | null {
  if (reauthorizeBy === null) return null
  const due = Date.parse(reauthorizeBy)
  if (due - now > RENEWAL_WARNING_DAYS * DAY_MS) return null
  const date = new Date(due).toLocaleDateString('en', { year: 'numeric', month: 'long', day: 'numeric' })
  if (due <= now) return `Amazon’s yearly authorization ended on ${date}. Reconnect to restore access.`
  return `Amazon’s yearly authorization ends ${relativeTime(reauthorizeBy, now)} (${date}). Reconnect to renew it for another year.`
}

export type AccountNotices = {
  health: TokenHealth
  /** A failed sync, only while the token is fine (a token failure is the health line itself). */
  syncError: string | null
  /** The yearly re-authorization, only while no reconnect is asked already. */
  renewal: string | null
  /** Whether Reconnect is what helps: the token's health asks for it, or the yearly authorization is ending. */
  needsReconnect: boolean
}

/** The health line and at most one more notice under it: one problem at a time, wherever an account is shown. */
export function accountNotices(account: TokenHealthInput & { last_error: string | null; reauthorize_by: string | null }, now = Date.now()): AccountNotices {
  const health = tokenHealth(account, now)
  const syncError = account.last_error && (health.state === 'connected' || health.state === 'renewing') ? lastErrorMessage(account.last_error) : null
  const yearly = renewalNotice(account.reauthorize_by, now)
  return { health, syncError, renewal: health.reconnect || syncError ? null : yearly, needsReconnect: health.reconnect || yearly !== null }
}
