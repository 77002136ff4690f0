'use client'
import { type FormEvent, useState } from 'react'
import { toast } from 'sonner'
import { type ConnectRequest, useConnectAccount } from '../../lib/api/accounts.ts'
import { Modal } from '../Modal.tsx'
import { providerLabels, regionLabels } from './labels.ts'

/** Picks a provider and region, asks the API for Amazon's consent URL, and sends the browser there. */
export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const connect = useConnectAccount()
  const [redirecting, setRedirecting] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const request = { provider: form.get('provider'), region: form.get('region') } as ConnectRequest
    try {
      const { url } = await connect.mutateAsync(request)
      setRedirecting(true)
      toast.loading('Taking you to Amazon…', { id: 'connect' })
      window.location.assign(url)
    } catch (error) {
      toast.error(`Could not start connecting: ${(error as Error).message}`, { id: 'connect' })
    }
  }

  const busy = connect.isPending || redirecting
  return (
    <Modal open={open} title="Connect an Amazon account" onClose={onClose}>
      <form className="stack" onSubmit={onSubmit}>
        <fieldset>
          <legend>What to connect</legend>
          {(Object.keys(providerLabels) as ConnectRequest['provider'][]).map((provider, index) => (
            <label key={provider} className="radio">
              <input type="radio" name="provider" value={provider} defaultChecked={index === 0} />
              <span>
                {providerLabels[provider]}
                <span className="muted small block">
                  {provider === 'sp_api' ? 'Seller Central: orders, inventory, reports' : 'Advertising profiles and campaigns'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <label>
          Region
          <select name="region" defaultValue="na">
            {(Object.keys(regionLabels) as NonNullable<ConnectRequest['region']>[]).map((region) => (
              <option key={region} value={region}>
                {regionLabels[region]}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">You will sign in on Amazon and approve access; then you come back here.</p>
        <div className="actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Opening Amazon…' : 'Continue to Amazon'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
