/** The request headers through which a caller steers the proxy (documented in the README and OpenAPI). */
export const MAX_WAIT_HEADER = 'Sellersync-Max-Wait'
export const RDT_HEADER = 'Sellersync-RDT'

/** Without the header, a call waits up to this long for its operation's bucket. */
export const DEFAULT_MAX_WAIT_MS = 2_000
export const MAX_WAIT_LIMIT_MS = 30_000
/** The longest edge-cache age a caller may ask for. */
export const MAX_CACHE_AGE_S = 300

export type ProxyOptions = {
  maxWaitMs: number
  /** Seconds a cached answer may be old; 0 = do not use or fill the cache. */
  cacheMaxAgeS: number
  /** The `Sellersync-RDT` value split on commas, or undefined when not sent. */
  restrictedData: string[] | undefined
}

export type HeaderProblem = { header: string; message: string }

/** Reads the steering headers; a malformed one is a problem naming it, never silently ignored. */
export function proxyOptions(headers: Headers, method: string): ProxyOptions | HeaderProblem {
  const wait = headers.get(MAX_WAIT_HEADER)
  let maxWaitMs = DEFAULT_MAX_WAIT_MS
  if (wait !== null) {
    if (!/^\d{1,5}$/.test(wait.trim()) || Number(wait) > MAX_WAIT_LIMIT_MS) {
      return { header: MAX_WAIT_HEADER, message: `${MAX_WAIT_HEADER} must be a whole number of milliseconds from 0 to ${MAX_WAIT_LIMIT_MS}.` }
    }
    maxWaitMs = Number(wait)
  }

  let cacheMaxAgeS = 0
  const cacheControl = headers.get('cache-control')
  if (cacheControl !== null && method === 'GET') {
    const directives = cacheControl.toLowerCase().split(',').map((directive) => directive.trim())
    const maxAge = directives.find((directive) => directive.startsWith('max-age'))
    if (maxAge !== undefined && !directives.includes('no-cache') && !directives.includes('no-store')) {
      const seconds = /^max-age=(\d{1,6})$/.exec(maxAge)?.[1]
      if (seconds === undefined || Number(seconds) > MAX_CACHE_AGE_S) {
        return { header: 'Cache-Control', message: `Cache-Control max-age must be a whole number of seconds from 0 to ${MAX_CACHE_AGE_S}.` }
      }
      cacheMaxAgeS = Number(seconds)
    }
  }

  const restricted = headers.get(RDT_HEADER)
  let restrictedData: string[] | undefined
  if (restricted !== null) {
    restrictedData = restricted.split(',').map((element) => element.trim())
    if (restrictedData.some((element) => !/^[A-Za-z]{1,64}$/.test(element))) {
      return { header: RDT_HEADER, message: `${RDT_HEADER} must be a comma-separated list of data elements (e.g. buyerInfo,shippingAddress), or true.` }
    }
  }
  return { maxWaitMs, cacheMaxAgeS, restrictedData }
}
