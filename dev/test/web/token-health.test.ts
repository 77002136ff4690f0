// What the account cards say about an account's access token, what its Activity list says for each event,
// and when the dashboard reads the accounts again to follow the background renewals.
import { describe, expect, it } from 'vitest'
import { activityLine } from '../../../web/lib/account-activity.ts'
import { relativeTime, timeAgo } from '../../../web/lib/relative-time.ts'
import { healthRecheckMs, type TokenFields, type TokenHealthInput, tokenHealth } from '../../../web/lib/token-health.ts'

const now = Date.parse('2026-12-01T12:00:00Z')
const at = (seconds: number) => new Date(now + seconds * 1000).toISOString()

const healthyToken: TokenFields = { status: 'active', renewed_at: at(-12 * 60), next_refresh_at: at(43 * 60), failed_attempts: 0, last_error: null }
const account = (token: Partial<TokenFields> | null, status: TokenHealthInput['status'] = 'active'): TokenHealthInput => ({
  status,
  token: token && { ...healthyToken, ...token },
})

describe('tokenHealth', () => {
  it('says when a healthy token was renewed, in minutes once it is a minute', () => {
    expect(tokenHealth(account({}), now)).toEqual({ state: 'connected', tone: 'ok', reconnect: false, message: 'Connected · token renewed 12 minutes ago' })
    expect(tokenHealth(account({ renewed_at: at(-59.6) }), now).message).toBe('Connected · token renewed 1 minute ago')
    expect(tokenHealth(account({ renewed_at: at(-60) }), now).message).toBe('Connected · token renewed 1 minute ago')
    expect(tokenHealth(account({ renewed_at: at(-20) }), now).message).toBe('Connected · token renewed 20 seconds ago')
    expect(tokenHealth(account({ renewed_at: at(-3 * 3600) }), now).message).toBe('Connected · token renewed 3 hours ago')
  })

  it('never says a renewal happened in the future (the browser clock behind the server’s)', () => {
    expect(tokenHealth(account({ renewed_at: at(5) }), now).message).toBe('Connected · token renewed just now')
    expect(tokenHealth(account({ renewed_at: null }), now).message).toBe('Connected')
  })

  it('says a renewal is running, whether the account or the token says so', () => {
    const renewing = { state: 'renewing', tone: 'waiting', reconnect: false, message: 'Renewing the token…' }
    expect(tokenHealth(account({ status: 'refreshing' }), now)).toEqual(renewing)
    expect(tokenHealth(account({}, 'refreshing'), now)).toEqual(renewing)
    expect(tokenHealth(account({ status: 'refreshing', last_error: 'unavailable', failed_attempts: 2 }), now)).toEqual(renewing) // a retry under way
  })

  it('blames Amazon when it did not answer or throttled, with the retry time, and asks nothing of the seller', () => {
    const unavailable = tokenHealth(account({ last_error: 'unavailable', failed_attempts: 1, next_refresh_at: at(4 * 60) }), now)
    expect(unavailable).toEqual({ state: 'amazon_retrying', tone: 'waiting', reconnect: false, message: 'Amazon did not answer; retrying in 4 minutes' })
    expect(tokenHealth(account({ last_error: 'throttled', failed_attempts: 3, next_refresh_at: at(90) }), now).message).toBe(
      'Amazon did not answer 3 times in a row; retrying in 2 minutes',
    )
    expect(tokenHealth(account({ last_error: 'unavailable', failed_attempts: 1, next_refresh_at: at(30) }), now).message).toBe('Amazon did not answer; retrying shortly')
    expect(tokenHealth(account({ last_error: 'unavailable', failed_attempts: 1, next_refresh_at: at(-30) }), now).message).toBe('Amazon did not answer; retrying shortly')
    // After 8 failures in a row the account is in `error`: still Amazon's doing, still retried, still no reconnect.
    const failing = tokenHealth(account({ status: 'error', last_error: 'unavailable', failed_attempts: 9, next_refresh_at: at(3600) }, 'error'), now)
    expect(failing).toMatchObject({ state: 'amazon_retrying', reconnect: false, message: 'Amazon did not answer 9 times in a row; retrying in 1 hour' })
  })

  it('asks for a reconnect when Amazon refused the authorization', () => {
    const refused = { state: 'refused', tone: 'action', reconnect: true, message: 'Amazon refused the authorization — reconnect' }
    expect(tokenHealth(account({ status: 'reauth_required', last_error: 'invalid_grant', failed_attempts: 1 }, 'reauth_required'), now)).toEqual(refused)
    expect(tokenHealth(account({ last_error: 'invalid_grant' }), now)).toEqual(refused)
    expect(tokenHealth(account({}, 'reauth_required'), now)).toEqual(refused)
  })

  it('never asks the seller to reconnect for a failure on sellersync’s side', () => {
    for (const last_error of ['invalid_client', 'invalid_request', 'key_missing'] as const) {
      for (const status of ['active', 'error'] as const) {
        const health = tokenHealth(account({ status, last_error, failed_attempts: 8, next_refresh_at: at(30 * 60) }, status), now)
        expect(health).toEqual({
          state: 'our_side',
          tone: 'waiting',
          reconnect: false,
          message: 'Token renewal held up on sellersync’s side — nothing for you to do; retrying in 30 minutes',
        })
        expect(health.message).not.toMatch(/reconnect/i)
      }
    }
  })

  it('asks for a reconnect when no authorization is stored', () => {
    expect(tokenHealth(account(null, 'reauth_required'), now)).toMatchObject({ state: 'no_token', tone: 'action', reconnect: true })
    expect(tokenHealth(account(null), now).message).toBe('No authorization from Amazon is stored for this account — reconnect')
  })

  it('offers a reconnect for a failing token whose cause is unknown, while it keeps retrying', () => {
    const health = tokenHealth(account({ status: 'error', next_refresh_at: at(20 * 60) }, 'error'), now)
    expect(health).toEqual({ state: 'failing', tone: 'action', reconnect: true, message: 'The token could not be renewed; retrying in 20 minutes — if it keeps failing, reconnect' })
  })
})

describe('healthRecheckMs', () => {
  it('reads again soon while a renewal runs, else shortly after the earliest renewal or retry is due', () => {
    expect(healthRecheckMs([account({ status: 'refreshing' }), account({})], now)).toBe(5_000)
    expect(healthRecheckMs([account({ next_refresh_at: at(43 * 60) }), account({ last_error: 'unavailable', next_refresh_at: at(4 * 60) })], now)).toBe(
      (4 * 60 + 70) * 1000,
    )
    expect(healthRecheckMs([account({ next_refresh_at: at(-600) })], now)).toBe(30_000) // overdue: not in a tight loop
  })

  it('does not poll for accounts only a reconnect changes, nor without accounts', () => {
    expect(healthRecheckMs([account(null, 'reauth_required'), account({ status: 'reauth_required', last_error: 'invalid_grant' }, 'reauth_required')], now)).toBe(false)
    expect(healthRecheckMs([], now)).toBe(false)
  })
})

describe('activityLine', () => {
  it('words every kind of event', () => {
    expect(activityLine({ kind: 'connected', detail: { provider: 'sp_api', region: 'na', marketplaces: ['ATVPDKIKX0DER'] } })).toBe('Connected')
    expect(activityLine({ kind: 'reconnected', detail: {} })).toBe('Reconnected')
    expect(activityLine({ kind: 'synced', detail: { marketplaces: [] } })).toBe('Synced')
    expect(activityLine({ kind: 'renamed', detail: {} })).toBe('Renamed')
    expect(activityLine({ kind: 'default_changed', detail: {} })).toBe('Made the default account')
    expect(activityLine({ kind: 'disconnected', detail: {} })).toBe('Disconnected')
  })

  it('says whose move a failure is, from the codes in the detail', () => {
    expect(activityLine({ kind: 'reauth_required', detail: { reason: 'invalid_grant', attempts: 1 } })).toBe('Amazon refused the authorization — reconnect needed')
    expect(activityLine({ kind: 'reauth_required', detail: { reason: 'no_credentials' } })).toBe('No authorization stored — reconnect needed')
    expect(activityLine({ kind: 'reauth_required', detail: {} })).toBe('Reconnect needed')
    expect(activityLine({ kind: 'refresh_failed', detail: { reason: 'unavailable', attempts: 8 } })).toBe('Token renewal failed 8 times in a row: Amazon did not answer')
    expect(activityLine({ kind: 'refresh_failed', detail: { reason: 'throttled', attempts: 1 } })).toBe('Token renewal failed: Amazon did not answer')
    expect(activityLine({ kind: 'refresh_failed', detail: { reason: 'invalid_request', attempts: 8 } })).toBe(
      'Token renewal failed 8 times in a row on sellersync’s side — nothing for you to do',
    )
    expect(activityLine({ kind: 'refresh_failed', detail: { error: 'amazon_unavailable' } })).toBe('Sync failed: Amazon did not answer')
    expect(activityLine({ kind: 'refresh_failed', detail: { error: 'amazon_rejected' } })).toBe('Sync failed: Amazon refused the request')
    expect(activityLine({ kind: 'refresh_failed', detail: {} })).toBe('Token renewal failed')
    expect(activityLine({ kind: 'refreshed', detail: { recovered_from: 'error' } })).toBe('Token renewal works again')
    expect(activityLine({ kind: 'refreshed', detail: { rotated: false } })).toBe('Token renewed')
  })
})

describe('relative times', () => {
  it('rounds before picking the unit: never "60 seconds" or "60 minutes"', () => {
    expect(relativeTime(at(-59.6), now)).toBe('1 minute ago')
    expect(relativeTime(at(-59.6 * 60), now)).toBe('1 hour ago')
    expect(relativeTime(at(4 * 60), now)).toBe('in 4 minutes')
    // At the unit boundaries, past and future alike.
    expect(relativeTime(at(-60), now)).toBe('1 minute ago')
    expect(relativeTime(at(-59.5), now)).toBe('1 minute ago')
    expect(relativeTime(at(59.5), now)).toBe('in 1 minute')
    expect(relativeTime(at(-90), now)).toBe('2 minutes ago')
    expect(relativeTime(at(-3600), now)).toBe('1 hour ago')
    expect(relativeTime(at(-24 * 3600), now)).toBe('yesterday')
    for (let seconds = 0; seconds <= 2 * 86_400; seconds += 0.5) {
      expect(relativeTime(at(-seconds), now)).not.toMatch(/^(60 seconds|60 minutes|24 hours) ago$/)
    }
  })

  it('says "just now", never a future time, for what already happened', () => {
    expect(timeAgo(at(0), now)).toBe('just now')
    expect(timeAgo(at(3), now)).toBe('just now')
    expect(timeAgo(at(-120), now)).toBe('2 minutes ago')
  })
})
