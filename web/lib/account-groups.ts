// How the accounts page orders and groups the seller's accounts: the ones that need the seller first, and
// each Amazon login's accounts together (an Ads login connects one account per advertising profile).
import type { AccountStatus } from './account-status.ts'

/** What grouping reads of an account (the API's Account has more). */
export type GroupableAccount = {
  id: string
  provider: 'sp_api' | 'ads'
  region: 'na' | 'eu' | 'fe'
  login_id: string | null
}

export type AccountGroup<A extends GroupableAccount> = {
  /** Stable across renders: the provider, and for Ads the login. */
  key: string
  provider: A['provider']
  region: A['region'] | null
  /** For Ads logins: which one, when the seller has several in the same region (1, 2, …); else null. */
  number: number | null
  accounts: A[]
  needsSeller: boolean
}

/**
 * Seller Central accounts in one group (each is its own login); Ads profiles grouped by the login that
 * connected them. Groups and the accounts in them keep the API's order (default first, then oldest),
 * except that what needs the seller comes first.
 */
export function groupAccounts<A extends GroupableAccount>(accounts: readonly A[], statusOf: (account: A) => Pick<AccountStatus, 'needsSeller'>): AccountGroup<A>[] {
  const groups = new Map<string, AccountGroup<A> & { first: number }>()
  accounts.forEach((account, index) => {
    const key = account.provider === 'sp_api' ? 'sp_api' : `ads:${account.login_id ?? account.id}`
    let group = groups.get(key)
    if (!group) {
      group = { key, provider: account.provider, region: account.provider === 'ads' ? account.region : null, number: null, accounts: [], needsSeller: false, first: index }
      groups.set(key, group)
    }
    group.accounts.push(account)
  })
  const needs = new Map(accounts.map((account) => [account.id, statusOf(account).needsSeller]))
  const byNeed = (a: { needsSeller: boolean; first: number }, b: { needsSeller: boolean; first: number }) =>
    Number(b.needsSeller) - Number(a.needsSeller) || a.first - b.first
  const result = [...groups.values()].map((group) => {
    const ranked = group.accounts.map((account, first) => ({ account, first, needsSeller: needs.get(account.id)! }))
    ranked.sort(byNeed)
    return { ...group, accounts: ranked.map((entry) => entry.account), needsSeller: ranked.some((entry) => entry.needsSeller) }
  })
  result.sort(byNeed)
  // Two Ads logins in one region need telling apart: numbered in the order they were connected.
  for (const region of ['na', 'eu', 'fe'] as const) {
    const same = result.filter((group) => group.provider === 'ads' && group.region === region).sort((a, b) => a.first - b.first)
    if (same.length > 1) same.forEach((group, index) => (group.number = index + 1))
  }
  return result.map(({ first: _first, ...group }) => group)
}

/** The accounts a filter text matches: every word must appear in one of the account's texts (any case). */
export function matchesFilter(texts: readonly string[], filter: string): boolean {
  const haystack = texts.join(' ').toLowerCase()
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word))
}
