// What the dashboard says about an account's state (one status wherever it is shown), Amazon's yearly SP-API
// re-authorization and a failed sync; how the accounts page groups and orders the accounts, and its texts.
import { describe, expect, it } from 'vitest'
import { type AccountStatusInput, accountStatus, lastErrorMessage, RENEWAL_WARNING_DAYS, renewalNotice } from '../../../web/lib/account-status.ts'
import { type GroupableAccount, groupAccounts, matchesFilter } from '../../../web/lib/account-groups.ts'
import type { TokenFields } from '../../../web/lib/token-health.ts'
import { accountContext, amazonAppSettings, connectedMessage, groupTitle, needsYouLine } from '../../../web/components/accounts/labels.ts'

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

const healthy: TokenFields = { status: 'active', renewed_at: inDays(-0.01), next_refresh_at: inDays(0.03), failed_attempts: 0, last_error: null }
const account = (fields: Partial<AccountStatusInput> = {}, token: Partial<TokenFields> | null = {}): AccountStatusInput => ({
  status: 'active',
  last_error: null,
  reauthorize_by: inDays(200),
  ...fields,
  token: token && { ...healthy, ...token },
})

describe('accountStatus', () => {
  it('is Connected, with nothing to do, while all is well; the renewal date is a fact', () => {
    const status = accountStatus(account(), now)
    expect(status).toMatchObject({ word: 'Connected', tone: 'ok', action: null, needsSeller: false, also: null })
    expect(status.message).toMatch(/^Connected · token renewed /)
    expect(status.renewal).toEqual({ date: inDays(200), due: false })
    expect(accountStatus(account({ reauthorize_by: null }), now).renewal).toBeNull() // Ads
  })

  it('never pairs a good word with a failed sync: "Sync failed", and Sync is the fix', () => {
    expect(accountStatus(account({ last_error: 'amazon_unavailable' }), now)).toMatchObject({
      word: 'Sync failed',
      tone: 'waiting',
      message: 'The last sync failed: Amazon did not answer. Try again in a few minutes.',
      action: 'sync',
      needsSeller: false,
    })
  })

  it('warns (not an error) that the yearly authorization ends soon, first, and keeps a temporary error visible under it', () => {
    const status = accountStatus(account({ reauthorize_by: inDays(10), last_error: 'amazon_unavailable' }), now)
    expect(status).toMatchObject({ word: 'Renew soon', tone: 'warn', action: 'reconnect', needsSeller: true, renewal: { date: inDays(10), due: true } })
    expect(status.message).toMatch(/^Amazon’s yearly authorization ends in 10 days \(December 6, 2026\)/)
    expect(status.also).toBe('The last sync failed: Amazon did not answer. Try again in a few minutes.')
    // Amazon retrying a renewal by itself is said too, never hidden by the date.
    expect(accountStatus(account({ reauthorize_by: inDays(10) }, { last_error: 'unavailable', next_refresh_at: inDays(0.01) }), now).also).toMatch(/^Amazon did not answer/)
  })

  it('asks for a reconnect, as an action, when Amazon refused, nothing is stored, or the yearly authorization ended', () => {
    for (const input of [account({ status: 'reauth_required', last_error: 'reauth_required' }), account({}, null), account({ reauthorize_by: inDays(-1) })]) {
      expect(accountStatus(input, now)).toMatchObject({ word: 'Reconnect needed', tone: 'action', action: 'reconnect', needsSeller: true })
    }
  })

  it('waits, asking nothing, while Amazon or sellersync retry a renewal by themselves, or one runs', () => {
    expect(accountStatus(account({}, { last_error: 'unavailable' }), now)).toMatchObject({ word: 'Retrying', tone: 'waiting', action: null, needsSeller: false })
    expect(accountStatus(account({}, { last_error: 'invalid_client' }), now)).toMatchObject({ word: 'Retrying', action: null, needsSeller: false })
    expect(accountStatus(account({ status: 'refreshing' }), now)).toMatchObject({ word: 'Renewing', tone: 'waiting', action: null })
  })
})

type Row = GroupableAccount & { needs?: boolean }
const row = (id: string, provider: Row['provider'], login_id: string | null, needs = false, region: Row['region'] = 'na'): Row => ({ id, provider, login_id, region, needs })
const ids = (groups: Array<{ accounts: Row[] }>) => groups.map((group) => group.accounts.map((a) => a.id))

describe('groupAccounts', () => {
  it('puts Seller Central accounts together and each Ads login’s profiles together, in the API’s order', () => {
    const groups = groupAccounts([row('us', 'sp_api', 'g1'), row('ads1', 'ads', 'g2'), row('eu', 'sp_api', 'g3'), row('ads2', 'ads', 'g2')], () => ({ needsSeller: false }))
    expect(ids(groups)).toEqual([['us', 'eu'], ['ads1', 'ads2']])
    expect(groups.map((group) => groupTitle(group))).toEqual(['Seller Central (Selling Partner API)', 'Amazon Ads login, North America · 2 profiles'])
  })

  it('sorts what needs the seller first: the group, and the account within it', () => {
    const accounts = [row('us', 'sp_api', 'g1'), row('eu', 'sp_api', 'g3'), row('ads1', 'ads', 'g2'), row('ads2', 'ads', 'g2', true)]
    expect(ids(groupAccounts(accounts, (a) => ({ needsSeller: a.needs! })))).toEqual([['ads2', 'ads1'], ['us', 'eu']])
  })

  it('numbers two Ads logins of one region', () => {
    const groups = groupAccounts([row('a', 'ads', 'g1'), row('b', 'ads', 'g2'), row('c', 'ads', 'g3', false, 'eu')], () => ({ needsSeller: false }))
    expect(groups.map((group) => groupTitle(group))).toEqual([
      'Amazon Ads login 1, North America · 1 profile',
      'Amazon Ads login 2, North America · 1 profile',
      'Amazon Ads login, Europe, Middle East, India, Africa · 1 profile',
    ])
  })

  it('filters by every word, in any case', () => {
    expect(matchesFilter(['EU store', 'AEUSTORE00002', 'DE', 'UK'], 'store de')).toBe(true)
    expect(matchesFilter(['EU store', 'AEUSTORE00002', 'DE'], 'store fr')).toBe(false)
  })
})

describe('account texts', () => {
  it('tells similar names apart by provider, marketplaces and Amazon id', () => {
    expect(accountContext({ provider: 'sp_api', marketplaces: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'], external_id: 'A1B2C3' })).toBe('SP-API · US, CA · A1B2C3')
    expect(accountContext({ provider: 'ads', marketplaces: ['A1F83G8C2ARO7P'], external_id: '1234567890' })).toBe('Ads · UK · 1234567890')
  })

  it('names who needs the seller and what to do', () => {
    expect(needsYouLine([])).toBeNull()
    expect(needsYouLine([{ name: 'EU store', word: 'Reconnect needed', renewBy: 'December 6, 2026' }])).toBe('1 account needs you: reconnect EU store.')
    expect(
      needsYouLine([
        { name: 'EU store', word: 'Reconnect needed', renewBy: null },
        { name: 'US store', word: 'Renew soon', renewBy: 'December 6, 2026' },
      ]),
    ).toBe('2 accounts need you: reconnect EU store, renew US store by December 6, 2026.')
  })

  it('names what was connected, and how many Ads profiles', () => {
    expect(connectedMessage('EU store', 'sp_api', 1)).toBe('Connected EU store.')
    expect(connectedMessage('Stand-in Seller EU', 'ads', 3)).toBe('Connected Stand-in Seller EU (3 Ads profiles).')
  })

  it('links where the app is removed on Amazon: the region’s Seller Central, or Login with Amazon for Ads', () => {
    expect(amazonAppSettings({ provider: 'sp_api', region: 'eu' }).href).toBe('https://sellercentral-europe.amazon.com/apps/manage')
    expect(amazonAppSettings({ provider: 'ads', region: 'eu' }).href).toBe('https://www.amazon.com/ap/adam')
  })
})
