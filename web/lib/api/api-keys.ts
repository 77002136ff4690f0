'use client'
// The signed-in user's API keys (`/api/keys`, session only): the Worker's own endpoints over Clerk's Backend API,
// since Clerk's browser API cannot give a key scopes. The secret comes once, in the answer to a create.
import type { InferRequestType, InferResponseType } from 'hono/client'
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query'
import { type ApiClient, readJson, useApiClient } from './api-client.ts'

type KeysEndpoint = ApiClient['api']['keys']
export type ApiKey = InferResponseType<KeysEndpoint['$get'], 200>['keys'][number]
export type NewApiKeyRequest = InferRequestType<KeysEndpoint['$post']>['json']
export type CreatedApiKey = InferResponseType<KeysEndpoint['$post'], 201>

export const apiKeysKey = ['api-keys'] as const

/** The user's keys, newest first, revoked and expired ones included. Suspends; errors go to the nearest boundary. */
export function useApiKeys(): ApiKey[] {
  const api = useApiClient()
  return useSuspenseQuery({
    queryKey: apiKeysKey,
    queryFn: async () => (await readJson(await api.api.keys.$get())).keys,
  }).data
}

/**
 * Creates a key; the answer's `secret` is the only copy there will ever be. gcTime 0: once the page has taken the
 * secret (and reset the mutation), it does not linger in the mutation cache.
 */
export function useCreateApiKey() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    gcTime: 0,
    mutationFn: async (request: NewApiKeyRequest): Promise<CreatedApiKey> => readJson(await api.api.keys.$post({ json: request })),
    onSuccess: ({ key }) => {
      queryClient.setQueryData<ApiKey[]>(apiKeysKey, (keys) => (keys ? [key, ...keys.filter((k) => k.id !== key.id)] : keys))
      // Not awaited: the secret is shown at once; the list catches up on its own.
      void queryClient.invalidateQueries({ queryKey: apiKeysKey })
    },
  })
}

/** Revokes one of the user's keys; requests with it are refused within 60 s (the Worker caches a check a minute). */
export function useRevokeApiKey() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) => (await readJson(await api.api.keys[':id'].revoke.$post({ param: { id } }))).key,
    onSuccess: (key) => {
      queryClient.setQueryData<ApiKey[]>(apiKeysKey, (keys) => keys?.map((k) => (k.id === key.id ? key : k)))
      void queryClient.invalidateQueries({ queryKey: apiKeysKey })
    },
  })
}
