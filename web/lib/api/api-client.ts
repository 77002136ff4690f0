'use client'
import { type ClientResponse, hc } from 'hono/client'
import { useMemo } from 'react'
import type { AppType } from '../../../worker/src/app.ts'
import { useAuthState } from '../auth/index.ts'
import { ApiError, networkError } from './api-error.ts'

export type ApiClient = ReturnType<typeof hc<AppType>>

export type AuthorizedFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/**
 * fetch() with the current session token: for the routes the typed client cannot describe (the Amazon proxy's
 * wildcard paths). A request that never reached the server is a networkError, as with the typed client.
 */
export function useAuthorizedFetch(): AuthorizedFetch {
  const { getToken } = useAuthState()
  return useMemo(
    () => async (input: RequestInfo | URL, init?: RequestInit) => {
      const token = await getToken()
      const headers = new Headers(init?.headers)
      if (token) headers.set('authorization', `Bearer ${token}`)
      try {
        return await fetch(input, { ...init, headers })
      } catch (error) {
        if (init?.signal?.aborted) throw error // the caller cancelled: not a network failure
        throw networkError()
      }
    },
    [getToken],
  )
}

/** The typed Hono client for this origin, sending the current session token on every request. */
export function useApiClient(): ApiClient {
  const authorizedFetch = useAuthorizedFetch()
  return useMemo(() => hc<AppType>(window.location.origin, { fetch: authorizedFetch }), [authorizedFetch])
}

type AnyClientResponse = ClientResponse<unknown, number, string>
/** The body type of the 2xx responses among a route's possible responses. */
type SuccessBody<R> = R extends ClientResponse<infer Body, infer Status, string> ? (Status extends 200 | 201 ? Body : Status extends 204 ? undefined : never) : never

/** The body of a successful response, or an ApiError carrying the Worker's error code and message. */
export async function readJson<R extends AnyClientResponse>(response: R): Promise<SuccessBody<R>> {
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as SuccessBody<R>
  throw await apiErrorOf(response)
}

/** The ApiError a failed response stands for: the Worker's `{ error: { code, message, details? } }`, else its status. */
async function apiErrorOf(response: { status: number; json(): Promise<unknown> }): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null
  return new ApiError(
    response.status,
    body?.error?.code ?? 'http_error',
    body?.error?.message ?? `The server answered ${response.status}.`,
    body?.error?.details,
  )
}
