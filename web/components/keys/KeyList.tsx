'use client'
// Every key of the user, newest first, revoked and expired ones included: name, scopes, dates, status, and Revoke
// (confirmed in a dialog) for the active ones.
import { useState } from 'react'
import { toast } from 'sonner'
import { type ApiKey, useApiKeys, useRevokeApiKey } from '../../lib/api/api-keys.ts'
import { expiryText, keyStatus, lastUsedText, STATUS_LABELS } from '../../lib/api-keys.ts'
import { timeAgo } from '../../lib/relative-time.ts'
import { useNow } from '../../lib/use-now.ts'
import { Modal } from '../Modal.tsx'

/** How long a revoked key may still be accepted: the Worker keeps a verification for a minute. */
const REVOCATION_DELAY = 'within 60 seconds'

type Props = {
  /** After a revoke: focus goes to the list's heading (the row's Revoke button is gone). */
  onRevoked: () => void
  /** The empty state's action: to the create form. */
  onCreateFirst: () => void
}

export function KeyList({ onRevoked, onCreateFirst }: Props) {
  const keys = useApiKeys()
  const now = useNow()
  if (keys.length === 0) {
    return (
      <div className="card empty">
        <h3>No API keys yet</h3>
        <p>Create one for each script or job, with only the scopes it needs, so you can revoke one without stopping the others.</p>
        {/* Not primary: the form's "Create key" above is the page's one primary action. */}
        <button type="button" className="button" onClick={onCreateFirst}>
          Create your first key
        </button>
      </div>
    )
  }
  return (
    <ul className="keys" aria-label="API keys">
      {keys.map((key) => (
        <KeyItem key={key.id} apiKey={key} now={now} onRevoked={onRevoked} />
      ))}
    </ul>
  )
}

function KeyItem({ apiKey: key, now, onRevoked }: { apiKey: ApiKey; now: number; onRevoked: () => void }) {
  const revoke = useRevokeApiKey()
  const [confirming, setConfirming] = useState(false)
  // Revoked from this page: say that it takes up to a minute, where the Revoke button was.
  const [revokedHere, setRevokedHere] = useState(false)
  const status = keyStatus(key, now)

  function openConfirm() {
    revoke.reset() // no error from an earlier attempt
    setConfirming(true)
  }

  function onConfirm() {
    revoke.mutate(key.id, {
      onSuccess: () => {
        setConfirming(false)
        setRevokedHere(true)
        toast.success(`${key.name} was revoked. Requests with it are refused ${REVOCATION_DELAY}.`)
        onRevoked()
      },
    })
  }

  return (
    <li className={`card key key-${status}`} aria-busy={revoke.isPending} data-key-id={key.id}>
      <div className="account-head">
        <h3 className="key-name">{key.name}</h3>
        <span className={`badge key-status-${status}`}>{STATUS_LABELS[status]}</span>
      </div>
      <dl className="facts">
        <div>
          <dt>Scopes</dt>
          <dd>
            <ul className="scope-list">
              {key.scopes.map((scope) => (
                <li key={scope}>
                  <code>{scope}</code>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={key.created_at}>{timeAgo(key.created_at, now)}</time>
          </dd>
        </div>
        <div>
          <dt>{status === 'expired' ? 'Expired' : 'Expires'}</dt>
          <dd>{key.expires_at ? <time dateTime={key.expires_at}>{expiryText(key.expires_at, now)}</time> : 'Never'}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{key.last_used_at ? <time dateTime={key.last_used_at}>{lastUsedText(key.last_used_at, now)}</time> : 'Never'}</dd>
        </div>
      </dl>
      {status === 'active' && (
        <div className="actions wrap">
          <button type="button" className="button small danger" onClick={openConfirm} disabled={revoke.isPending}>
            Revoke<span className="visually-hidden"> {key.name}</span>
          </button>
          <span className="muted small">Takes effect {REVOCATION_DELAY}.</span>
        </div>
      )}
      {revokedHere && (
        <p className="muted small">
          Revoked just now: requests with this key are refused {REVOCATION_DELAY}.
        </p>
      )}

      <Modal open={confirming} title={`Revoke ${key.name}?`} onClose={() => !revoke.isPending && setConfirming(false)}>
        <p>
          Scripts and jobs using this key are refused {REVOCATION_DELAY} (sellersync checks a key with Clerk at most once a
          minute). A revoked key cannot be turned back on; create a new one if you need it again.
        </p>
        {revoke.isError && (
          <p role="alert" className="form-error">
            Could not revoke the key: {revoke.error.message}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={onConfirm} disabled={revoke.isPending}>
            {revoke.isPending ? 'Revoking…' : 'Revoke key'}
          </button>
        </div>
      </Modal>
    </li>
  )
}

export function KeyListSkeleton() {
  return (
    <ul className="keys" aria-busy="true" aria-label="Loading API keys">
      {[0, 1].map((index) => (
        <li key={index} className="card key skeleton">
          <span className="bone wide" />
          <span className="bone" />
        </li>
      ))}
    </ul>
  )
}
