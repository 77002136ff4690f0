'use client'
// The active account at a glance: its connection's health and marketplaces, then what Amazon says through the
// proxy — an SP-API seller's orders of the last 7 days, an Ads profile's Sponsored Products campaigns.
import Link from 'next/link'
import { Suspense } from 'react'
import { useActiveAccount } from '../../lib/active-account.tsx'
import { useAccounts } from '../../lib/api/accounts.ts'
import { RegionBoundary } from '../RegionBoundary.tsx'
import { accountName } from '../accounts/labels.ts'
import { CampaignsSection } from './CampaignsSection.tsx'
import { ConnectionSection } from './ConnectionSection.tsx'
import { OrdersSection } from './OrdersSection.tsx'
import { SectionSkeleton } from './SectionSkeleton.tsx'

export function OverviewPage() {
  return (
    <main id="main" className="page">
      <h1>Overview</h1>
      <RegionBoundary title="Your accounts could not be loaded">
        <Suspense fallback={<SectionSkeleton label="Loading the account" />}>
          <ActiveAccountOverview />
        </Suspense>
      </RegionBoundary>
    </main>
  )
}

function ActiveAccountOverview() {
  const accounts = useAccounts()
  const { account } = useActiveAccount()
  if (accounts.length === 0) {
    return (
      <section className="card empty" aria-labelledby="overview-empty">
        <h2 id="overview-empty">Connect an Amazon account to see it here</h2>
        <p>The overview shows the active account’s connection, its orders or its campaigns.</p>
        <Link href="/accounts/" className="button primary">
          Go to your accounts
        </Link>
      </section>
    )
  }
  // The selector's context catches up with the list a render later.
  if (!account) return <SectionSkeleton label="Loading the account" />
  return (
    <>
      <p className="muted overview-account">
        {accountName(account)} · change the active account at the top of the page
      </p>
      <ConnectionSection account={account} />
      {/* Keyed: another account is another set of queries, never the last one's data under a new name. */}
      {account.provider === 'sp_api' ? <OrdersSection key={account.id} account={account} /> : <CampaignsSection key={account.id} account={account} />}
    </>
  )
}
