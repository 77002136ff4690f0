'use client'
import type { InferRequestType, InferResponseType } from 'hono/client'
import { queryOptions, useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query'
import { healthRecheckMs } from '../token-health.ts'
import { type ApiClient, readJson, useApiClient } from './api-client.ts'

type AccountsEndpoint = ApiClient['api']['accounts']
export type Account = InferResponseType<AccountsEndpoint['$get'], 200>['accounts'][number]
export type ConnectRequest = InferRequestType<ApiClient['api']['auth']['amazon']['connect']['$post']>['json']

export const accountsKey = ['accounts'] as const
/** Under accountsKey, so whatever invalidates the accounts also refreshes their activity. */
export const accountEventsKey = (id: string) => [...accountsKey, id, 'events'] as const

/** The caller's accounts, default first. Suspends while loading; errors go to the nearest error boundary. */
export function useAccounts(): Account[] {
  return useSuspenseQuery(useAccountsQueryOptions()).data
}

/** The same list without suspending (undefined while loading or after a failure): for the top bar. */
export function useAccountsIfLoaded(): Account[] | undefined {
  return useQuery(useAccountsQueryOptions()).data
}

function useAccountsQueryOptions() {
  const api = useApiClient()
  return queryOptions({
    queryKey: accountsKey,
    queryFn: async () => (await readJson(await api.api.accounts.$get())).accounts,
    // Tokens are renewed in the background: read again when a renewal or retry is due, so the cards follow.
    refetchInterval: (query) => healthRecheckMs(query.state.data ?? []),
  })
}

/** Puts the server's copy of one account into the cached list; the change is in its activity too. */
function useReplaceAccount() {
  const queryClient = useQueryClient()
  return (account: Account) => {
    queryClient.setQueryData<Account[]>(accountsKey, (accounts) => accounts?.map((a) => (a.id === account.id ? account : a)))
    // Not awaited: the mutation is done; an open Activity list catches up on its own.
    void queryClient.invalidateQueries({ queryKey: accountEventsKey(account.id) })
  }
}

export function useSyncAccount() {
  const api = useApiClient()
  const replace = useReplaceAccount()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) => readJson(await api.api.accounts[':id'].sync.$post({ param: { id } })),
    onSuccess: replace,
    // A failed sync records last_error / status on the account: show what the server now says.
    onError: () => queryClient.invalidateQueries({ queryKey: accountsKey }),
  })
}

export function useRenameAccount() {
  const api = useApiClient()
  const replace = useReplaceAccount()
  return useMutation({
    mutationFn: async ({ id, displayName }: { id: string; displayName: string | null }) =>
      readJson(await api.api.accounts[':id'].$patch({ param: { id }, json: { display_name: displayName } })),
    onSuccess: replace,
  })
}

export function useMakeDefault() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) => readJson(await api.api.accounts[':id'].$patch({ param: { id }, json: { is_default: true } })),
    // Another account stopped being the default and the order changed: read the list again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountsKey }),
  })
}

export function useDisconnectAccount() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) => {
      await readJson(await api.api.accounts[':id'].$delete({ param: { id } }))
      return id
    },
    onSuccess: (id) => {
      queryClient.setQueryData<Account[]>(accountsKey, (accounts) => accounts?.filter((a) => a.id !== id))
      // Not awaited: the account is gone once the DELETE succeeded, and the caller's toast should come with the
      // card's removal, not a list read later.
      void queryClient.invalidateQueries({ queryKey: accountsKey })
    },
  })
}

/** Starts the Amazon consent flow; the caller sends the browser to the returned URL. */
export function useConnectAccount() {
  const api = useApiClient()
  return useMutation({
    mutationFn: async (request: ConnectRequest) => readJson(await api.api.auth.amazon.connect.$post({ json: request })),
  })
}
