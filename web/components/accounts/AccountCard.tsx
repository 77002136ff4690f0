'use client'
import { type FormEvent, useState } from 'react'
import { toast } from 'sonner'
import {
  type Account,
  useConnectAccount,
  useDisconnectAccount,
  useMakeDefault,
  useRenameAccount,
  useSyncAccount,
} from '../../lib/api/accounts.ts'
import { useActiveAccount } from '../../lib/active-account.tsx'
import { marketplaceById } from '../../lib/marketplaces.ts'
import { Modal } from '../Modal.tsx'
import { timeAgo } from '../../lib/relative-time.ts'
import { useNow } from '../../lib/use-now.ts'
import { AccountActivity } from './AccountActivity.tsx'
import { AccountHealth } from './AccountHealth.tsx'
import { accountName, marketplaceLabel, providerLabels, regionLabels, statusLabels } from './labels.ts'
import { accountNotices } from './notices.ts'

export function AccountCard({ account }: { account: Account }) {
  const sync = useSyncAccount()
  const rename = useRenameAccount()
  const makeDefault = useMakeDefault()
  const disconnect = useDisconnectAccount()
  const connect = useConnectAccount()
  const { account: activeAccount } = useActiveAccount()
  const isActive = activeAccount?.id === account.id
  const now = useNow()
  const notices = accountNotices(account, now)
  const [redirecting, setRedirecting] = useState(false)
  const [renaming, setRenaming] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const name = accountName(account)
  const busy = sync.isPending || rename.isPending || makeDefault.isPending || disconnect.isPending || connect.isPending || redirecting

  function onSync() {
    sync.mutate(account.id, {
      onSuccess: () => toast.success(`${name} is up to date.`),
      onError: (error) => toast.error(`Sync failed: ${error.message}`),
    })
  }

  function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const value = String(new FormData(event.currentTarget).get('display_name') ?? '').trim()
    rename.mutate(
      { id: account.id, displayName: value || null },
      {
        onSuccess: (updated) => {
          setRenaming(false)
          toast.success(value ? `Renamed to “${accountName(updated)}”.` : 'Name cleared.')
        },
        onError: (error) => toast.error(`Could not rename: ${error.message}`),
      },
    )
  }

  function onMakeDefault() {
    makeDefault.mutate(account.id, {
      onSuccess: () => toast.success(`${name} is now your default account.`),
      onError: (error) => toast.error(`Could not make it the default: ${error.message}`),
    })
  }

  /** Same provider and region (and, for SP-API, the same Seller Central marketplace): Amazon's consent again. */
  async function onReconnect() {
    const marketplace = account.provider === 'sp_api' ? account.marketplaces.find((id) => marketplaceById(id)?.region === account.region) : undefined
    try {
      const { url } = await connect.mutateAsync({ provider: account.provider, region: account.region, ...(marketplace ? { marketplace } : {}) })
      setRedirecting(true)
      toast.loading('Taking you to Amazon…', { id: 'connect' })
      window.location.assign(url)
    } catch (error) {
      toast.error(`Could not start reconnecting: ${(error as Error).message}`, { id: 'connect' })
    }
  }

  function onDisconnect() {
    // mutateAsync, not mutate's callbacks: on success this card leaves the list (unmounts) before they would run.
    disconnect.mutateAsync(account.id).then(
      () => toast.success(`${name} was disconnected.`),
      (error: Error) => toast.error(`Could not disconnect: ${error.message}`),
    )
  }

  return (
    <li className={isActive ? 'card account active' : 'card account'} aria-busy={busy} aria-current={isActive || undefined} data-account-id={account.id}>
      <div className="account-head">
        {renaming ? (
          <form className="rename" onSubmit={onRename}>
            <label className="visually-hidden" htmlFor={`name-${account.id}`}>
              Account name
            </label>
            <input
              id={`name-${account.id}`}
              name="display_name"
              defaultValue={account.display_name ?? ''}
              placeholder={name}
              maxLength={100}
              autoFocus
              onKeyDown={(event) => event.key === 'Escape' && setRenaming(false)}
            />
            <button type="submit" className="button primary small" disabled={rename.isPending}>
              {rename.isPending ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="button small" onClick={() => setRenaming(false)} disabled={rename.isPending}>
              Cancel
            </button>
          </form>
        ) : (
          <h3 className="account-name">{name}</h3>
        )}
        <div className="badges">
          {isActive && <span className="badge current">Active in dashboard</span>}
          {account.is_default && <span className="badge">Default</span>}
          <span className={`badge status-${account.status}`}>{statusLabels[account.status]}</span>
        </div>
      </div>

      <dl className="facts">
        <div>
          <dt>Provider</dt>
          <dd>{providerLabels[account.provider]}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{regionLabels[account.region]}</dd>
        </div>
        <div>
          <dt>Marketplaces</dt>
          <dd>{account.marketplaces.length ? account.marketplaces.map(marketplaceLabel).join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{account.last_sync_at ? <time dateTime={account.last_sync_at}>{timeAgo(account.last_sync_at, now)}</time> : 'Never'}</dd>
        </div>
      </dl>
      <AccountHealth notices={notices} />

      <div className="actions wrap">
        {notices.needsReconnect && (
          <button type="button" className="button small primary" onClick={() => void onReconnect()} disabled={busy}>
            {connect.isPending || redirecting ? 'Opening Amazon…' : 'Reconnect'}
          </button>
        )}
        <button type="button" className="button small" onClick={onSync} disabled={busy}>
          {sync.isPending ? 'Syncing…' : 'Sync'}
        </button>
        <button type="button" className="button small" onClick={() => setRenaming(true)} disabled={busy || renaming}>
          Rename
        </button>
        {!account.is_default && (
          <button type="button" className="button small" onClick={onMakeDefault} disabled={busy}>
            {makeDefault.isPending ? 'Saving…' : 'Make default'}
          </button>
        )}
        <button type="button" className="button small danger" onClick={() => setConfirming(true)} disabled={busy}>
          Disconnect
        </button>
      </div>

      <AccountActivity accountId={account.id} />

      <Modal open={confirming} title={`Disconnect ${name}?`} onClose={() => !disconnect.isPending && setConfirming(false)}>
        <p>
          sellersync deletes the stored Amazon tokens for this account and stops refreshing them. You can connect it again
          at any time.
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={() => setConfirming(false)} disabled={disconnect.isPending}>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={onDisconnect} disabled={disconnect.isPending}>
            {disconnect.isPending ? 'Disconnecting…' : 'Disconnect'}
          </button>
        </div>
      </Modal>
    </li>
  )
}
