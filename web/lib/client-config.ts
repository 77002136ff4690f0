// Settings the dashboard gets from the Worker at run time (GET /api/client-config), so one build serves
// every environment: no publishable key or stand-in address is baked into the bundle.
export type ClientConfig = { clerkPublishableKey: string }

let loading: Promise<ClientConfig> | undefined

export function loadClientConfig(): Promise<ClientConfig> {
  loading ??= fetch('/api/client-config').then(async (response) => {
    if (!response.ok) {
      loading = undefined // let a later call try again
      throw new Error(`The dashboard's settings could not be loaded (${response.status}).`)
    }
    return (await response.json()) as ClientConfig
  })
  return loading
}

/** A Clerk publishable key names its Frontend API: pk_test_<base64("clerk.example.com$")>. */
export function frontendApiHost(publishableKey: string): string {
  const encoded = publishableKey.replace(/^pk_(test|live)_/, '')
  return atob(encoded).replace(/\$$/, '')
}
