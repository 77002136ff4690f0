'use client'
// The top bar's active-account switch: a native <select>, so keyboard, screen readers and mobile pickers
// work as the platform does (arrows change it, Enter/Space/Alt+Down open the list, Escape closes it).
// Each option says what tells accounts apart (provider, marketplaces, Amazon id), grouped by Amazon login as
// on the Accounts page, and whether the account needs the seller; the name comes first, so the closed
// select still shows which account is selected on a phone.
import { useId } from 'react'
import { accountContext, accountName, groupTitle } from './accounts/labels.ts'
import { groupAccounts } from '../lib/account-groups.ts'
import { accountStatus } from '../lib/account-status.ts'
import { useActiveAccount } from '../lib/active-account.tsx'
import { useNow } from '../lib/use-now.ts'

export function AccountSelector() {
  const { accounts, account, setActiveAccountId } = useActiveAccount()
  const id = useId()
  const now = useNow()
  if (!accounts || accounts.length === 0 || !account) return null
  const statuses = new Map(accounts.map((a) => [a.id, accountStatus(a, now)]))
  const groups = groupAccounts(accounts, (a) => statuses.get(a.id)!)
  return (
    <div className="account-selector">
      <label htmlFor={id} className="account-selector-label">
        Active account
      </label>
      <select id={id} value={account.id} onChange={(event) => setActiveAccountId(event.target.value)}>
        {groups.map((group) => (
          <optgroup key={group.key} label={groupTitle(group)}>
            {group.accounts.map((a) => {
              const status = statuses.get(a.id)!
              const notes = [a.is_default && 'default', status.needsSeller && status.word.toLowerCase()].filter(Boolean)
              return (
                <option key={a.id} value={a.id}>
                  {accountName(a)}
                  {notes.length ? ` (${notes.join(', ')})` : ''} — {accountContext(a)}
                </option>
              )
            })}
          </optgroup>
        ))}
      </select>
    </div>
  )
}
