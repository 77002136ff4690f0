/**
 * Where to go after signing in: `target` as the browser would read it on this page, if that stays on `origin`,
 * else `fallback` (open redirect). Prefix checks on the raw string miss what the URL parser does: it drops
 * tabs and newlines (`/\t/evil.example`), reads `\` as `/`, strips leading control characters and resolves
 * dot segments (`/.//evil.example` → path `//evil.example`). So the target is resolved with `new URL`, must
 * keep the origin, and what is returned is that parsed URL's path + query + hash, never the input string;
 * a path that begins with `//` (protocol-relative once used as an href) is refused too.
 */
export function safeRedirect(target: string | null | undefined, origin: string, fallback = '/accounts/'): string {
  if (!target) return fallback
  let url: URL
  try {
    url = new URL(target, origin)
  } catch {
    return fallback
  }
  if (url.origin !== new URL(origin).origin) return fallback
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/sign-in')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
