// The accounts' wording, shared by the accounts page, the top bar's selector and the Overview. Plain types, not
// the API client's Account: node tests load this file without React or the client.
import { marketplaceById } from '../../lib/marketplaces.ts'

/** The fields of the API's Account these texts read. */
type Account = {
  provider: 'sp_api' | 'ads'
  region: 'na' | 'eu' | 'fe'
  external_id: string
  display_name: string | null
  marketplaces: string[]
}

export const providerLabels: Record<Account['provider'], string> = {
  sp_api: 'Selling Partner API',
  ads: 'Amazon Ads',
}

/** The name a seller gave the account, else provider and Amazon id. */
export function accountName(account: Pick<Account, 'display_name' | 'provider' | 'external_id'>): string {
  return account.display_name ?? `${providerLabels[account.provider]} · ${account.external_id}`
}

export const regionLabels: Record<Account['region'], string> = {
  na: 'North America',
  eu: 'Europe, Middle East, India, Africa',
  fe: 'Far East (Japan, Australia, Singapore)',
}

/** Short provider names for tight places (the top bar's selector). */
export const providerShortLabels: Record<Account['provider'], string> = { sp_api: 'SP-API', ads: 'Ads' }

/** What Amazon calls the account's id: a seller's merchant token, or an advertising profile's id. */
export const amazonIdLabels: Record<Account['provider'], string> = { sp_api: 'Merchant token', ads: 'Profile id' }

/** Provider, marketplaces and Amazon id: what tells two accounts with similar names apart. */
export function accountContext(account: Pick<Account, 'provider' | 'marketplaces' | 'external_id'>): string {
  const markets = account.marketplaces.map(marketplaceLabel).join(', ')
  return [providerShortLabels[account.provider], markets, account.external_id].filter(Boolean).join(' · ')
}

/** Marketplace ids as sellers know them (country codes; Amazon's id table says UK for GB). Unknown ids show as they are. */
export function marketplaceLabel(id: string): string {
  const code = marketplaceById(id)?.countryCode
  return code === 'GB' ? 'UK' : (code ?? id)
}

/** The heading of a group of accounts (web/lib/account-groups.ts). */
export function groupTitle(group: { provider: Account['provider']; region: Account['region'] | null; number: number | null; accounts: readonly unknown[] }): string {
  if (group.provider === 'sp_api') return 'Seller Central (Selling Partner API)'
  const count = group.accounts.length
  const login = group.number === null ? 'Amazon Ads login' : `Amazon Ads login ${group.number}`
  return `${login}, ${regionLabels[group.region!]} · ${count} ${count === 1 ? 'profile' : 'profiles'}`
}

type NeedsYou = { name: string; word: string; renewBy: string | null }

/** What the seller has to do for one account: "reconnect EU store", "renew US store by December 6, 2026". */
export const needsYouAction = ({ name, word, renewBy }: NeedsYou) => (word === 'Renew soon' && renewBy ? `renew ${name} by ${renewBy}` : `reconnect ${name}`)

/** "2 accounts need you: " — the start of the line, before the actions. */
export const needsYouLead = (count: number) => `${count} ${count === 1 ? 'account needs' : 'accounts need'} you: `

/** "2 accounts need you: reconnect EU store, renew US store by December 6, 2026." */
export function needsYouLine(items: readonly NeedsYou[]): string | null {
  if (items.length === 0) return null
  return `${needsYouLead(items.length)}${items.map(needsYouAction).join(', ')}.`
}

/** The toast after Amazon's round trip: the account, and for an Ads login how many profiles it connected. */
export function connectedMessage(name: string, provider: Account['provider'], profiles: number): string {
  return provider === 'ads' && profiles > 1 ? `Connected ${name} (${profiles} Ads profiles).` : `Connected ${name}.`
}

/**
 * Where a seller removes sellersync's authorization on Amazon's side: Seller Central's Manage Your Apps (each
 * region's Seller Central), or for Ads the Amazon account's Login with Amazon settings.
 */
const manageYourAppsHosts: Record<Account['region'], string> = {
  na: 'sellercentral.amazon.com',
  eu: 'sellercentral-europe.amazon.com',
  fe: 'sellercentral.amazon.co.jp',
}
export function amazonAppSettings(account: Pick<Account, 'provider' | 'region'>): { href: string; label: string } {
  if (account.provider === 'ads') return { href: 'https://www.amazon.com/ap/adam', label: 'Login with Amazon in your Amazon account' }
  return { href: `https://${manageYourAppsHosts[account.region]}/apps/manage`, label: 'Manage Your Apps in Seller Central' }
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
