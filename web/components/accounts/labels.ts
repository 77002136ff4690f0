import type { Account } from '../../lib/api/accounts.ts'
import { marketplaceById } from '../../lib/marketplaces.ts'

export const providerLabels: Record<Account['provider'], string> = {
  sp_api: 'Selling Partner API',
  ads: 'Amazon Ads',
}

/** The name a seller gave the account, else provider and Amazon id. */
export function accountName(account: Account): string {
  return account.display_name ?? `${providerLabels[account.provider]} · ${account.external_id}`
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

/** Marketplace ids as sellers know them (country codes; Amazon's id table says UK for GB). Unknown ids show as they are. */
export function marketplaceLabel(id: string): string {
  const code = marketplaceById(id)?.countryCode
  return code === 'GB' ? 'UK' : (code ?? id)
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

/** What an account's last_error (written by a failed sync or token refresh) means for the seller. */
const lastErrorMessages: Record<string, string> = {
  reauth_required: 'Amazon no longer accepts this authorization. Connect the account again to restore access.',
  amazon_unavailable: 'The last sync failed: Amazon did not answer. Try again in a few minutes.',
  amazon_rejected: 'The last sync failed: Amazon refused the request. Try again; if it keeps failing, reconnect the account.',
}

export const lastErrorMessage = (code: string) => lastErrorMessages[code] ?? `The last sync failed (${code}).`

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
