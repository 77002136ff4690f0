'use client'
import { type FormEvent, useRef, useState } from 'react'
import { toast } from 'sonner'
import {
  type Account,
  useConnectAccount,
  useDisconnectAccount,
  useMakeDefault,
  useRenameAccount,
  useSyncAccount,
} from '../../lib/api/accounts.ts'
import { accountStatus, longDate } from '../../lib/account-status.ts'
import { useActiveAccount } from '../../lib/active-account.tsx'
import { accountHeadingId, focusSoon } from '../../lib/focus-soon.ts'
import { marketplaceById } from '../../lib/marketplaces.ts'
import { toastError } from '../../lib/toast-error.ts'
import { useNow } from '../../lib/use-now.ts'
import { AccountActivity } from './AccountActivity.tsx'
import { AccountHealth, StatusBadge } from './AccountHealth.tsx'
import { LastSyncFact, ReauthorizeByFact } from './AccountFacts.tsx'
import { DisconnectDialog } from './DisconnectDialog.tsx'
import { accountName, amazonIdLabels, marketplaceLabel, providerLabels, regionLabels } from './labels.ts'

/** Visible text plus the account's name for screen readers: "Sync" is read "Sync EU store" (and still contains "Sync"). */
function Named({ text, name }: { text: string; name: string }) {
  return (
    <>
      {text}
      <span className="visually-hidden"> {name}</span>
    </>
  )
}

export function AccountCard({
  account,
  siblings,
  onRemoved,
}: {
  account: Account
  /** The other accounts of the same Amazon login (an Ads login's other profiles). */
  siblings: Account[]
  /** Moves focus where the seller continues once this card is gone. */
  onRemoved: () => void
}) {
  const sync = useSyncAccount()
  const rename = useRenameAccount()
  const makeDefault = useMakeDefault()
  const disconnect = useDisconnectAccount()
  const connect = useConnectAccount()
  const { account: activeAccount } = useActiveAccount()
  const isSelected = activeAccount?.id === account.id
  const now = useNow()
  const status = accountStatus(account, now)
  const [redirecting, setRedirecting] = useState(false)
  const [renaming, setRenaming] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const syncButton = useRef<HTMLButtonElement>(null)
  const name = accountName(account)
  const headingId = accountHeadingId(account.id)
  const focusHeading = () => focusSoon(() => document.getElementById(headingId))
  const busy = sync.isPending || rename.isPending || makeDefault.isPending || disconnect.isPending || connect.isPending || redirecting

  function onSync() {
    sync.mutate(account.id, {
      onSuccess: () => toast.success(`${name} is up to date.`),
      onError: (error) => toastError(`Sync of ${name} failed: ${error.message}`),
      // The button was disabled while it ran, which drops focus: back to it.
      onSettled: () => focusSoon(() => syncButton.current),
    })
  }

  function closeRename() {
    setRenaming(false)
    focusHeading()
  }

  function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const value = String(new FormData(event.currentTarget).get('display_name') ?? '').trim()
    rename.mutate(
      { id: account.id, displayName: value || null },
      {
        onSuccess: (updated) => {
          closeRename()
          toast.success(value ? `Renamed to “${accountName(updated)}”.` : 'Name cleared.')
        },
        onError: (error) => toastError(`Could not rename ${name}: ${error.message}`),
      },
    )
  }

  function onMakeDefault() {
    makeDefault.mutate(account.id, {
      onSuccess: () => toast.success(`${name} is now your default account.`),
      onError: (error) => toastError(`Could not make ${name} the default: ${error.message}`),
      // The button is gone (or was disabled) and the list reorders: the card's heading.
      onSettled: focusHeading,
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
      toastError(`Could not start reconnecting ${name}: ${(error as Error).message}`, { id: 'connect' })
    }
  }

  function onDisconnect() {
    // mutateAsync, not mutate's callbacks: on success this card leaves the list (unmounts) before they would run.
    // A failure is shown inside the dialog (a toast would sit behind its backdrop).
    disconnect.mutateAsync(account.id).then(
      () => {
        toast.success(`${name} was disconnected.`)
        onRemoved()
      },
      () => {},
    )
  }

  const primary = status.action === 'reconnect' ? 'reconnect' : status.action === 'sync' ? 'sync' : null
  return (
    <li
      className={`card account${isSelected ? ' selected' : ''}${status.needsSeller ? ' needs-seller' : ''}`}
      aria-busy={busy}
      aria-current={isSelected || undefined}
      data-account-id={account.id}
    >
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
              onKeyDown={(event) => event.key === 'Escape' && closeRename()}
            />
            <div className="rename-actions">
              <button type="submit" className="button primary small" disabled={rename.isPending}>
                {rename.isPending ? 'Saving…' : 'Save'}
              </button>
              <button type="button" className="button small" onClick={closeRename} disabled={rename.isPending}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <div className="account-title">
            <div className="name-row">
              <h3 className="account-name" id={headingId} tabIndex={-1}>
                {name}
              </h3>
              <button type="button" className="link-button" onClick={() => setRenaming(true)} disabled={busy}>
                <Named text="Rename" name={name} />
              </button>
            </div>
            <p className="muted small account-context">
              {providerLabels[account.provider]} · {amazonIdLabels[account.provider]} {account.external_id}
            </p>
          </div>
        )}
        <div className="badges">
          <StatusBadge status={status} />
          {account.is_default && <span className="badge">Default</span>}
          {isSelected && <span className="badge current">Selected</span>}
        </div>
      </div>

      <AccountHealth status={status} />
      {primary === 'reconnect' && (
        <div className="account-fix">
          <button type="button" className="button small primary" onClick={() => void onReconnect()} disabled={busy}>
            {connect.isPending || redirecting ? 'Opening Amazon…' : <Named text="Reconnect" name={name} />}
          </button>
        </div>
      )}

      <dl className="facts">
        <div>
          <dt>Region</dt>
          <dd>{regionLabels[account.region]}</dd>
        </div>
        <div>
          <dt>{account.marketplaces.length === 1 ? 'Marketplace' : 'Marketplaces'}</dt>
          <dd>{account.marketplaces.length ? account.marketplaces.map(marketplaceLabel).join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>Connected</dt>
          <dd>
            <time dateTime={account.created_at}>{longDate(account.created_at)}</time>
          </dd>
        </div>
        <ReauthorizeByFact renewal={status.renewal} />
        <LastSyncFact lastSyncAt={account.last_sync_at} now={now} />
      </dl>

      <div className="actions account-actions">
        <button ref={syncButton} type="button" className={primary === 'sync' ? 'button small primary' : 'button small'} onClick={onSync} disabled={busy}>
          {sync.isPending ? 'Syncing…' : <Named text="Sync" name={name} />}
        </button>
        {!account.is_default && (
          <button type="button" className="button small" onClick={onMakeDefault} disabled={busy}>
            {makeDefault.isPending ? 'Saving…' : <Named text="Make default" name={name} />}
          </button>
        )}
        <button
          type="button"
          className="button small danger"
          onClick={() => {
            disconnect.reset()
            setConfirming(true)
          }}
          disabled={busy}
        >
          <Named text="Disconnect" name={name} />
        </button>
      </div>

      <AccountActivity accountId={account.id} accountName={name} />

      <DisconnectDialog
        open={confirming}
        account={account}
        name={name}
        siblings={siblings}
        pending={disconnect.isPending}
        error={disconnect.error}
        onConfirm={onDisconnect}
        onClose={() => !disconnect.isPending && setConfirming(false)}
      />
    </li>
  )
}
