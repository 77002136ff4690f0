// An account's one status, wherever the dashboard shows it (card, top-bar selector, needs-action banner,
// Overview): derived here from the account's status, its token's health, the last sync's error and Amazon's
// yearly SP-API re-authorization, so no two places can disagree, and a card never shows a green word next
// to a red line. The single most urgent message comes first, with the one action that fixes it.
import { relativeTime } from './relative-time.ts'
import { type TokenHealth, type TokenHealthInput, tokenHealth } from './token-health.ts'

export type AccountStatusInput = TokenHealthInput & {
  last_error: string | null
  reauthorize_by: string | null
}

export type AccountStatus = {
  /** The status word (the card's badge): one meaning each, never "Active" (that is the dashboard's choice). */
  word: 'Connected' | 'Renewing' | 'Retrying' | 'Sync failed' | 'Renew soon' | 'Reconnect needed' | 'Failing'
  /** ok: nothing to do; waiting: it sorts itself out; warn: the seller must act before a date; action: now. */
  tone: 'ok' | 'waiting' | 'warn' | 'action'
  /** The most urgent message. */
  message: string
  /** A second, less urgent message that must not be hidden by the first (at most one). */
  also: string | null
  /** The one action that fixes it; null when there is nothing for the seller to do. */
  action: 'reconnect' | 'sync' | null
  /** Whether only the seller can fix it (the needs-action banner lists these). */
  needsSeller: boolean
  /** Amazon's yearly re-authorization date (SP-API), always shown as a fact; `due` within the warning period. */
  renewal: { date: string; due: boolean } | null
  health: TokenHealth
}

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

/** "December 6, 2026": dates a seller acts by, in full (no relative time can be misread). */
export const longDate = (iso: string) => new Date(Date.parse(iso)).toLocaleDateString('en', { year: 'numeric', month: 'long', day: 'numeric' })

/**
 * What to tell the seller about Amazon's yearly re-authorization of an SP-API grant: nothing until
 * RENEWAL_WARNING_DAYS before `reauthorize_by` (null for Ads, which has no such term), then when it ends.
 */
export function renewalNotice(reauthorizeBy: string | null, now = Date.now()): string | null {
  if (reauthorizeBy === null) return null
  const due = Date.parse(reauthorizeBy)
  if (due - now > RENEWAL_WARNING_DAYS * DAY_MS) return null
  const date = longDate(reauthorizeBy)
  if (due <= now) return `Amazon’s yearly authorization ended on ${date}. Reconnect to restore access.`
  return `Amazon’s yearly authorization ends ${relativeTime(reauthorizeBy, now)} (${date}). Reconnect to renew it for another year.`
}

/**
 * Most urgent first: a refused or missing authorization (or the yearly one ended), then a failing renewal of
 * unknown cause, then the yearly authorization ending soon, then a failed sync, then Amazon or sellersync
 * retrying by themselves, then a renewal in progress, then all is well.
 */
export function accountStatus(account: AccountStatusInput, now = Date.now()): AccountStatus {
  const health = tokenHealth(account, now)
  const renewalText = renewalNotice(account.reauthorize_by, now)
  const renewal = account.reauthorize_by === null ? null : { date: account.reauthorize_by, due: renewalText !== null }
  const ended = renewal !== null && Date.parse(renewal.date) <= now
  const tokenFine = health.state === 'connected' || health.state === 'renewing'
  const syncError = account.last_error && tokenFine ? lastErrorMessage(account.last_error) : null
  const base = { renewal, health }

  if (health.state === 'refused' || health.state === 'no_token') {
    return { ...base, word: 'Reconnect needed', tone: 'action', message: health.message, also: null, action: 'reconnect', needsSeller: true }
  }
  if (ended) {
    return { ...base, word: 'Reconnect needed', tone: 'action', message: renewalText!, also: null, action: 'reconnect', needsSeller: true }
  }
  if (health.state === 'failing') {
    return { ...base, word: 'Failing', tone: 'action', message: health.message, also: renewalText, action: 'reconnect', needsSeller: true }
  }
  if (renewalText) {
    // A temporary trouble is said too, but the date the seller must act by comes first.
    const also = syncError ?? (tokenFine ? null : health.message)
    return { ...base, word: 'Renew soon', tone: 'warn', message: renewalText, also, action: 'reconnect', needsSeller: true }
  }
  if (syncError) {
    return { ...base, word: 'Sync failed', tone: 'waiting', message: syncError, also: null, action: 'sync', needsSeller: false }
  }
  if (health.state === 'amazon_retrying' || health.state === 'our_side') {
    return { ...base, word: 'Retrying', tone: 'waiting', message: health.message, also: null, action: null, needsSeller: false }
  }
  if (health.state === 'renewing') {
    return { ...base, word: 'Renewing', tone: 'waiting', message: health.message, also: null, action: null, needsSeller: false }
  }
  return { ...base, word: 'Connected', tone: 'ok', message: health.message, also: null, action: null, needsSeller: false }
}
