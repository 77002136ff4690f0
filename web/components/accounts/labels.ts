import type { Account } from '../../lib/api/accounts.ts'

export const providerLabels: Record<Account['provider'], string> = {
  sp_api: 'Selling Partner API',
  ads: 'Amazon Ads',
}

export const regionLabels: Record<Account['region'], string> = {
  na: 'North America',
  eu: 'Europe, Middle East, India, Africa',
  fe: 'Far East (Japan, Australia, Singapore)',
}

export const statusLabels: Record<Account['status'], string> = {
  active: 'Active',
  refreshing: 'Refreshing',
  reauth_required: 'Reconnect needed',
  error: 'Error',
  disconnected: 'Disconnected',
}

/** Marketplace ids as sellers know them (Amazon's "Marketplace IDs" table). Unknown ids show as they are. */
const marketplaceCountries: Record<string, string> = {
  A2EUQ1WTGCTBG2: 'CA', ATVPDKIKX0DER: 'US', A1AM78C64UM0Y8: 'MX', A2Q3Y263D00KWC: 'BR',
  A28R8C7NBKEWEA: 'IE', A1RKKUPIHCS9HS: 'ES', A1F83G8C2ARO7P: 'UK', A13V1IB3VIYZZH: 'FR',
  AMEN7PMS3EDWL: 'BE', A1805IZSGTT6HS: 'NL', A1PA6795UKMFR9: 'DE', APJ6JRA9NG5V4: 'IT',
  A2NODRKZP88ZB9: 'SE', AE08WJ6YKNBMC: 'ZA', A1C3SOZRARQ6R3: 'PL', ARBP9OOSHTCHU: 'EG',
  A33AVAJ2PDY3EV: 'TR', A17E79C6D8DWNP: 'SA', A2VIGQ35RCS4UG: 'AE', A21TJRUUN4KGV: 'IN',
  A19VAU5U5O7RUS: 'SG', A39IBJ37TRP1C6: 'AU', A1VC38T7YXB528: 'JP',
}

export function marketplaceLabel(id: string): string {
  return marketplaceCountries[id] ?? id
}

/** Messages for `/accounts?connect_error=<code>` (the OAuth callback's failure codes). */
export const connectErrorMessages: Record<string, string> = {
  access_denied: 'You declined the authorization on Amazon. Nothing was connected.',
  state_invalid: 'That connection attempt expired or was already used. Please start again.',
  missing_parameters: 'Amazon sent an incomplete answer. Please start again.',
  grant_invalid: 'Amazon did not accept the authorization code. Please start again.',
  amazon_rejected: 'Amazon refused the connection. Check the account’s permissions and try again.',
  amazon_unavailable: 'Amazon did not answer. Try again in a few minutes.',
  no_profiles: 'This Amazon Ads login has no advertising profiles to connect.',
  database_unavailable: 'We could not save the connection. Try again shortly.',
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
]

/** "3 minutes ago", "in 2 months". */
export function relativeTime(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit)
    value /= size
  }
  return iso
}
