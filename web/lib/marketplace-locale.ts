// Each marketplace's time zone and currency, for the Overview: orders are counted per day in the marketplace's
// zone (as Seller Central reports them), Ads budgets are in the marketplace's currency. A copy of those two
// columns of worker/src/amazon/regions.ts (which imports zod); dev/test/web/marketplace-locale.test.ts keeps
// them equal.

type Locale = { timeZone: string; currency: string }

const locales: Readonly<Record<string, Locale>> = {
  A2EUQ1WTGCTBG2: { timeZone: 'America/Los_Angeles', currency: 'CAD' },
  ATVPDKIKX0DER: { timeZone: 'America/Los_Angeles', currency: 'USD' },
  A1AM78C64UM0Y8: { timeZone: 'America/Los_Angeles', currency: 'MXN' },
  A2Q3Y263D00KWC: { timeZone: 'America/Sao_Paulo', currency: 'BRL' },
  A28R8C7NBKEWEA: { timeZone: 'Europe/Dublin', currency: 'EUR' },
  A1RKKUPIHCS9HS: { timeZone: 'Europe/Paris', currency: 'EUR' },
  A1F83G8C2ARO7P: { timeZone: 'Europe/London', currency: 'GBP' },
  A13V1IB3VIYZZH: { timeZone: 'Europe/Paris', currency: 'EUR' },
  AMEN7PMS3EDWL: { timeZone: 'Europe/Brussels', currency: 'EUR' },
  A1805IZSGTT6HS: { timeZone: 'Europe/Amsterdam', currency: 'EUR' },
  A1PA6795UKMFR9: { timeZone: 'Europe/Paris', currency: 'EUR' },
  APJ6JRA9NG5V4: { timeZone: 'Europe/Paris', currency: 'EUR' },
  A2NODRKZP88ZB9: { timeZone: 'Europe/Stockholm', currency: 'SEK' },
  AE08WJ6YKNBMC: { timeZone: 'Africa/Johannesburg', currency: 'ZAR' },
  A1C3SOZRARQ6R3: { timeZone: 'Europe/Warsaw', currency: 'PLN' },
  ARBP9OOSHTCHU: { timeZone: 'Africa/Cairo', currency: 'EGP' },
  A33AVAJ2PDY3EV: { timeZone: 'Europe/Istanbul', currency: 'TRY' },
  A17E79C6D8DWNP: { timeZone: 'Asia/Riyadh', currency: 'SAR' },
  A2VIGQ35RCS4UG: { timeZone: 'Asia/Dubai', currency: 'AED' },
  A21TJRUUN4KGV: { timeZone: 'Asia/Kolkata', currency: 'INR' },
  A19VAU5U5O7RUS: { timeZone: 'Asia/Singapore', currency: 'SGD' },
  A39IBJ37TRP1C6: { timeZone: 'Australia/Sydney', currency: 'AUD' },
  A1VC38T7YXB528: { timeZone: 'Asia/Tokyo', currency: 'JPY' },
}

export function marketplaceLocale(id: string): Locale | undefined {
  return locales[id]
}

/**
 * The one time zone all these marketplaces share, else UTC: a day means the same hours for every bar of a
 * chart, so an account selling in London and Berlin is counted in UTC rather than in either.
 */
export function sharedTimeZone(marketplaceIds: readonly string[]): string {
  const zones = new Set(marketplaceIds.map((id) => marketplaceLocale(id)?.timeZone ?? 'UTC'))
  return zones.size === 1 ? [...zones][0]! : 'UTC'
}

/** The currency all these marketplaces share, else undefined (amounts are then shown as plain numbers). */
export function sharedCurrency(marketplaceIds: readonly string[]): string | undefined {
  const currencies = new Set(marketplaceIds.map((id) => marketplaceLocale(id)?.currency))
  return currencies.size === 1 ? [...currencies][0] : undefined
}
