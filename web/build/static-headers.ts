// The dashboard's response headers on Cloudflare: a `_headers` file in the static export, which Workers Static
// Assets applies to every asset it serves (/api/* runs the Worker, which sets its own). Written after each
// build by ./headers-adapter.ts from the exported pages, so each page's Content-Security-Policy allows exactly
// the inline scripts Next wrote into it (by hash) and nothing else inline.
//
// `_headers` rules: a path line, then indented `Name: value` lines; every rule whose path matches applies, in
// file order, and a second value for the same header is appended (`a, b`: two CSPs, both enforced) unless the
// later rule first detaches it with `! Name`. Cloudflare ignores lines over 2,000 characters and rules past 100.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** Which sign-in the build bundles (NEXT_PUBLIC_AUTH): Clerk's Frontend API, or the local Clerk stand-in. */
export type DashboardAuth = 'clerk' | 'local'

export type HeadersSettings = {
  auth: DashboardAuth
  /**
   * Clerk builds: the Frontend API host the pages may load clerk-js and @clerk/ui from and call, e.g.
   * `clerk.sellersync.example` (a production instance) or `*.clerk.accounts.dev` (any development instance).
   */
  clerkFrontendApi: string
}

/** An exported page: its URL path (`/accounts/`) and its HTML. */
export type ExportedPage = { path: string; html: string }

/** Every Clerk development instance's Frontend API (`<slug>.clerk.accounts.dev`), the default when no host is set. */
export const CLERK_DEVELOPMENT_FRONTEND_API = '*.clerk.accounts.dev'
/** Where Clerk serves user photos (`imageUrl`), uploaded or from a social provider. */
const CLERK_IMAGES = 'https://img.clerk.com'
/** Cloudflare Turnstile, which Clerk's bot protection shows in the sign-up form (script and iframe). */
const TURNSTILE = 'https://challenges.cloudflare.com'
/** The local stand-in's address: the publishable key the Worker hands out names 127.0.0.1 on a free port. */
const LOCAL_STAND_IN = 'http://127.0.0.1:*'

export const MAX_LINE_LENGTH = 2000
export const MAX_RULES = 100

/** A host source for one Frontend API: a DNS name, optionally with a leading `*.` label and a port. */
const FRONTEND_API_HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/

/** The Frontend API host from a build setting: a bare host, or an https URL of one (its host is kept). */
export function clerkFrontendApiHost(setting: string | undefined): string {
  if (!setting?.trim()) return CLERK_DEVELOPMENT_FRONTEND_API
  const host = setting.trim().toLowerCase().replace(/^https:\/\//, '').replace(/\/$/, '')
  if (!FRONTEND_API_HOST.test(host)) {
    throw new Error(`SELLERSYNC_CLERK_FRONTEND_API must be a Clerk Frontend API host such as clerk.example.com, not ${JSON.stringify(setting)}`)
  }
  return host
}

/** The text of each inline (no `src`) script of a page, as the browser hashes it. */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = []
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\ssrc\s*=/i.test(` ${attributes}`)) continue
    // The HTML parser turns CR LF and lone CR into LF before a script's text exists.
    scripts.push(body.replace(/\r\n?/g, '\n'))
  }
  return scripts
}

/** CSP hash sources (`'sha256-…'`) for a page's inline scripts, each once, in page order. */
export function scriptHashes(html: string): string[] {
  const hashes = inlineScripts(html).map((script) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`)
  return [...new Set(hashes)]
}

/**
 * The Content-Security-Policy of a page. What each source is for:
 * - scripts: our own files, the page's inline scripts by hash; Clerk builds: clerk-js and @clerk/ui (and their
 *   chunks) from the Frontend API, Turnstile's script.
 * - styles: our stylesheet, and `'unsafe-inline'` for the `<style>` elements Clerk's CSS-in-JS and sonner insert
 *   at run time (their text is not known at build time; styles cannot run code).
 * - connections: our API (same origin); the Frontend API (Clerk) or the stand-in (local).
 * - images: ours, data: URLs, Clerk's image host. Frames: Turnstile only (Clerk); workers: the blob: timer
 *   worker clerk-js starts. Nothing may frame the dashboard, no plugins, no `<base>`, forms post only here.
 */
export function contentSecurityPolicy(settings: HeadersSettings, hashes: readonly string[]): string {
  const clerk = settings.auth === 'clerk'
  const frontendApi = clerk ? `https://${settings.clerkFrontendApi}` : null
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...hashes, ...(frontendApi ? [frontendApi, TURNSTILE] : [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', ...(clerk ? [CLERK_IMAGES] : [])],
    ['connect-src', "'self'", frontendApi ?? LOCAL_STAND_IN],
    ['frame-src', ...(clerk ? [TURNSTILE] : ["'none'"])],
    ['worker-src', ...(clerk ? ["'self'", 'blob:'] : ["'none'"])],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ]
  return directives.map((directive) => directive.join(' ')).join('; ')
}

/** Headers for every response of the dashboard (the CSP is set per page). */
const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // Other origins (Clerk, Turnstile, Amazon) get the origin only, never a path or query.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // frame-ancestors 'none' for browsers that predate it.
  'X-Frame-Options': 'DENY',
}

/**
 * The `_headers` file for an export. `fallback` is the page unknown paths get (404.html, as
 * `not_found_handling = "404-page"` serves it): its CSP goes on every path; each page whose inline scripts
 * differ replaces it for its own path. Hashed files under /_next/static/ never change: cached for a year.
 * HTML and everything else keep Workers' default `public, max-age=0, must-revalidate` (revalidated each time).
 */
export function headersFile(pages: readonly ExportedPage[], fallback: ExportedPage, settings: HeadersSettings): string {
  const fallbackCsp = contentSecurityPolicy(settings, scriptHashes(fallback.html))
  const lines = [
    '# Written by web/build/headers-adapter.ts after `next build` (web/build/static-headers.ts); not edited by hand.',
    `# ${settings.auth === 'clerk' ? `Clerk build, Frontend API ${settings.clerkFrontendApi}` : 'Local build (the Clerk stand-in)'}.`,
    '/*',
    ...Object.entries(COMMON_HEADERS).map(([name, value]) => `  ${name}: ${value}`),
    `  Content-Security-Policy: ${fallbackCsp}`,
    '',
    '/_next/static/*',
    '  Cache-Control: public, max-age=31536000, immutable',
  ]
  let rules = 2
  for (const page of [...pages].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!/^\/[^*:\s]*$/.test(page.path)) throw new Error(`${page.path}: not a plain URL path for _headers`)
    const csp = contentSecurityPolicy(settings, scriptHashes(page.html))
    if (csp === fallbackCsp) continue
    lines.push('', page.path, '  ! Content-Security-Policy', `  Content-Security-Policy: ${csp}`)
    rules++
  }
  if (rules > MAX_RULES) throw new Error(`_headers would have ${rules} rules; Cloudflare applies the first ${MAX_RULES} only`)
  const long = lines.find((line) => line.length > MAX_LINE_LENGTH)
  if (long) throw new Error(`_headers line of ${long.length} characters (Cloudflare ignores lines over ${MAX_LINE_LENGTH}): ${long.slice(0, 80)}…`)
  return `${lines.join('\n')}\n`
}

/** Where `next build` wrote the export: Next's rule for `output: 'export'` is a custom distDir, else `out`. */
export function exportDirectory(projectDir: string, distDir: string): string {
  return join(projectDir, distDir === '.next' ? 'out' : distDir)
}

/** Every .html file of an export, at the URL path Workers Static Assets serves it (`accounts/index.html` → `/accounts/`). */
export function exportedPages(exportDir: string): ExportedPage[] {
  return readdirSync(exportDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => {
      const path = `/${file.split(sep).join('/')}`.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')
      return { path, html: readFileSync(join(exportDir, file), 'utf8') }
    })
}

/** Writes `<exportDir>/_headers` for the export's pages (the 404 page's policy on every other path); returns its path. */
export function writeHeadersFile(exportDir: string, settings: HeadersSettings): string {
  const pages = exportedPages(exportDir)
  const notFound = pages.find((page) => page.path === '/404')
  if (!notFound) throw new Error(`${relative(process.cwd(), exportDir)} has no 404.html, the page unknown paths get`)
  const path = join(exportDir, '_headers')
  writeFileSync(path, headersFile(pages, notFound, settings))
  return path
}
