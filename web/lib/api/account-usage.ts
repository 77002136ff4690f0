'use client'
// What the proxy counted for an account (`GET /api/accounts/{id}/usage`): per operation, the calls, the waits
// sellersync added to stay inside Amazon's limits, the 429s (its own and Amazon's) and the token bucket now.
import type { InferResponseType } from 'hono/client'
import { useQuery } from '@tanstack/react-query'
import { amazonKey } from './amazon-proxy.ts'
import { type ApiClient, readJson, useApiClient } from './api-client.ts'

export type AccountUsage = InferResponseType<ApiClient['api']['accounts'][':id']['usage']['$get'], 200>
export type OperationUsage = AccountUsage['operations'][number]

export const accountUsageKey = (accountId: string) => [...amazonKey(accountId), 'usage'] as const

/** The account's usage; the console invalidates it after every send. */
export function useAccountUsage(accountId: string) {
  const api = useApiClient()
  return useQuery({
    queryKey: accountUsageKey(accountId),
    queryFn: async () => readJson(await api.api.accounts[':id'].usage.$get({ param: { id: accountId } })),
  })
}
