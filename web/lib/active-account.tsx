'use client'
// The account the dashboard works on ("active account"), shared by the top bar's AccountSelector and every
// page. Remembered per user in localStorage; when nothing valid is stored it is the default account, then the
// first one. A choice that no longer exists (disconnected elsewhere) falls back the same way.
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { type Account, useAccountsIfLoaded } from './api/accounts.ts'

export type ActiveAccount = {
  /** The caller's accounts; undefined until loaded. */
  accounts: Account[] | undefined
  /** The active account; null when there are no accounts (or they are still loading). */
  account: Account | null
  setActiveAccountId: (id: string) => void
}

const ActiveAccountContext = createContext<ActiveAccount | null>(null)

export const activeAccountStorageKey = (userId: string) => `sellersync.active-account.${userId}`

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null // storage disabled: the choice lasts until reload
  }
}

/** Picks the active account: the stored choice if it still exists, else the default, else the first. */
export function resolveActiveAccount(accounts: readonly Account[], storedId: string | null): Account | null {
  return accounts.find((a) => a.id === storedId) ?? accounts.find((a) => a.is_default) ?? accounts[0] ?? null
}

export function ActiveAccountProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const key = activeAccountStorageKey(userId)
  const accounts = useAccountsIfLoaded()
  const [storedId, setStoredId] = useState<string | null>(() => readStored(key))

  const setActiveAccountId = useCallback(
    (id: string) => {
      setStoredId(id)
      try {
        localStorage.setItem(key, id)
      } catch {
        // storage disabled or full: keep the choice in memory
      }
    },
    [key],
  )

  const value = useMemo(
    (): ActiveAccount => ({ accounts, account: accounts ? resolveActiveAccount(accounts, storedId) : null, setActiveAccountId }),
    [accounts, storedId, setActiveAccountId],
  )
  return <ActiveAccountContext value={value}>{children}</ActiveAccountContext>
}

export function useActiveAccount(): ActiveAccount {
  const value = useContext(ActiveAccountContext)
  if (!value) throw new Error('useActiveAccount() outside ActiveAccountProvider (the dashboard layout)')
  return value
}
