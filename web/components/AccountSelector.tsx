'use client'
// The top bar's active-account switch: a native <select>, so keyboard, screen readers and mobile pickers
// work as the platform does (arrows change it, Enter/Space/Alt+Down open the list, Escape closes it).
import { useId } from 'react'
import { accountName } from './accounts/labels.ts'
import { useActiveAccount } from '../lib/active-account.tsx'

export function AccountSelector() {
  const { accounts, account, setActiveAccountId } = useActiveAccount()
  const id = useId()
  if (!accounts || accounts.length === 0 || !account) return null
  return (
    <div className="account-selector">
      <label htmlFor={id} className="account-selector-label">
        Active account
      </label>
      <select id={id} value={account.id} onChange={(event) => setActiveAccountId(event.target.value)}>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {accountName(a)}
            {a.is_default ? ' (default)' : ''}
          </option>
        ))}
      </select>
    </div>
  )
}
