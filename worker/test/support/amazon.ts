import { SELF } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { inject } from 'vitest'
import { signIn, signedWebhook } from './clerk.ts'

const bindings = env as unknown as Record<string, string>

/** Calls the Amazon stand-in's test controls (`/__control/…`), e.g. to queue a fault or the next seller. */
export async function amazonControl<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${inject('amazonUrl')}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`Amazon stand-in control ${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** A seller with a random merchant token who approves the next SP-API consent. */
export async function nextSeller(marketplaceIds: string[] = ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2']) {
  const { seller } = await amazonControl<{ seller: { sellingPartnerId: string; marketplaceIds: string[]; storeName: string } }>(
    'POST',
    '/next-seller',
    { marketplaceIds },
  )
  return seller
}

/** Queues a fault (`error`, `hang`, `throttle`, or an LWA OAuth error) for the next request(s) to a target. */
export function injectFault(fault: {
  kind: 'error' | 'hang' | 'throttle' | 'lwa_error'
  target: string
  count?: number
  status?: 500 | 503
  ms?: number
  error?: 'invalid_client' | 'unauthorized_client' | 'invalid_grant' | 'invalid_request'
}) {
  return amazonControl('POST', '/faults', fault)
}

/** How many requests the stand-in has seen matching a filter (e.g. grantType=refresh_token). */
export async function countAmazonRequests(filter: Record<string, string>): Promise<number> {
  return (await amazonControl<{ count: number }>('GET', `/requests?${new URLSearchParams(filter)}`)).count
}

/**
 * A person on Amazon's consent page: loads it (it must render), then clicks Approve or Deny.
 * Returns where Amazon sends the browser: the app's callback URL with Amazon's parameters.
 */
export async function decideConsent(consentUrl: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
  const page = await fetch(consentUrl)
  const html = await page.text()
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 500)}`)
  const response = await fetch(consentUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision }),
    redirect: 'manual',
  })
  const location = response.headers.get('location')
  if (response.status !== 302 || !location) throw new Error(`consent decision answered ${response.status}`)
  return location
}

/** A Clerk user whose row has arrived through the webhook, with a session token for the API. */
export async function syncedUser() {
  const signedIn = await signIn()
  const delivery = signedWebhook(bindings.CLERK_WEBHOOK_SECRET!, { type: 'user.created', data: signedIn.user })
  const response = await SELF.fetch('http://localhost/api/webhooks/clerk', { method: 'POST', headers: delivery.headers, body: delivery.body })
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
  return signedIn
}

/** A client address of its own per test, so the callback's per-IP rate limit never couples tests. */
export function randomIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3))
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

export type Connected = { location: string; cookie: string }

/** POST /api/auth/amazon/connect as the user; returns the consent URL and the nonce cookie (name=value). */
export async function startConnect(token: string, body: unknown) {
  const response = await SELF.fetch('http://localhost/api/auth/amazon/connect', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const setCookie = response.headers.get('set-cookie') ?? ''
  return { response, cookie: setCookie.split(';')[0] ?? '', setCookie }
}

/** The browser arriving at the callback (no session), with its cookie header; never follows the redirect. */
export function callback(location: string, cookie: string | undefined) {
  const url = new URL(location)
  const headers: Record<string, string> = { 'cf-connecting-ip': randomIp() }
  if (cookie) headers.cookie = cookie
  return SELF.fetch(`http://localhost${url.pathname}${url.search}`, { headers, redirect: 'manual' })
}

/** Connect, approve and come back: the whole SP-API flow for a fresh seller. Returns the new account id. */
export async function connectSeller(token: string, marketplaceIds?: string[]) {
  const seller = await nextSeller(marketplaceIds)
  const { response, cookie } = await startConnect(token, { provider: 'sp_api', marketplace: (marketplaceIds ?? ['ATVPDKIKX0DER'])[0] })
  const { url } = (await response.json()) as { url: string }
  const back = await callback(await decideConsent(url), cookie)
  const target = new URL(back.headers.get('location')!)
  const accountId = target.searchParams.get('connected')
  if (!accountId) throw new Error(`connect failed: ${target.search}`)
  return { accountId, seller }
}
