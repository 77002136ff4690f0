/**
 * FERNET_KEYS: comma-separated Fernet keys, newest first. The first encrypts; all of them decrypt, so a key
 * can be rotated in by prepending it, and retired once reencryptCredentials has moved every row off it.
 * Error messages name the variable and the key's position, never the key.
 */
import { Fernet, InvalidFernetKey, MultiFernet } from './fernet.ts'
import { decodeFernetKey } from './fernet-token.ts'

const VARIABLE = 'FERNET_KEYS'
// Domain separation: this digest identifies a key and must never coincide with any other use of SHA-256 on it.
const KEY_ID_PREFIX = new TextEncoder().encode('sellersync fernet key id v1\0')

export class FernetKeysConfigError extends Error {
  override readonly name = 'FernetKeysConfigError'
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`${VARIABLE} is malformed: ${problems.join('; ')}`)
    this.problems = problems
  }
}

/** The trimmed keys of a FERNET_KEYS value, newest first, each checked to be a valid Fernet key. */
export function parseFernetKeys(value: string): string[] {
  if (typeof value !== 'string' || value.trim() === '') throw new FernetKeysConfigError(['it is empty'])
  const keys = value.split(',').map((key) => key.trim())
  const problems: string[] = []
  for (const [index, key] of keys.entries()) {
    const position = `key ${index + 1} of ${keys.length}`
    const first = keys.indexOf(key)
    if (key === '') problems.push(`${position} is empty`)
    else if (first !== index) problems.push(`${position} repeats key ${first + 1}`)
    else {
      const problem = keyProblem(key)
      if (problem !== null) problems.push(`${position} is invalid (${problem})`)
    }
  }
  if (problems.length > 0) throw new FernetKeysConfigError(problems)
  return keys
}

function keyProblem(key: string): string | null {
  try {
    decodeFernetKey(key)
    return null
  } catch (error) {
    if (error instanceof InvalidFernetKey) return error.message
    throw error
  }
}

export function multiFernetFromConfig(value: string): MultiFernet {
  return new MultiFernet(parseFernetKeys(value).map((key) => new Fernet(key)))
}

/** The id of the key that encrypts (the first one): what re-encryption stores next to each credential. */
export async function currentFernetKeyId(value: string): Promise<string> {
  return fernetKeyId(parseFernetKeys(value)[0]!)
}

/**
 * A short, stable, non-secret fingerprint of a key: the first 16 hex digits (64 bits) of
 * SHA-256(prefix ‖ raw key bytes). Stored with each credential to say which key encrypted it.
 */
export async function fernetKeyId(key: string): Promise<string> {
  const raw = decodeFernetKey(key)
  const input = new Uint8Array(KEY_ID_PREFIX.length + raw.length)
  input.set(KEY_ID_PREFIX, 0)
  input.set(raw, KEY_ID_PREFIX.length)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input))
  let hex = ''
  for (const byte of digest.subarray(0, 8)) hex += byte.toString(16).padStart(2, '0')
  return hex
}
