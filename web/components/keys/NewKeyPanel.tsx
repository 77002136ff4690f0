'use client'
// The new key's secret, the one time it exists outside Clerk: copy it, try it with curl, then hide it.
import { type Ref, useId, useRef } from 'react'
import { toast } from 'sonner'
import type { CreatedApiKey } from '../../lib/api/api-keys.ts'
import { curlCommand, expiryText } from '../../lib/api-keys.ts'
import { toastError } from '../../lib/toast-error.ts'

type Props = {
  ref: Ref<HTMLElement>
  created: CreatedApiKey
  onDismiss: () => void
}

export function NewKeyPanel({ ref, created, onDismiss }: Props) {
  const { key, secret } = created
  const id = useId()
  const secretRef = useRef<HTMLElement>(null)
  const commandRef = useRef<HTMLElement>(null)
  const command = curlCommand(window.location.origin, secret)

  /** To the clipboard; where the browser refuses, the text is selected for the keyboard's copy instead. */
  async function copy(text: string, element: HTMLElement | null, what: string) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      toast.success(`${what} copied to the clipboard.`, { id: 'api-key-copy' })
    } catch {
      if (element) window.getSelection()?.selectAllChildren(element)
      toastError(`The browser did not allow copying. The ${what.toLowerCase()} is selected: press Ctrl+C (⌘C on a Mac).`, { id: 'api-key-copy' })
    }
  }

  return (
    <section ref={ref} tabIndex={-1} className="card stack secret-panel" aria-labelledby={`${id}-heading`} aria-describedby={`${id}-once`}>
      <h2 id={`${id}-heading`}>Copy your new key “{key.name}”</h2>
      <p id={`${id}-once`} className="secret-warning">
        <strong>You won’t see it again.</strong> sellersync shows a key’s secret only now, when it is created. Store it where your
        script keeps its secrets; if it is lost, revoke the key and create another.
      </p>
      <div className="field">
        <span className="field-label">
          Secret
        </span>
        <div className="copy-row">
          <code ref={secretRef} className="secret">
            {secret}
          </code>
          <button type="button" className="button small" onClick={() => void copy(secret, secretRef.current, 'Key')}>
            Copy key
          </button>
        </div>
      </div>
      <div className="field">
        <span className="field-label">
          Try it: your accounts, with this key
        </span>
        <div className="copy-row">
          <pre className="command">
            <code ref={commandRef}>
              {command}
            </code>
          </pre>
          <button type="button" className="button small" onClick={() => void copy(command, commandRef.current, 'Command')}>
            Copy command
          </button>
        </div>
      </div>
      <p className="muted small">
        Scopes: {key.scopes.join(', ')} · Expires: {expiryText(key.expires_at)}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onDismiss}>
          I’ve stored it — hide the key
        </button>
      </div>
    </section>
  )
}
