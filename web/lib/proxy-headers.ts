// The proxy's headers: the ones the console shows from a response, and the two it sends (the wait budget,
// the restricted data elements). Plain data in and out, so node tests load this without a browser.

/** What the console shows of a response, in this order: Amazon's ids and limits, then sellersync's. */
export const SHOWN_RESPONSE_HEADERS = [
  'x-amzn-RequestId',
  'x-amzn-RateLimit-Limit',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'X-Cache',
  'X-Request-Id',
] as const

/** The headers among SHOWN_RESPONSE_HEADERS the response carries, spelled as listed. */
export function shownHeaders(headers: { get(name: string): string | null }): Array<{ name: string; value: string }> {
  return SHOWN_RESPONSE_HEADERS.flatMap((name) => {
    const value = headers.get(name)
    return value === null ? [] : [{ name, value }]
  })
}

/** `Sellersync-Max-Wait`: how long sellersync may hold a request for a rate-limit token before answering 429. */
export const MAX_WAIT_MS = { min: 0, max: 30_000, default: 2_000 } as const

/** The header's value for what the seller typed: whole milliseconds within the allowed range. */
export function maxWaitHeader(ms: number): string {
  if (!Number.isFinite(ms)) return String(MAX_WAIT_MS.default)
  return String(Math.min(MAX_WAIT_MS.max, Math.max(MAX_WAIT_MS.min, Math.round(ms))))
}

/**
 * `Sellersync-RDT`: the restricted data elements (`buyerInfo,shippingAddress`) sellersync asks a Restricted
 * Data Token for. Spaces and empty items dropped, each once; null when none is left (the header is not sent).
 */
export function dataElementsHeader(input: string): string | null {
  const elements = [...new Set(input.split(',').map((element) => element.trim()).filter(Boolean))]
  return elements.length > 0 ? elements.join(',') : null
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}
