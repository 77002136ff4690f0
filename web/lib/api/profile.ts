'use client'
import { useSuspenseQuery } from '@tanstack/react-query'
import { readJson, useApiClient } from './api-client.ts'

/** The signed-in user's profile as the Worker has it (synced from Clerk by webhook). Suspends while loading. */
export function useProfile() {
  const api = useApiClient()
  return useSuspenseQuery({ queryKey: ['me'], queryFn: async () => readJson(await api.api.me.$get()) }).data
}
