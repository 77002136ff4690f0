import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Clerk serves its browser bundles from every Frontend API host, like a CDN:
 *   /npm/@clerk/clerk-js@<version>/dist/clerk.browser.js   (what @clerk/react loads first)
 *   /npm/@clerk/ui@<version>/dist/ui.browser.js            (the prebuilt components, <SignIn/> etc.)
 * and their lazily loaded chunks beside them (webpack loads them relative to the script's own URL).
 * `<version>` is what @clerk/react asks for: the major (`6`, `1`), or a full version or tag. The stand-in
 * serves the copies installed as devDependencies (@clerk/clerk-js, @clerk/ui), for any version of the
 * same major, as Clerk's CDN resolves a major to the newest release of it.
 */
const root = new URL('../../../', import.meta.url).pathname
const PACKAGES = { 'clerk-js': '@clerk/clerk-js', ui: '@clerk/ui' } as const
const BUNDLE_PATH = /^\/npm\/@clerk\/(clerk-js|ui)@([^/]+)\/dist\/([A-Za-z0-9][A-Za-z0-9._-]*\.(?:js|css|map))$/

export type BundleFile = { body: Buffer; contentType: string }

export function isBundlePath(pathname: string): boolean {
  return pathname.startsWith('/npm/@clerk/')
}

const installedVersions = new Map<string, Promise<string>>()

function installedVersion(name: string): Promise<string> {
  let version = installedVersions.get(name)
  if (!version) {
    version = readFile(join(root, 'node_modules', name, 'package.json'), 'utf8').then((text) => (JSON.parse(text) as { version: string }).version)
    installedVersions.set(name, version)
  }
  return version
}

/** Whether a requested version (`6`, `6.40`, `6.40.0`, `latest`) is satisfied by the installed one. */
export function versionMatches(requested: string, installed: string): boolean {
  if (requested === 'latest' || requested === installed) return true
  const wanted = requested.replace(/^[\^~v]/, '').split('.')
  const have = installed.split('.')
  return wanted.length < 3 && wanted.every((part, index) => part === have[index])
}

/** The file for a bundle path, or null when no installed package version or file matches. */
export async function readBundleFile(pathname: string): Promise<BundleFile | null> {
  const match = BUNDLE_PATH.exec(pathname)
  if (!match) return null
  const [, key, requested, file] = match as unknown as [string, keyof typeof PACKAGES, string, string]
  const name = PACKAGES[key]
  if (!versionMatches(requested, await installedVersion(name))) return null
  try {
    const body = await readFile(join(root, 'node_modules', name, 'dist', file))
    const contentType = file.endsWith('.css') ? 'text/css' : file.endsWith('.map') ? 'application/json' : 'application/javascript'
    return { body, contentType }
  } catch {
    return null
  }
}
