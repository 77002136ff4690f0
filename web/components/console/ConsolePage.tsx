'use client'
// Any Amazon operation, sent through the proxy for the active account: the seller sees Amazon's answer, the
// headers that tell how the call went (cache, rate limits, request ids) and the account's rate-limit state.
import Link from 'next/link'
import { Suspense } from 'react'
import { useActiveAccount } from '../../lib/active-account.tsx'
import { useAccounts } from '../../lib/api/accounts.ts'
import { RegionBoundary } from '../RegionBoundary.tsx'
import { accountName, providerLabels } from '../accounts/labels.ts'
import { SectionSkeleton } from '../overview/SectionSkeleton.tsx'
import { ApiConsole } from './ApiConsole.tsx'

export function ConsolePage() {
  return (
    <main id="main" className="page">
      <h1>API console</h1>
      <RegionBoundary title="Your accounts could not be loaded">
        <Suspense fallback={<SectionSkeleton label="Loading the account" />}>
          <ActiveAccountConsole />
        </Suspense>
      </RegionBoundary>
    </main>
  )
}

function ActiveAccountConsole() {
  const accounts = useAccounts()
  const { account } = useActiveAccount()
  if (accounts.length === 0) {
    return (
      <section className="card empty" aria-labelledby="console-empty">
        <h2 id="console-empty">Connect an Amazon account to call its API</h2>
        <p>The console sends Selling Partner API or Amazon Ads calls for the active account, through sellersync.</p>
        <Link href="/accounts/" className="button primary">
          Go to your accounts
        </Link>
      </section>
    )
  }
  if (!account) return <SectionSkeleton label="Loading the account" />
  return (
    <>
      <p className="muted">
        Calls go to Amazon as {accountName(account)} ({providerLabels[account.provider]}). Change the active account at the top of the page.
      </p>
      {/* Keyed: another account has other operations, and its own answers and usage. */}
      <ApiConsole key={account.id} account={account} />
    </>
  )
}
