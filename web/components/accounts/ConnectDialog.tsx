'use client'
import { type FormEvent, useState } from 'react'
import { toast } from 'sonner'
import { type ConnectRequest, useConnectAccount } from '../../lib/api/accounts.ts'
import { defaultMarketplaceId, marketplacesInRegion, type Region } from '../../lib/marketplaces.ts'
import { Modal } from '../Modal.tsx'
import { providerLabels, regionLabels } from './labels.ts'

type Provider = ConnectRequest['provider']

/**
 * Picks a provider and region (and for SP-API the marketplace whose Seller Central signs the seller in),
 * asks the API for Amazon's consent URL, and sends the browser there.
 */
export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const connect = useConnectAccount()
  const [redirecting, setRedirecting] = useState(false)
  const [provider, setProvider] = useState<Provider>('sp_api')
  const [region, setRegion] = useState<Region>('na')
  const [marketplace, setMarketplace] = useState(defaultMarketplaceId.na)

  function onRegionChange(next: Region) {
    setRegion(next)
    setMarketplace(defaultMarketplaceId[next])
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const request: ConnectRequest = provider === 'sp_api' ? { provider, region, marketplace } : { provider, region }
    try {
      const { url } = await connect.mutateAsync(request)
      setRedirecting(true)
      toast.loading('Taking you to Amazon…', { id: 'connect' })
      window.location.assign(url)
    } catch {
      // Shown inside the dialog (connect.error below): a toast would sit behind its backdrop.
    }
  }

  const busy = connect.isPending || redirecting
  return (
    <Modal open={open} title="Connect an Amazon account" onClose={onClose}>
      <form className="stack" onSubmit={onSubmit}>
        <fieldset>
          <legend>What to connect</legend>
          {(Object.keys(providerLabels) as Provider[]).map((value) => (
            <label key={value} className="radio">
              <input type="radio" name="provider" value={value} checked={provider === value} onChange={() => setProvider(value)} />
              <span>
                {providerLabels[value]}
                <span className="muted small block">
                  {value === 'sp_api' ? 'Seller Central: orders, inventory, reports' : 'Advertising profiles and campaigns'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <label>
          Region
          <select name="region" value={region} onChange={(event) => onRegionChange(event.target.value as Region)}>
            {(Object.keys(regionLabels) as Region[]).map((value) => (
              <option key={value} value={value}>
                {regionLabels[value]}
              </option>
            ))}
          </select>
        </label>
        {provider === 'sp_api' && (
          <div className="field">
            <label>
              Marketplace
              <select name="marketplace" value={marketplace} onChange={(event) => setMarketplace(event.target.value)} aria-describedby="marketplace-note">
                {marketplacesInRegion(region).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.countryName}
                  </option>
                ))}
              </select>
            </label>
            <p id="marketplace-note" className="muted small">
              Where you sign in to Seller Central. Every marketplace of the account in this region is connected.
            </p>
          </div>
        )}
        <p className="muted small">You will sign in on Amazon and approve access; then you come back here.</p>
        {connect.error && (
          <p className="form-error" role="alert">
            Could not start connecting: {connect.error.message}
          </p>
        )}
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
