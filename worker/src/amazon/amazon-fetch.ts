import { AMAZON_USER_AGENT } from './user-agent.ts'

/** How long the Worker waits for any Amazon endpoint (LWA, SP-API, Ads) before calling it unavailable. */
export const AMAZON_TIMEOUT_MS = 10_000

/** Amazon could not be reached or did not answer in time: retry later. */
export class AmazonUnavailableError extends Error {
  override readonly name = 'AmazonUnavailableError'
  readonly service: string
  constructor(service: string, reason: string) {
    super(`${service} unavailable: ${reason}`)
    this.service = service
  }
}

/**
 * fetch with the Amazon timeout and our User-Agent; network failures and timeouts become
 * AmazonUnavailableError. The error carries no URL or body: both can hold codes and tokens.
 */
export async function fetchAmazon(service: string, url: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers)
  // Set last, so no caller's headers can drop or replace it.
  headers.set('user-agent', AMAZON_USER_AGENT)
  try {
    return await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(AMAZON_TIMEOUT_MS) })
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')
    throw new AmazonUnavailableError(service, timedOut ? 'timed out' : 'network error')
  }
}
