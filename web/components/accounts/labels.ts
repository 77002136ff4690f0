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
