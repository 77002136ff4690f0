// The dashboard's copy of each marketplace's time zone and currency (web/lib/marketplace-locale.ts) must say what
// the Worker's table says; and which zone and currency an account's marketplaces share.
import { describe, expect, it } from 'vitest'
import { marketplaces } from '../../../worker/src/amazon/regions.ts'
import { marketplaceLocale, sharedCurrency, sharedTimeZone } from '../../../web/lib/marketplace-locale.ts'

describe("the dashboard's marketplace locales", () => {
  it('has the Worker’s time zone and currency for every marketplace', () => {
    for (const marketplace of marketplaces) {
      expect(marketplaceLocale(marketplace.id), marketplace.countryName).toEqual({ timeZone: marketplace.timezone, currency: marketplace.defaultCurrencyCode })
    }
  })

  it('counts days in the zone the marketplaces share, else in UTC', () => {
    expect(sharedTimeZone(['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8'])).toBe('America/Los_Angeles') // US, CA, MX
    expect(sharedTimeZone(['A1PA6795UKMFR9', 'A13V1IB3VIYZZH'])).toBe('Europe/Paris') // DE, FR
    expect(sharedTimeZone(['A1F83G8C2ARO7P', 'A1PA6795UKMFR9'])).toBe('UTC') // UK and DE differ
    expect(sharedTimeZone(['unknown'])).toBe('UTC')
    expect(sharedTimeZone([])).toBe('UTC')
  })

  it('names a currency only when the marketplaces share one', () => {
    expect(sharedCurrency(['A1PA6795UKMFR9', 'A13V1IB3VIYZZH'])).toBe('EUR')
    expect(sharedCurrency(['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'])).toBeUndefined()
    expect(sharedCurrency([])).toBeUndefined()
  })
})
