'use client'
// The request: which operation (a filter box and a native <select> grouped by API), its path parameters, the
// query string, a JSON body for POST/PUT/PATCH, the restricted data elements where the operation returns
// personal data, and how long sellersync may wait for Amazon's rate limit.
import { type FormEvent, useId, useState } from 'react'
import type { ProxyRequest } from '../../lib/api/amazon-proxy.ts'
import type { ConsoleOperation } from '../../lib/console-operations.ts'
import { fillPath, pathParameters } from '../../lib/path-template.ts'
import { dataElementsHeader, MAX_WAIT_MS, maxWaitHeader } from '../../lib/proxy-headers.ts'
import { OperationPicker } from './OperationPicker.tsx'

type Props = {
  operations: readonly ConsoleOperation[]
  operation: ConsoleOperation
  onOperationChange: (key: string) => void
  /** As typed: the header's value is made from it on send (maxWaitHeader). */
  maxWait: string
  onMaxWaitChange: (value: string) => void
  sending: boolean
  onSend: (request: ProxyRequest) => void
}

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH'])

export function RequestForm({ operations, operation, onOperationChange, maxWait, onMaxWaitChange, sending, onSend }: Props) {
  // Tied to the operation whose body it is about: another operation starts without it.
  const [invalidBody, setInvalidBody] = useState<string | null>(null)
  const bodyError = invalidBody === operation.key ? 'The body is not valid JSON.' : null
  const ids = { path: useId(), query: useId(), body: useId(), bodyError: useId(), rdt: useId(), wait: useId(), waitNote: useId(), rdtNote: useId() }
  const parameters = pathParameters(operation.path)
  const hasBody = HAS_BODY.has(operation.method)
  const restriction = operation.restriction

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const field = (name: string) => String(form.get(name) ?? '')
    const filled = fillPath(operation.path, Object.fromEntries(parameters.map((name) => [name, field(`path.${name}`)])))
    if (filled.path === null) return // the browser's required check names the blank ones first
    const body = hasBody ? field('body') : undefined
    if (body !== undefined && body.trim() !== '') {
      try {
        JSON.parse(body)
      } catch {
        setInvalidBody(operation.key)
        document.getElementById(ids.body)?.focus()
        return
      }
    }
    setInvalidBody(null)
    const rdt = restriction?.kind === 'on_request' ? (form.get('rdt') ? 'true' : null) : dataElementsHeader(field('rdt'))
    onSend({
      method: operation.method,
      path: filled.path,
      query: field('query').trim().replace(/^\?/, ''),
      // Ads v3 picks the operation's version by Content-Type: sent with every body, even an empty one.
      ...(body !== undefined ? { body, contentType: operation.contentType ?? 'application/json' } : {}),
      ...(operation.accept ? { accept: operation.accept } : {}),
      maxWait: maxWaitHeader(Number.parseFloat(maxWait)), // blank: the default
      dataElements: rdt,
    })
  }

  return (
    <section className="card" aria-labelledby="request-heading">
      <form className="stack" onSubmit={onSubmit}>
        <h2 id="request-heading">Request</h2>
        <OperationPicker operations={operations} operation={operation} onChange={onOperationChange} />
        {/* Keyed: another operation starts from blank fields. */}
        <div key={operation.key} className="stack">
          {parameters.map((name) => (
            <div key={name} className="field">
              <label htmlFor={`${ids.path}-${name}`}>
                <span>
                  <code>{`{${name}}`}</code> path parameter
                </span>
              </label>
              <input id={`${ids.path}-${name}`} name={`path.${name}`} required autoComplete="off" spellCheck={false} />
            </div>
          ))}
          <div className="field">
            <label htmlFor={ids.query}>Query string</label>
            <input id={ids.query} name="query" autoComplete="off" spellCheck={false} placeholder="name=value&name=value" />
          </div>
          {hasBody && (
            <div className="field">
              <label htmlFor={ids.body}>Body (JSON)</label>
              <textarea
                id={ids.body}
                name="body"
                className="code-input"
                rows={6}
                spellCheck={false}
                defaultValue="{}"
                aria-invalid={bodyError ? true : undefined}
                aria-describedby={bodyError ? ids.bodyError : undefined}
                onChange={() => bodyError && setInvalidBody(null)}
              />
              {bodyError && (
                <p id={ids.bodyError} className="form-error small">
                  {bodyError}
                </p>
              )}
            </div>
          )}
          {restriction?.kind === 'data_elements' && (
            <div className="field">
              <label htmlFor={ids.rdt}>Data elements</label>
              <input
                id={ids.rdt}
                name="rdt"
                autoComplete="off"
                spellCheck={false}
                placeholder={restriction.dataElements.join(',')}
                aria-describedby={ids.rdtNote}
              />
              <p id={ids.rdtNote} className="muted small">
                Optional: any of {restriction.dataElements.join(', ')}, comma-separated. sellersync then gets a Restricted Data Token for them
                (sent as <code>Sellersync-RDT</code>).
              </p>
            </div>
          )}
          {restriction?.kind === 'on_request' && (
            <label className="radio">
              <input type="checkbox" name="rdt" aria-describedby={ids.rdtNote} />
              <span>
                A restricted report’s document
                <span id={ids.rdtNote} className="muted small block">
                  sellersync gets a Restricted Data Token for it (<code>Sellersync-RDT: true</code>).
                </span>
              </span>
            </label>
          )}
          {restriction?.kind === 'always' && (
            <p className="muted small">This operation returns personal data: sellersync gets a Restricted Data Token for every call.</p>
          )}
        </div>
        <div className="field wait-field">
          <label htmlFor={ids.wait}>Wait up to (ms)</label>
          <input
            id={ids.wait}
            type="number"
            inputMode="numeric"
            min={MAX_WAIT_MS.min}
            max={MAX_WAIT_MS.max}
            step={100}
            value={maxWait}
            onChange={(event) => onMaxWaitChange(event.target.value)}
            aria-describedby={ids.waitNote}
          />
          <p id={ids.waitNote} className="muted small">
            How long sellersync may hold the call for Amazon’s rate limit before answering 429 (<code>Sellersync-Max-Wait</code>, 0–30,000).
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
    </section>
  )
}
