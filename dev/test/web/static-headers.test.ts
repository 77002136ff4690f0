// The export's `_headers` (web/build/static-headers.ts, written by web/build/headers-adapter.ts after each
// build): script hashes as browsers compute them, the policy of each build, the settings it accepts, and a file
// Workers Static Assets applies as meant (one policy per page, within Cloudflare's limits). The browser tests
// check the same headers as `wrangler dev` serves them, with no CSP violation in Chromium.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CLERK_DEVELOPMENT_FRONTEND_API,
  clerkFrontendApiHost,
  contentSecurityPolicy,
  type ExportedPage,
  exportDirectory,
  headersFile,
  inlineScripts,
  MAX_LINE_LENGTH,
  scriptHashes,
  writeHeadersFile,
} from '../../../web/build/static-headers.ts'
import { parseCsp } from './security-headers.ts'

const root = new URL('../../../', import.meta.url).pathname
const clerk = { auth: 'clerk', clerkFrontendApi: 'clerk.sellersync.example' } as const
const local = { auth: 'local', clerkFrontendApi: CLERK_DEVELOPMENT_FRONTEND_API } as const

const page = (path: string, ...scripts: string[]): ExportedPage => ({
  path,
  html: `<!DOCTYPE html><html><head><script src="/_next/static/chunks/a.js" async=""></script></head><body>${scripts.map((s) => `<script>${s}</script>`).join('')}</body></html>`,
})

/** `_headers` as rules: path → header lines (as Cloudflare reads it: comments and blank lines skipped). */
function rules(file: string): Map<string, string[]> {
  const parsed = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of file.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue
    if (!line.startsWith(' ')) parsed.set(line, (current = []))
    else current!.push(line.trim())
  }
  return parsed
}

describe('scriptHashes', () => {
  it('hashes each inline script as the browser does (SHA-256 of its UTF-8 text), skipping scripts with src', () => {
    // Expected values from `printf … | openssl dgst -sha256 -binary | base64`.
    expect(scriptHashes('<script src="/x.js"></script><script>(self.__next_f=self.__next_f||[]).push([0])</script>')).toEqual([
      "'sha256-OBTN3RiyCV4Bq7dFqZ5a2pAXjnCcCYeTJMO2I/LYKeo='",
    ])
    expect(scriptHashes('<script id="_R_">x="Loading…"</script>')).toEqual(["'sha256-WLEx1VD+HqAwzFIi1Yk//63JpvenjN5F08LPoYEGwmA='"])
    // The HTML parser reads CR LF as LF before the script's text exists.
    expect(scriptHashes('<script>a\r\nb</script>')).toEqual(scriptHashes('<script>a\nb</script>'))
    expect(scriptHashes('<script>a\nb</script>')).toEqual(["'sha256-fhj3NzEbLcOy8mndeDlrA1HxT7Zu+oefdoyyMYGIPHg='"])
  })

  it('lists a script once however often it occurs, and finds scripts with attributes, in any case', () => {
    expect(scriptHashes('<script>a</script><script>a</script>')).toHaveLength(1)
    expect(inlineScripts('<SCRIPT type="module">b</SCRIPT ><script nomodule src=/c.js></script><script\nid=x>d</script>')).toEqual(['b', 'd'])
    expect(scriptHashes('<p>no scripts</p>')).toEqual([])
  })
})

describe('contentSecurityPolicy', () => {
  const hashes = ["'sha256-AAAA'", "'sha256-BBBB'"]

  it('Clerk builds: scripts from us, by hash, from the Frontend API and Turnstile; calls to us and the Frontend API', () => {
    const csp = parseCsp(contentSecurityPolicy(clerk, hashes))
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", ...hashes, 'https://clerk.sellersync.example', 'https://challenges.cloudflare.com'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'https://img.clerk.com'],
      'connect-src': ["'self'", 'https://clerk.sellersync.example'],
      'frame-src': ['https://challenges.cloudflare.com'],
      'worker-src': ["'self'", 'blob:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    })
  })

  it('local builds: no Clerk host at all; calls to us and the stand-in on 127.0.0.1; no frames, no workers', () => {
    const csp = parseCsp(contentSecurityPolicy(local, hashes))
    expect(csp.get('script-src')).toEqual(["'self'", ...hashes])
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:*'])
    expect(csp.get('img-src')).toEqual(["'self'", 'data:'])
    expect(csp.get('frame-src')).toEqual(["'none'"])
    expect(csp.get('worker-src')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(contentSecurityPolicy(local, hashes)).not.toMatch(/clerk|cloudflare/)
  })

  it('never allows inline scripts or eval wholesale, nor any host or scheme as a whole', () => {
    for (const settings of [clerk, local]) {
      const csp = parseCsp(contentSecurityPolicy(settings, hashes))
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", 'data:', 'blob:']) expect(csp.get('script-src')).not.toContain(unsafe)
      for (const [directive, sources] of csp) {
        for (const wide of ['*', 'https:', 'http:', 'https://*', 'http://*']) expect(sources, directive).not.toContain(wide)
      }
    }
  })
})

describe('clerkFrontendApiHost (SELLERSYNC_CLERK_FRONTEND_API)', () => {
  it('defaults to every Clerk development instance, and takes a host or an https URL of one', () => {
    expect(clerkFrontendApiHost(undefined)).toBe('*.clerk.accounts.dev')
    expect(clerkFrontendApiHost('  ')).toBe('*.clerk.accounts.dev')
    expect(clerkFrontendApiHost('clerk.sellersync.example')).toBe('clerk.sellersync.example')
    expect(clerkFrontendApiHost('https://Clerk.Sellersync.example/')).toBe('clerk.sellersync.example')
    expect(clerkFrontendApiHost('sellersync-staging.clerk.accounts.dev')).toBe('sellersync-staging.clerk.accounts.dev')
  })

  it('refuses anything that is not one host: no scheme but https, no path, no second source or directive', () => {
    for (const setting of ['*', 'https://*', 'http://clerk.example.com', 'clerk.example.com/npm', 'clerk.example.com; script-src *', 'clerk.example.com https://evil.example', "'unsafe-inline'", 'localhost', '*.com.']) {
      expect(() => clerkFrontendApiHost(setting), setting).toThrow(/SELLERSYNC_CLERK_FRONTEND_API/)
    }
  })
})

describe('headersFile', () => {
  const notFound = page('/404', 'self.__next_f.push([1,"404"])')
  const pages = [notFound, page('/accounts/', 'self.__next_f.push([1,"accounts"])'), page('/', 'self.__next_f.push([1,"home"])'), page('/404/', 'self.__next_f.push([1,"404"])')]

  it('sets the common headers and the 404 page’s CSP on every path, and caches /_next/static/ for a year', () => {
    const file = rules(headersFile(pages, notFound, clerk))
    expect([...file.keys()]).toEqual(['/*', '/_next/static/*', '/', '/accounts/']) // /404 and /404/ share the fallback's policy
    expect(file.get('/*')).toEqual([
      'X-Content-Type-Options: nosniff',
      'Referrer-Policy: strict-origin-when-cross-origin',
      'X-Frame-Options: DENY',
      `Content-Security-Policy: ${contentSecurityPolicy(clerk, scriptHashes(notFound.html))}`,
    ])
    expect(file.get('/_next/static/*')).toEqual(['Cache-Control: public, max-age=31536000, immutable'])
  })

  it('gives each page its own CSP, detaching the fallback’s first so the two are not joined into two policies', () => {
    const file = rules(headersFile(pages, notFound, local))
    expect(file.get('/accounts/')).toEqual(['! Content-Security-Policy', `Content-Security-Policy: ${contentSecurityPolicy(local, scriptHashes(pages[1]!.html))}`])
    expect(file.get('/accounts/')![1]).toContain(scriptHashes('<script>self.__next_f.push([1,"accounts"])</script>')[0])
    expect(file.get('/accounts/')![1]).not.toContain(scriptHashes(notFound.html)[0])
  })

  it('refuses what Cloudflare would silently drop: lines over 2,000 characters, more than 100 rules, paths with placeholders', () => {
    const many = Array.from({ length: 99 }, (_, i) => page(`/p${i}/`, `s${i}`))
    expect(() => headersFile(many, notFound, local)).toThrow(/101 rules/)
    const huge = page('/huge/', ...Array.from({ length: 40 }, (_, i) => `script ${i}`))
    expect(() => headersFile([huge], notFound, local)).toThrow(new RegExp(`over ${MAX_LINE_LENGTH}`))
    expect(() => headersFile([page('/:id/', 'x')], notFound, local)).toThrow(/not a plain URL path/)
    expect(() => headersFile([page('/a*/', 'x')], notFound, local)).toThrow(/not a plain URL path/)
  })
})

describe('writeHeadersFile (what the build adapter runs after the export)', () => {
  let projectDir: string | undefined
  afterEach(() => {
    if (projectDir) rmSync(projectDir, { recursive: true, force: true })
  })

  /** A fake export under a fresh project directory, as `next build` leaves it for `distDir`. */
  function fakeExport(distDir: string): string {
    projectDir = mkdtempSync(join(tmpdir(), 'sellersync-headers-'))
    const exportDir = exportDirectory(projectDir, distDir)
    mkdirSync(join(exportDir, 'accounts'), { recursive: true })
    mkdirSync(join(exportDir, '404'))
    writeFileSync(join(exportDir, '404.html'), page('/404', 'not found').html)
    writeFileSync(join(exportDir, '404', 'index.html'), page('/404/', 'not found').html)
    writeFileSync(join(exportDir, 'index.html'), page('/', 'home').html)
    writeFileSync(join(exportDir, 'accounts', 'index.html'), page('/accounts/', 'accounts').html)
    return exportDir
  }

  it('writes _headers into the export (web/out for the default distDir), one rule per page at its URL path', () => {
    const exportDir = fakeExport('.next')
    expect(exportDir).toBe(join(projectDir!, 'out'))
    const written = writeHeadersFile(exportDir, local)
    expect(written).toBe(join(exportDir, '_headers'))
    const file = rules(readFileSync(written, 'utf8'))
    expect([...file.keys()]).toEqual(['/*', '/_next/static/*', '/', '/accounts/'])
    expect(file.get('/*')!.at(-1)).toContain(scriptHashes('<script>not found</script>')[0])
    expect(file.get('/accounts/')!.at(-1)).toContain(scriptHashes('<script>accounts</script>')[0])
  })

  it('follows a custom distDir, the export destination (web/out-clerk)', () => {
    const exportDir = fakeExport('out-clerk')
    expect(exportDir).toBe(join(projectDir!, 'out-clerk'))
    expect(readFileSync(writeHeadersFile(exportDir, clerk), 'utf8')).toContain("connect-src 'self' https://clerk.sellersync.example;")
  })

  it('fails the build when the export has no 404 page to take the policy of unknown paths from', () => {
    const exportDir = fakeExport('.next')
    rmSync(join(exportDir, '404.html'))
    expect(() => writeHeadersFile(exportDir, local)).toThrow(/no 404\.html/)
  })
})

describe.each([
  ['web/out', 'local'],
  ['web/out-clerk', 'clerk'],
] as const)('the %s build', (dir, auth) => {
  it.skipIf(!existsSync(join(root, dir, '_headers')))(`has a _headers with a rule for each page whose inline scripts differ from the 404 page's (${auth})`, () => {
    const file = readFileSync(join(root, dir, '_headers'), 'utf8')
    expect(file).toContain(auth === 'clerk' ? '# Clerk build' : '# Local build')
    const parsed = rules(file)
    for (const path of ['/', '/accounts/', '/settings/', '/sign-in/', '/sign-up/']) {
      const html = readFileSync(join(root, dir, path, 'index.html'), 'utf8')
      const csp = parseCsp((parsed.get(path) ?? parsed.get('/*')!).find((line) => line.startsWith('Content-Security-Policy: '))!.slice(25))
      for (const hash of scriptHashes(html)) expect(csp.get('script-src'), path).toContain(hash)
    }
    for (const line of file.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE_LENGTH)
  })
})
