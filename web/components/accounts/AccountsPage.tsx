'use client'
import { useRouter } from 'next/navigation'
import { Suspense, useEffect, useId, useRef, useState } from 'react'
import { toast } from 'sonner'
import { type Account, useAccounts, useAccountsIfLoaded } from '../../lib/api/accounts.ts'
import { groupAccounts, matchesFilter } from '../../lib/account-groups.ts'
import { accountStatus, longDate } from '../../lib/account-status.ts'
import { accountHeadingId, focusSoon } from '../../lib/focus-soon.ts'
import { toastError } from '../../lib/toast-error.ts'
import { useNow } from '../../lib/use-now.ts'
import { AccountCard } from './AccountCard.tsx'
import { RegionBoundary } from '../RegionBoundary.tsx'
import { ConnectDialog } from './ConnectDialog.tsx'
import {
  accountName,
  connectedMessage,
  connectErrorMessages,
  groupTitle,
  marketplaceLabel,
  needsYouAction,
  needsYouLead,
  providerLabels,
  regionLabels,
} from './labels.ts'

/** Above this many accounts the page offers a filter. */
const FILTER_FROM = 7
const EMPTY_CONNECT_ID = 'empty-connect'

export function AccountsPage() {
  const [connectOpen, setConnectOpen] = useState(false)
  const connectedId = useConnectResult()
  const openConnect = () => setConnectOpen(true)
  // With no account yet the empty state's button is the page's one primary action; while the list loads, and
  // when it failed to load, the page's own button is the way to connect.
  const accounts = useAccountsIfLoaded()
  const showConnect = accounts === undefined || accounts.length > 0

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Amazon accounts</h1>
        {showConnect && (
          <button type="button" className="button primary" onClick={openConnect}>
            Connect an account
          </button>
        )}
      </div>
      <RegionBoundary title="Your accounts could not be loaded">
        <Suspense fallback={<AccountsSkeleton />}>
          <AccountList onConnect={openConnect} connectedId={connectedId} />
        </Suspense>
      </RegionBoundary>
      <RegionBoundary title="The connect dialog could not be shown">
        <ConnectDialog open={connectOpen} onClose={() => setConnectOpen(false)} />
      </RegionBoundary>
    </main>
  )
}

function AccountList({ onConnect, connectedId }: { onConnect: () => void; connectedId: string | null }) {
  const accounts = useAccounts()
  const now = useNow()
  const [filter, setFilter] = useState('')
  const filterId = useId()
  useConnectedToast(accounts, connectedId)

  if (accounts.length === 0) {
    return (
      <section className="card empty" aria-labelledby="empty-title">
        <h2 id="empty-title">No Amazon account connected yet</h2>
        <p>
          Connect your Seller Central account (Selling Partner API) or your Amazon Ads account. You will sign in on
          Amazon and approve access for sellersync; we store only an encrypted authorization that you can revoke here
          at any time.
        </p>
        <button type="button" className="button primary" onClick={onConnect} id={EMPTY_CONNECT_ID}>
          Connect an Amazon account
        </button>
      </section>
    )
  }

  const statuses = new Map(accounts.map((account) => [account.id, accountStatus(account, now)]))
  const statusOf = (account: Account) => statuses.get(account.id)!
  const groups = groupAccounts(accounts, statusOf)
  const ordered = groups.flatMap((group) => group.accounts)
  const needing = ordered.filter((account) => statusOf(account).needsSeller)
  const needs = needing.map((account) => {
    const status = statusOf(account)
    return { id: account.id, name: accountName(account), word: status.word, renewBy: status.renewal ? longDate(status.renewal.date) : null }
  })
  const filtering = accounts.length >= FILTER_FROM && filter.trim() !== ''
  const shown = (account: Account) =>
    !filtering ||
    matchesFilter(
      [accountName(account), account.external_id, providerLabels[account.provider], regionLabels[account.region], statusOf(account).word, ...account.marketplaces.map(marketplaceLabel)],
      filter,
    )
  const shownCount = ordered.filter(shown).length

  /** After a disconnect: the next card's heading, else the previous one's, else the empty state's button. */
  const focusAfterRemoval = (id: string) => {
    const index = ordered.findIndex((account) => account.id === id)
    const next = ordered[index + 1] ?? ordered[index - 1]
    focusSoon(() => (next ? document.getElementById(accountHeadingId(next.id)) : document.getElementById(EMPTY_CONNECT_ID)))
  }

  return (
    <>
      {needs.length > 0 && (
        // Each action links to its card's heading (focusable), so the keyboard goes straight there.
        <div className="card needs-you" role="status">
          <p>
            {needsYouLead(needs.length)}
            {needs.map((item, index) => (
              <span key={item.id}>
                {index > 0 && ', '}
                <a href={`#${accountHeadingId(item.id)}`}>{needsYouAction(item)}</a>
              </span>
            ))}
            .
          </p>
        </div>
      )}
      {accounts.length >= FILTER_FROM && (
        <div className="account-filter">
          <label htmlFor={filterId}>Filter accounts</label>
          <input id={filterId} type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Name, Amazon id, marketplace…" />
          <p className="muted small" role="status">
            {filtering ? `Showing ${shownCount} of ${accounts.length} accounts.` : `${accounts.length} accounts.`}
          </p>
        </div>
      )}
      {groups.map((group) => {
        const visible = group.accounts.filter(shown)
        if (visible.length === 0) return null
        const titleId = `group-${group.key}`
        return (
          <section key={group.key} className="account-group" aria-labelledby={titleId}>
            <h2 id={titleId} className="group-title">
              {groupTitle(group)}
            </h2>
            <ul className="accounts" aria-labelledby={titleId}>
              {visible.map((account) => (
                <AccountCard
                  key={account.id}
                  account={account}
                  siblings={account.provider === 'ads' ? group.accounts.filter((other) => other.id !== account.id) : []}
                  onRemoved={() => focusAfterRemoval(account.id)}
                />
              ))}
            </ul>
          </section>
        )
      })}
    </>
  )
}

function AccountsSkeleton() {
  return (
    <ul className="accounts" aria-busy="true" aria-label="Loading accounts">
      {[0, 1].map((index) => (
        <li key={index} className="card account skeleton">
          <span className="bone wide" />
          <span className="bone" />
          <span className="bone" />
        </li>
      ))}
    </ul>
  )
}

/**
 * Amazon's round trip ends on /accounts?connected=<id> or ?connect_error=<code>: read once, then dropped from
 * the address (a reload must not say it again). A failure is said at once and stays until dismissed (it is
 * the only feedback); a success waits for the list, which names the account.
 */
function useConnectResult(): string | null {
  const router = useRouter()
  const [connectedId, setConnectedId] = useState<string | null>(null)
  useEffect(() => {
    const params = new URLSearchParams(window.location.search)
    const connected = params.get('connected')
    const failed = params.get('connect_error')
    if (!connected && !failed) return
    toast.dismiss('connect')
    if (connected) setConnectedId(connected)
    else toastError(connectErrorMessages[failed!] ?? `Connecting failed (${failed}).`, { id: 'connect-result' })
    router.replace('/accounts/')
  }, [router])
  return connectedId
}

/** Names what was connected, and moves focus to its card; an id that is not among the accounts says nothing. */
function useConnectedToast(accounts: Account[], connectedId: string | null) {
  const done = useRef<string | null>(null)
  useEffect(() => {
    if (!connectedId || done.current === connectedId) return
    done.current = connectedId
    const account = accounts.find((candidate) => candidate.id === connectedId)
    if (!account) return
    const profiles = account.login_id ? accounts.filter((other) => other.login_id === account.login_id).length : 1
    toast.success(connectedMessage(accountName(account), account.provider, profiles), { id: 'connect-result' })
    focusSoon(() => document.getElementById(accountHeadingId(account.id)))
  }, [accounts, connectedId])
}
