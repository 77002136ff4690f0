// The dashboard's security and caching headers as the running Worker serves them (web/build/static-headers.ts
// writes them into the export's `_headers`, Workers Static Assets applies them), and the Content-Security-Policy
// violations Chromium reports while the browser tests drive the pages.
import type { BrowserContext } from 'playwright-core'
import { expect } from 'vitest'
import { scriptHashes } from '../../../web/build/static-headers.ts'

/** A CSP header as directive → sources. */
export function parseCsp(header: string): Map<string, string[]> {
  return new Map(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  )
}

export type ServedPage = { status: number; headers: Headers; html: string; csp: Map<string, string[]> }

/**
 * GETs a dashboard page and checks what every page carries: one CSP (not two joined by `_headers` rules), nothing
 * may frame it, no sniffing, the referrer policy, HTML revalidated on every use, and a script-src that allows
 * `'self'`, exactly this page's inline scripts by hash and `extraScriptSources` (nothing inline otherwise).
 */
export async function fetchPage(url: string, extraScriptSources: string[] = []): Promise<ServedPage> {
  const response = await fetch(url, { redirect: 'manual' })
  const html = await response.text()
  const header = response.headers.get('content-security-policy')
  expect(header, url).toBeTruthy()
  const csp = parseCsp(header!)
  expect(header, `${url}: one policy, not two joined by a comma`).not.toContain(',')
  expect(csp.get('frame-ancestors'), url).toEqual(["'none'"])
  expect(csp.get('default-src'), url).toEqual(["'self'"])
  expect(csp.get('object-src'), url).toEqual(["'none'"])
  expect(csp.get('base-uri'), url).toEqual(["'none'"])
  expect(csp.get('script-src'), url).toEqual(["'self'", ...scriptHashes(html), ...extraScriptSources])
  expect(response.headers.get('x-content-type-options'), url).toBe('nosniff')
  expect(response.headers.get('referrer-policy'), url).toBe('strict-origin-when-cross-origin')
  expect(response.headers.get('x-frame-options'), url).toBe('DENY')
  expect(response.headers.get('cache-control'), url).toBe('public, max-age=0, must-revalidate')
  expect(response.headers.get('content-type'), url).toMatch(/^text\/html/)
  return { status: response.status, headers: response.headers, html, csp }
}

/** The hashed /_next/static/ files a page loads: cached for a year, never revalidated. */
export async function expectImmutableAssets(appUrl: string, html: string): Promise<void> {
  const assets = [...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!)
  expect(assets.length).toBeGreaterThan(0)
  for (const asset of new Set(assets)) {
    const response = await fetch(`${appUrl}${asset}`)
    await response.body?.cancel()
    expect(response.status, asset).toBe(200)
    expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable')
    expect(response.headers.get('x-content-type-options'), asset).toBe('nosniff')
  }
}

/**
 * Collects the CSP violations of every page of `context`: each `securitypolicyviolation` event (directive,
 * what was blocked, where) and Chromium's console line for it. A test expects none, except one it provokes.
 */
export async function recordCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = []
  await context.exposeBinding('__reportCspViolation', (_source, line: string) => void violations.push(line))
  // An init script comes through the DevTools protocol, so the page's CSP does not apply to it.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      globalThis.__reportCspViolation(\`\${event.effectiveDirective} refused \${event.blockedURI || 'inline'} on \${event.documentURI} (\${event.disposition})\`)
    })`,
  })
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`)
  })
  return violations
}
