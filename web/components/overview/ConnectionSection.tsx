'use client'
// The active account's connection, as its card on the Accounts page words it: the status word, its most urgent
// message and the one under it (lib/account-status.ts), its Amazon id and where it sells. Fixing it (Reconnect)
// happens on the Accounts page.
import Link from 'next/link'
import type { Account } from '../../lib/api/accounts.ts'
import { marketplaceById } from '../../lib/marketplaces.ts'
import { useNow } from '../../lib/use-now.ts'
import { accountStatus } from '../../lib/account-status.ts'
import { AccountHealth, StatusBadge } from '../accounts/AccountHealth.tsx'
import { LastSyncFact, ReauthorizeByFact } from '../accounts/AccountFacts.tsx'
import { amazonIdLabels, providerLabels, regionLabels } from '../accounts/labels.ts'

export function ConnectionSection({ account }: { account: Account }) {
  const now = useNow()
  const status = accountStatus(account, now)
  const marketplaces = account.marketplaces.map((id) => marketplaceById(id)?.countryName ?? id)
  return (
    <section className="card stack" aria-labelledby="connection-heading">
      <div className="section-head">
        <h2 id="connection-heading">Connection</h2>
        <StatusBadge status={status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Provider</dt>
          <dd>{providerLabels[account.provider]}</dd>
        </div>
        <div>
          <dt>{amazonIdLabels[account.provider]}</dt>
          <dd>{account.external_id}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{regionLabels[account.region]}</dd>
        </div>
        <div>
          <dt>Marketplaces</dt>
          <dd>{marketplaces.length ? marketplaces.join(', ') : '—'}</dd>
        </div>
        <LastSyncFact lastSyncAt={account.last_sync_at} now={now} />
        <ReauthorizeByFact renewal={status.renewal} />
      </dl>
      <AccountHealth status={status} />
      {status.action === 'reconnect' && (
        <p>
          <Link href="/accounts/" className="button small primary">
            Reconnect on the Accounts page
          </Link>
        </p>
      )}
    </section>
  )
}
