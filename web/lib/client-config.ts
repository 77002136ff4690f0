// Settings the dashboard gets from the Worker at run time (GET /api/client-config), so one build serves
// every environment: no publishable key or stand-in address is baked into the bundle.
import { ApiError, networkError } from './api/api-error.ts'

export type ClientConfig = { clerkPublishableKey: string }

let loading: Promise<ClientConfig> | undefined

/** Fetched once per page load; a failure is not kept, so a retry asks again. */
export function loadClientConfig(): Promise<ClientConfig> {
  loading ??= fetchClientConfig().catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

async function fetchClientConfig(): Promise<ClientConfig> {
  const response = await fetch('/api/client-config').catch(() => {
    throw networkError()
  })
  if (!response.ok) throw new ApiError(response.status, 'client_config_unavailable', `The dashboard's settings could not be loaded (${response.status}).`)
  return (await response.json()) as ClientConfig
}

/** A Clerk publishable key names its Frontend API: pk_test_<base64("clerk.example.com$")>. */
export function frontendApiHost(publishableKey: string): string {
  const encoded = publishableKey.replace(/^pk_(test|live)_/, '')
  return atob(encoded).replace(/\$$/, '')
}
