// `?redirect=` after sign-in (web/lib/safe-redirect.ts): only somewhere on the dashboard's own origin, however
// the target is spelled. Every accepted answer is checked the way the browser will use it: as an href on the page.
import { describe, expect, it } from 'vitest'
import { safeRedirect } from '../../../web/lib/safe-redirect.ts'

const ORIGIN = 'https://app.sellersync.example'
const FALLBACK = '/accounts/'
const redirect = (target: string | null | undefined) => safeRedirect(target, ORIGIN)

/** Where the browser goes when the app navigates to `href` from one of its pages. */
const landsOn = (href: string) => new URL(href, `${ORIGIN}/sign-in/`)

describe('safeRedirect', () => {
  it('keeps paths of the app, with their query and hash', () => {
    expect(redirect('/accounts/')).toBe('/accounts/')
    expect(redirect('/settings/?tab=profile#email')).toBe('/settings/?tab=profile#email')
    expect(redirect('/accounts/?connected=sp_api')).toBe('/accounts/?connected=sp_api')
    expect(redirect(`${ORIGIN}/settings/`)).toBe('/settings/') // an absolute URL of this origin: its path
  })

  it('falls back when there is no target, or the target is sign-in itself', () => {
    for (const target of [null, undefined, '', '/sign-in/', '/sign-in/?redirect=%2Faccounts%2F', '/./sign-in/']) {
      expect(redirect(target), JSON.stringify(target)).toBe(FALLBACK)
    }
  })

  const offSite = [
    // Absolute and protocol-relative URLs, other schemes.
    'https://evil.example/',
    'http://app.sellersync.example/accounts/', // same host, other scheme: another origin
    'https://app.sellersync.example.evil.example/',
    '//evil.example',
    '//evil.example/accounts/',
    'javascript:alert(document.domain)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    // Tab, newline and carriage return are dropped by the URL parser, so these are `//evil.example`.
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    // Leading C0 controls and spaces are stripped.
    '\u0000//evil.example',
    '\u0001//evil.example',
    '\u001f//evil.example',
    ' //evil.example',
    // A backslash is a slash in http(s) URLs.
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/\t\\evil.example',
    // Dot segments that leave an empty first segment: the parsed path is `//evil.example`.
    '/.//evil.example',
    '/..//evil.example',
    '/accounts/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/.\\/evil.example',
    // Userinfo and ports.
    '//app.sellersync.example@evil.example/',
    'https://app.sellersync.example:8443/',
  ]

  it.each(offSite)('never leaves the origin: %j', (target) => {
    expect(redirect(target)).toBe(FALLBACK)
  })

  it('keeps encoded slashes and backslashes encoded: paths on this origin, not a way off it', () => {
    for (const [target, path] of [
      ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
      ['/%2f%2fevil.example', '/%2f%2fevil.example'],
      ['/%5Cevil.example', '/%5Cevil.example'],
      ['/%5C%5Cevil.example', '/%5C%5Cevil.example'],
      ['/%09/evil.example', '/%09/evil.example'],
    ] as const) {
      expect(redirect(target), target).toBe(path)
    }
  })

  it('answers with the parsed URL, not the input: no control characters or backslashes reach the href', () => {
    expect(redirect('/accounts/\t')).toBe('/accounts/')
    expect(redirect('/acc\nounts/')).toBe('/accounts/')
    expect(redirect('/accounts\\settings/')).toBe('/accounts/settings/')
    expect(redirect('/a b/<x>')).toBe('/a%20b/%3Cx%3E')
    expect(redirect('/accounts/\u0000')).toBe('/accounts/') // trailing C0 controls are stripped too
    expect(redirect('/acc\u0000ounts/')).toBe('/acc%00ounts/')
  })

  it('answers only hrefs that the browser resolves to this origin, for every input above', () => {
    const inputs = [...offSite, '/accounts/', '/%2F%2Fevil.example', '/%5Cevil.example', '/accounts/\t', '/a b/<x>', '\u007f//evil.example', '/\u00a0/evil.example', '/\u3000/evil.example']
    for (const target of inputs) {
      const href = redirect(target)
      expect(href, JSON.stringify(target)).toMatch(/^\/(?![/\\])/)
      expect(landsOn(href).origin, JSON.stringify(target)).toBe(ORIGIN)
      expect(href, JSON.stringify(target)).not.toMatch(/[\u0000-\u001f\u007f\\]/)
    }
  })

  it('works on a local origin with a port, as under `npm run dev`', () => {
    expect(safeRedirect('/accounts/', 'http://localhost:8787')).toBe('/accounts/')
    expect(safeRedirect('http://localhost:8787/settings/', 'http://localhost:8787')).toBe('/settings/')
    expect(safeRedirect('http://localhost:8788/settings/', 'http://localhost:8787')).toBe(FALLBACK)
    expect(safeRedirect('http://127.0.0.1:8787/settings/', 'http://localhost:8787')).toBe(FALLBACK)
  })
})
