'use client'
import { useRouter } from 'next/navigation'
import { Suspense, useEffect, useState } from 'react'
import { toast } from 'sonner'
import { useAccounts } from '../../lib/api/accounts.ts'
import { AccountCard } from './AccountCard.tsx'
import { RegionBoundary } from '../RegionBoundary.tsx'
import { ConnectDialog } from './ConnectDialog.tsx'
import { connectErrorMessages } from './labels.ts'

export function AccountsPage() {
  const [connectOpen, setConnectOpen] = useState(false)
  useConnectResultToast()
  const openConnect = () => setConnectOpen(true)

  return (
    <main className="page">
      <div className="page-head">
        <h1>Amazon accounts</h1>
        <button type="button" className="button primary" onClick={openConnect}>
          Connect an account
        </button>
      </div>
      <RegionBoundary title="Your accounts could not be loaded">
        <Suspense fallback={<AccountsSkeleton />}>
          <AccountList onConnect={openConnect} />
        </Suspense>
      </RegionBoundary>
      <RegionBoundary title="The connect dialog could not be shown">
        <ConnectDialog open={connectOpen} onClose={() => setConnectOpen(false)} />
      </RegionBoundary>
    </main>
  )
}

function AccountList({ onConnect }: { onConnect: () => void }) {
  const accounts = useAccounts()
  if (accounts.length === 0) {
    return (
      <section className="card empty" aria-labelledby="empty-title">
        <h2 id="empty-title">No Amazon account connected yet</h2>
        <p>
          Connect your Seller Central account (Selling Partner API) or your Amazon Ads account. You will sign in on
          Amazon and approve access for sellersync; we store only an encrypted authorization that you can revoke here
          at any time.
        </p>
        <button type="button" className="button primary" onClick={onConnect}>
          Connect an Amazon account
        </button>
      </section>
    )
  }
  return (
    <ul className="accounts" aria-label="Connected accounts">
      {accounts.map((account) => (
        <AccountCard key={account.id} account={account} />
      ))}
    </ul>
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

/** Amazon's round trip ends on /accounts?connected=<id> or ?connect_error=<code>: say how it went, once. */
function useConnectResultToast() {
  const router = useRouter()
  useEffect(() => {
    const params = new URLSearchParams(window.location.search)
    const connected = params.get('connected')
    const failed = params.get('connect_error')
    if (!connected && !failed) return
    toast.dismiss('connect')
    if (connected) toast.success('Amazon account connected.', { id: 'connect-result' })
    else toast.error(connectErrorMessages[failed!] ?? `Connecting failed (${failed}).`, { id: 'connect-result' })
    router.replace('/accounts/') // a reload must not toast again
  }, [router])
}
