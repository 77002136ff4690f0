/**
 * The URL of an Amazon endpoint. In production `base` is undefined and this is simply
 * `https://{host}{path}`. For local runs `base` is the Amazon stand-in's URL, which serves every
 * Amazon host on one port with the real host name as the first path segment:
 *
 *   amazonUrl(undefined, 'sellingpartnerapi-eu.amazon.com', '/sellers/v1/marketplaceParticipations')
 *     → https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations
 *   amazonUrl('http://127.0.0.1:4010', 'api.amazon.com', '/auth/o2/token')
 *     → http://127.0.0.1:4010/api.amazon.com/auth/o2/token
 *
 * `path` starts with `/` and may carry a query string. An empty `base` counts as unset, and a
 * trailing slash on it is ignored, so a configuration value can be passed straight through.
 */
export function amazonUrl(base: string | undefined, host: string, path: string): string {
  if (!/^[a-z0-9.-]+$/i.test(host)) throw new TypeError(`amazonUrl: not a host name: ${JSON.stringify(host)}`)
  if (!path.startsWith('/')) throw new TypeError(`amazonUrl: path must start with "/": ${JSON.stringify(path)}`)
  const trimmed = base?.replace(/\/+$/, '')
  return trimmed ? `${trimmed}/${host}${path}` : `https://${host}${path}`
}
