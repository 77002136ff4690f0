'use client'
// The active account's connection, as its card on the Accounts page words it: the status word, its most urgent
// message and the one under it (lib/account-status.ts), its Amazon id and where it sells. Fixing it (Reconnect)
// happens on the Accounts page.
import Link from 'next/link'
import type { Account } from '../../lib/api/accounts.ts'
import { marketplaceById } from '../../lib/marketplaces.ts'
import { timeAgo } from '../../lib/relative-time.ts'
import { useNow } from '../../lib/use-now.ts'
import { accountStatus, longDate } from '../../lib/account-status.ts'
import { AccountHealth, StatusBadge } from '../accounts/AccountHealth.tsx'
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
        <div>
          <dt>Last sync</dt>
          <dd>{account.last_sync_at ? <time dateTime={account.last_sync_at}>{timeAgo(account.last_sync_at, now)}</time> : 'Never'}</dd>
        </div>
        {status.renewal && (
          <div className={status.renewal.due ? 'fact-warn' : undefined}>
            <dt>Re-authorize by</dt>
            <dd>
              <time dateTime={status.renewal.date}>{longDate(status.renewal.date)}</time>
            </dd>
          </div>
        )}
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
