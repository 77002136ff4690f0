'use client'
// A card's "Activity" disclosure: the account's last 20 audit events, loaded only when the seller opens it.
import { Suspense, useId, useState } from 'react'
import { useAccountEvents } from '../../lib/api/account-events.ts'
import { activityLine } from '../../lib/account-activity.ts'
import { timeAgo } from '../../lib/relative-time.ts'
import { useNow } from '../../lib/use-now.ts'
import { RegionBoundary } from '../RegionBoundary.tsx'

export function AccountActivity({ accountId, accountName }: { accountId: string; accountName: string }) {
  const [open, setOpen] = useState(false)
  const summaryId = useId()
  return (
    <details className="activity" onToggle={(event) => setOpen(event.currentTarget.open)}>
      {/* Named for its account, like the card's buttons; the name starts with the visible word. */}
      <summary id={summaryId} aria-label={`Activity ${accountName}`}>
        Activity
      </summary>
      {/* Mounted on first open, so closed cards cost no request; closing keeps the cached list for next time. */}
      {open && (
        <RegionBoundary title="The activity could not be loaded" variant="inline">
          <Suspense
            fallback={
              <p className="muted small" role="status">
                Loading activity…
              </p>
            }
          >
            <ActivityList accountId={accountId} labelledBy={summaryId} />
          </Suspense>
        </RegionBoundary>
      )}
    </details>
  )
}

function ActivityList({ accountId, labelledBy }: { accountId: string; labelledBy: string }) {
  const events = useAccountEvents(accountId)
  const now = useNow()
  if (events.length === 0) return <p className="muted small">Nothing has happened on this account yet.</p>
  return (
    <ol className="activity-list" aria-labelledby={labelledBy}>
      {events.map((event) => (
        <li key={event.id}>
          <span>{activityLine(event)}</span>
          <time className="muted" dateTime={event.created_at}>
            {timeAgo(event.created_at, now)}
          </time>
        </li>
      ))}
    </ol>
  )
}
