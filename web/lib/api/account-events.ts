'use client'
import type { InferResponseType } from 'hono/client'
import { useSuspenseQuery } from '@tanstack/react-query'
import { type ApiClient, readJson, useApiClient } from './api-client.ts'
import { accountEventsKey } from './accounts.ts'

export type AccountEvent = InferResponseType<ApiClient['api']['accounts'][':id']['events']['$get'], 200>['events'][number]

/** An account's newest 20 events, newest first. Suspends while loading; errors go to the nearest error boundary. */
export function useAccountEvents(id: string): AccountEvent[] {
  const api = useApiClient()
  return useSuspenseQuery({
    queryKey: accountEventsKey(id),
    queryFn: async () => (await readJson(await api.api.accounts[':id'].events.$get({ param: { id } }))).events,
  }).data
}
