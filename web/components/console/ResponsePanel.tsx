'use client'
// Amazon's answer to the last send: status and time, the headers that say how the call went (Amazon's request
// id and limits, sellersync's cache and rate-limit fields), what went wrong in words, and the body. What was sent
// is shown as its method and Amazon path: the session token never appears.
import { type Ref, useState } from 'react'
import { ProxyError, type ProxyRequest, type ProxyResponse } from '../../lib/api/amazon-proxy.ts'
import { previewBody } from '../../lib/body-preview.ts'
import { ProxyErrorNotice } from '../ProxyErrorNotice.tsx'

export type SentCall = { request: ProxyRequest; response: ProxyResponse; operationId: string; receivedAt: number }

type Props = {
  sent: SentCall | null
  sending: boolean
  onPickOperation: (operation: { method: string; path: string; operationId: string }) => void
  /** The heading, which gets focus when an answer arrives. */
  headingRef?: Ref<HTMLHeadingElement>
}

export function ResponsePanel({ sent, sending, onPickOperation, headingRef }: Props) {
  return (
    <section className="card stack" aria-labelledby="response-heading" aria-busy={sending}>
      <h2 id="response-heading" ref={headingRef} tabIndex={-1} className="focus-target">
        Response
      </h2>
      {/* Announced when it changes: the outcome of a send, for screen readers too. */}
      <p role="status" className={sent && !sending ? 'response-line' : 'muted'}>
        {sending ? 'Sending…' : sent ? <Outcome sent={sent} /> : 'Send a request to see Amazon’s answer here.'}
      </p>
      {sent && !sending && <Answer key={sent.receivedAt} sent={sent} onPickOperation={onPickOperation} />}
    </section>
  )
}

function Outcome({ sent: { request, response, operationId } }: { sent: SentCall }) {
  const tone = response.status < 300 ? 'ok' : response.status < 500 ? 'client' : 'server'
  return (
    <>
      <span className={`status-code tone-${tone}`}>{response.status}</span> <span>{response.durationMs} ms</span>{' '}
      <span className="muted">
        {operationId} ·{' '}
        <code>
          {request.method} {request.path}
          {request.query ? `?${request.query}` : ''}
        </code>
      </span>
    </>
  )
}

function Answer({ sent, onPickOperation }: { sent: SentCall } & Pick<Props, 'onPickOperation'>) {
  const { response } = sent
  const [showAll, setShowAll] = useState(false)
  const body = previewBody(response.text)
  return (
    <>
      {response.failure && <ProxyErrorNotice error={new ProxyError(response.failure)} failedAt={sent.receivedAt} onPickOperation={onPickOperation} />}
      <h3>Headers</h3>
      {response.headers.length > 0 ? (
        <dl className="headers">
          {response.headers.map(({ name, value }) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted small">The answer carries none of the request-id, cache or rate-limit headers.</p>
      )}
      <h3>Body</h3>
      {body.full === '' ? (
        <p className="muted small">No body.</p>
      ) : (
        <>
          <pre className="response-body" tabIndex={0} aria-label="Response body">
            {showAll ? body.full : body.shown}
          </pre>
          {body.truncated && (
            <p className="small">
              {showAll ? null : `Showing the first ${body.shown.length.toLocaleString('en')} of ${body.full.length.toLocaleString('en')} characters. `}
              <button type="button" className="button small" onClick={() => setShowAll((all) => !all)} aria-expanded={showAll}>
                {showAll ? 'Show less' : 'Show all'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  )
}
