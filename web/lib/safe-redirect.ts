/** Only paths inside this app: never an absolute URL or a protocol-relative `//host` (open redirect). */
export function safeRedirect(target: string | null | undefined, fallback = '/accounts/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  if (target.startsWith('/sign-in')) return fallback
  return target
}
