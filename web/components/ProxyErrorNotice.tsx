'use client'
// A failed call through the Amazon proxy, in the seller's words, with the one thing that fixes it: a link to
// reconnect, a countdown while Amazon's rate limit holds (and the retry when it ends), the operations that come
// closest to an unknown path. Amazon's own errors are listed as Amazon wrote them.
import Link from 'next/link'
import { ProxyError } from '../lib/api/amazon-proxy.ts'
import { ApiError } from '../lib/api/api-error.ts'
import type { FailureFix } from '../lib/proxy-failure.ts'
import { useCountdown } from '../lib/use-countdown.ts'

type Props = {
  error: Error
  /** When the failure arrived (ms): a rate limit's countdown starts there. */
  failedAt: number
  /** Retry: offered as a button, and run by itself when a rate limit's wait ends if `autoRetry`. */
  onRetry?: () => void
  autoRetry?: boolean
  /** The console: a closest operation becomes a button that picks it. */
  onPickOperation?: (operation: { method: string; path: string; operationId: string }) => void
}

export function ProxyErrorNotice({ error, failedAt, onRetry, autoRetry = false, onPickOperation }: Props) {
  const failure = error instanceof ProxyError ? error.failure : null
  const fix: FailureFix = failure?.fix ?? (error instanceof ApiError && error.status !== 0 && error.status < 500 ? { kind: 'none' } : { kind: 'later' })
  const waitUntil = fix.kind === 'wait' && fix.seconds !== null ? failedAt + fix.seconds * 1000 : null
  const secondsLeft = useCountdown(waitUntil, autoRetry ? onRetry : undefined)
  const message = error instanceof ApiError ? error.message : 'Something went wrong while reading Amazon’s answer. Trying again usually helps.'

  return (
    // Waiting is not the seller's problem: the calmer colour for a rate limit, Amazon being slow, or our side.
    <div className={fix.kind === 'wait' || fix.kind === 'later' || fix.kind === 'ours' ? 'proxy-error waiting' : 'proxy-error'} role="alert">
      {/* A rate limit is said once, by its countdown. */}
      {fix.kind !== 'wait' && <p className="proxy-error-message">{failure?.source === 'amazon' ? `Amazon answered ${failure.status}.` : message}</p>}
      {failure && failure.amazonErrors.length > 0 && (
        <ul className="amazon-errors">
          {failure.amazonErrors.map((item, index) => (
            <li key={index}>
              <code>{item.code}</code>
              {item.message && ` ${item.message}`}
              {item.details && ` — ${item.details}`}
            </li>
          ))}
        </ul>
      )}
      <FixLine fix={fix} secondsLeft={secondsLeft} autoRetry={autoRetry} onRetry={onRetry} onPickOperation={onPickOperation} />
    </div>
  )
}

function FixLine({
  fix,
  secondsLeft,
  autoRetry,
  onRetry,
  onPickOperation,
}: { fix: FailureFix; secondsLeft: number | null; autoRetry: boolean } & Pick<Props, 'onRetry' | 'onPickOperation'>) {
  const retryButton = onRetry && (
    <button type="button" className="button small" onClick={onRetry}>
      Try again
    </button>
  )
  switch (fix.kind) {
    case 'reconnect':
      return (
        <p className="fix">
          <Link href="/accounts/" className="button small primary">
            Reconnect on the Accounts page
          </Link>
        </p>
      )
    case 'accounts':
      return (
        <p className="fix">
          <Link href="/accounts/">Go to your accounts</Link> and pick one that is connected.
        </p>
      )
    case 'wait':
      if (secondsLeft === null) return <p className="fix">Amazon limits this call; try again shortly. {retryButton}</p>
      // The alert is announced once, when it appears; not again at every tick of the countdown.
      return (
        <p className="fix" aria-live="off">
          {autoRetry
            ? secondsLeft > 0
              ? `Amazon limits this call; retrying in ${secondsLeft} s.`
              : 'Retrying…'
            : secondsLeft > 0
              ? `Amazon limits this call; try again in ${secondsLeft} s.`
              : 'Amazon’s limit allows the call again.'}
        </p>
      )
    case 'closest':
      if (fix.operations.length === 0) return null
      return (
        <div className="fix">
          <p>Closest operations sellersync knows:</p>
          <ul className="closest">
            {fix.operations.map((operation) => (
              <li key={operation.operationId}>
                {onPickOperation ? (
                  <button type="button" className="button small" onClick={() => onPickOperation(operation)}>
                    {operation.operationId}
                  </button>
                ) : (
                  <code>{operation.operationId}</code>
                )}{' '}
                <code>
                  {operation.method} {operation.path}
                </code>
              </li>
            ))}
          </ul>
        </div>
      )
    case 'later':
      return <p className="fix">Try again in a few minutes. {retryButton}</p>
    case 'ours':
      return <p className="fix">This is on sellersync’s side — nothing for you to change. {retryButton}</p>
    case 'request':
      return <p className="fix">Check the request’s parameters, headers and body.</p>
    case 'none':
      return retryButton ? <p className="fix">{retryButton}</p> : null
  }
}
