// What the account cards say about Amazon's yearly SP-API re-authorization and about a failed sync.
import { describe, expect, it } from 'vitest'
import { lastErrorMessage, RENEWAL_WARNING_DAYS, renewalNotice } from '../../../web/components/accounts/notices.ts'

const now = Date.parse('2026-11-26T12:00:00Z')
const inDays = (days: number) => new Date(now + days * 24 * 60 * 60 * 1000).toISOString()

describe('renewalNotice', () => {
  it('says nothing for Ads (no yearly term) or while the end is more than the warning period away', () => {
    expect(renewalNotice(null, now)).toBeNull()
    expect(renewalNotice(inDays(RENEWAL_WARNING_DAYS + 1), now)).toBeNull()
    expect(renewalNotice(inDays(300), now)).toBeNull()
  })

  it('warns within the warning period, with the date, and asks for a reconnect', () => {
    expect(renewalNotice(inDays(10), now)).toBe('Amazon’s yearly authorization ends in 10 days (December 6, 2026). Reconnect to renew it for another year.')
    expect(renewalNotice(inDays(RENEWAL_WARNING_DAYS), now)).toBe('Amazon’s yearly authorization ends next month (December 26, 2026). Reconnect to renew it for another year.')
  })

  it('says it ended once the date has passed', () => {
    expect(renewalNotice(inDays(-2), now)).toBe('Amazon’s yearly authorization ended on November 24, 2026. Reconnect to restore access.')
  })
})

describe('lastErrorMessage', () => {
  it('explains the codes sync writes, and names an unknown one', () => {
    expect(lastErrorMessage('amazon_unavailable')).toBe('The last sync failed: Amazon did not answer. Try again in a few minutes.')
    expect(lastErrorMessage('reauth_required')).toMatch(/^Amazon no longer accepts this authorization/)
    expect(lastErrorMessage('something_new')).toBe('The last sync failed (something_new).')
  })
})
