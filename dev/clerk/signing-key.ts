import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose'
import { clerkId } from './clerk-ids.ts'

/** The RS256 key the stand-in signs session tokens with, as a Clerk instance has one. */
export type SigningKey = {
  /** Key id in the JWT header and the JWKS; Clerk uses the instance id (`ins_…`). */
  kid: string
  privateKey: CryptoKey
  /** Public half as it appears in the JWKS (`kty`, `n`, `e`, `kid`, `alg`, `use`). */
  publicJwk: JWK
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`): Clerk's "JWT public key", `@clerk/backend`'s `jwtKey`. */
  publicKeyPem: string
}

const KEY_FILE = 'clerk-signing-key.json'

type StoredKey = { kid: string; privateJwk: JWK }

/**
 * Loads the signing key from `dir/clerk-signing-key.json`, creating it on first use, so tokens and the
 * PEM configured elsewhere (e.g. `.dev.vars`) stay valid across restarts. `dir` null: a throwaway key.
 */
export async function loadOrCreateSigningKey(dir: string | null): Promise<SigningKey> {
  if (dir === null) return signingKeyFrom(await newStoredKey())
  const file = join(dir, KEY_FILE)
  const existing = await readStoredKey(file)
  if (existing) return signingKeyFrom(existing)
  const created = await newStoredKey()
  await mkdir(dir, { recursive: true })
  // Write-then-rename: a crash mid-write never leaves a half key that the next run would reject.
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 })
  await chmod(temporary, 0o600) // the mode option is filtered by the umask; the key must stay private
  await rename(temporary, file)
  return signingKeyFrom(created)
}

async function newStoredKey(): Promise<StoredKey> {
  // 2048-bit with e = 65537: @clerk/backend's PEM loader assumes exactly that SPKI layout.
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  return { kid: clerkId('ins'), privateJwk: await exportJWK(privateKey) }
}

async function readStoredKey(file: string): Promise<StoredKey | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const stored = JSON.parse(text) as Partial<StoredKey>
  if (typeof stored.kid !== 'string' || stored.privateJwk?.kty !== 'RSA' || typeof stored.privateJwk.d !== 'string') {
    // Never overwrite silently: the PEM derived from it may be configured elsewhere.
    throw new Error(`${file} is not a Clerk stand-in signing key; delete it to generate a new one.`)
  }
  return { kid: stored.kid, privateJwk: stored.privateJwk }
}

async function signingKeyFrom({ kid, privateJwk }: StoredKey): Promise<SigningKey> {
  const { n, e } = privateJwk
  if (!n || !e) throw new Error('The signing key has no RSA modulus or exponent.')
  const publicJwk: JWK = { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' }
  const privateKey = (await importJWK({ ...privateJwk, alg: 'RS256' }, 'RS256')) as CryptoKey
  const publicKey = (await importJWK(publicJwk, 'RS256', { extractable: true })) as CryptoKey
  return { kid, privateKey, publicJwk, publicKeyPem: await exportSPKI(publicKey) }
}
