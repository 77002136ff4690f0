// The facts an account card and the Overview's Connection section both show, written once so they read alike.
import { type AccountStatus, longDate } from '../../lib/account-status.ts'
import { timeAgo } from '../../lib/relative-time.ts'

/** Amazon's yearly SP-API re-authorization date, in the warn colour once it is due soon; nothing for Ads. */
export function ReauthorizeByFact({ renewal }: { renewal: AccountStatus['renewal'] }) {
  if (!renewal) return null
  return (
    <div className={renewal.due ? 'fact-warn' : undefined}>
      <dt>Re-authorize by</dt>
      <dd>
        <time dateTime={renewal.date}>{longDate(renewal.date)}</time>
      </dd>
    </div>
  )
}

export function LastSyncFact({ lastSyncAt, now }: { lastSyncAt: string | null; now: number }) {
  return (
    <div>
      <dt>Last sync</dt>
      <dd>{lastSyncAt ? <time dateTime={lastSyncAt}>{timeAgo(lastSyncAt, now)}</time> : 'Never'}</dd>
    </div>
  )
}
