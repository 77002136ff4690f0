'use client'
// Confirms a disconnect, and says what it does not do: Amazon keeps sellersync authorized until the seller
// removes the app there (and for an Ads login, removing it there cuts every profile the login connected).
import { useEffect, useRef } from 'react'
import type { Account } from '../../lib/api/accounts.ts'
import { focusSoon } from '../../lib/focus-soon.ts'
import { Modal } from '../Modal.tsx'
import { accountName, amazonAppSettings, amazonIdLabels } from './labels.ts'

export function DisconnectDialog({
  open,
  account,
  name,
  siblings,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean
  account: Account
  name: string
  siblings: Account[]
  pending: boolean
  error: Error | null
  onConfirm: () => void
  onClose: () => void
}) {
  const settings = amazonAppSettings(account)
  const confirm = useRef<HTMLButtonElement>(null)
  // The button was disabled while the request ran, which drops focus: back to it, under the error.
  useEffect(() => {
    if (error) focusSoon(() => confirm.current)
  }, [error])
  return (
    <Modal open={open} title={`Disconnect ${name}?`} onClose={onClose}>
      <p>
        sellersync deletes the stored Amazon tokens for this account and stops renewing them. You can connect it again at
        any time.
      </p>
      <p>
        Amazon keeps sellersync authorized until you remove the app in{' '}
        <a href={settings.href} target="_blank" rel="noopener noreferrer">
          {settings.label}
        </a>
        .
      </p>
      {siblings.length > 0 && (
        <div className="stack-tight">
          <p>
            The same Amazon Ads login also connects {siblings.length === 1 ? 'this profile' : `these ${siblings.length} profiles`}; they
            stay connected here, but removing the app on Amazon ends them too:
          </p>
          <ul className="sibling-list">
            {siblings.map((sibling) => (
              <li key={sibling.id}>
                {accountName(sibling)} <span className="muted">({amazonIdLabels[sibling.provider].toLowerCase()} {sibling.external_id})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          Could not disconnect: {error.message}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose} disabled={pending}>
          Cancel
        </button>
        <button ref={confirm} type="button" className="button danger" onClick={onConfirm} disabled={pending}>
          {pending ? 'Disconnecting…' : 'Disconnect'}
        </button>
      </div>
    </Modal>
  )
}
