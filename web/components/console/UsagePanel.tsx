'use client'
// The account's rate-limit state as the proxy counted it: per operation, the calls, the waits sellersync added
// to stay inside Amazon's limits, the 429s (sellersync's and Amazon's), errors, and the token bucket now.
import { type OperationUsage, useAccountUsage } from '../../lib/api/account-usage.ts'
import { timeAgo } from '../../lib/relative-time.ts'
import { useNow } from '../../lib/use-now.ts'

export function UsagePanel({ accountId, operationId }: { accountId: string; operationId: string }) {
  const usage = useAccountUsage(accountId)
  const now = useNow()
  return (
    <section className="card stack" aria-labelledby="usage-heading" aria-busy={usage.isFetching}>
      <h2 id="usage-heading">Rate limits</h2>
      {usage.error ? (
        <div className="region-error" role="alert">
          <span>The rate-limit state could not be loaded: {usage.error.message}</span>
          <button type="button" className="button small" onClick={() => void usage.refetch()}>
            Retry
          </button>
        </div>
      ) : !usage.data ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading the rate-limit state">
          <span className="bone wide" />
          <span className="bone" />
        </div>
      ) : usage.data.operations.length === 0 ? (
        <p className="muted">No calls through sellersync for this account yet.</p>
      ) : (
        <>
          {usage.data.since && (
            <p className="muted small">
              Counted since <time dateTime={usage.data.since}>{timeAgo(usage.data.since, now)}</time>.
            </p>
          )}
          {/* Its own name: two regions called "Rate limits" would be two landmarks a screen reader cannot tell apart. */}
          <div className="table-scroll" role="region" aria-label="Calls per operation" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Operation</th>
                  <th scope="col" className="number">
                    Calls
                  </th>
                  <th scope="col" className="number">
                    Waits
                  </th>
                  <th scope="col" className="number">
                    429s <span className="muted small">sellersync / Amazon</span>
                  </th>
                  <th scope="col" className="number">
                    Errors
                  </th>
                  <th scope="col">Bucket now</th>
                </tr>
              </thead>
              <tbody>
                {usage.data.operations.map((operation) => (
                  <tr key={operation.operation_id} className={operation.operation_id === operationId ? 'current' : undefined}>
                    <th scope="row">
                      <code>{operation.operation_id}</code>
                    </th>
                    <td className="number">{operation.calls}</td>
                    <td className="number">{operation.shaped_waits}</td>
                    <td className="number">
                      {operation.throttled_by_sellersync} / {operation.throttled_by_amazon}
                    </td>
                    <td className="number">{operation.errors}</td>
                    <td>{bucketLabel(operation.rate_limit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  )
}

/** "14 of 15 left · 0.016/s (Amazon's)"; Ads operations have no fixed limit. */
function bucketLabel(limit: OperationUsage['rate_limit']): string {
  if (!limit) return 'No fixed limit'
  return `${limit.available} of ${limit.burst} left · ${limit.rate}/s${limit.source === 'amazon' ? ' (as Amazon stated)' : ''}`
}
