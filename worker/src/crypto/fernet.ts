/**
 * Fernet and MultiFernet on WebCrypto, token-compatible with Python's `cryptography.fernet` and with the
 * same semantics: TTL and the 60-second future-skew check only when a TTL is given, the MAC verified in
 * constant time before anything is decrypted, and InvalidToken as the one error a bad token produces.
 * Runs wherever `crypto.subtle` does (workerd, Node, browsers). Times are whole seconds since the epoch.
 */
import {
  checkTokenAge,
  decodeFernetKey,
  generateFernetKey,
  hasValidMac,
  importFernetKeys,
  openToken,
  parseToken,
  randomIv,
  sealToken,
  timestampField,
  timestampFieldOf,
  toPlaintext,
  type FernetCryptoKeys,
  type UnverifiedToken,
} from './fernet-token.ts'
import { InvalidToken } from './fernet-errors.ts'

export { InvalidFernetKey, InvalidToken } from './fernet-errors.ts'

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

// MultiFernet works on parsed tokens with each Fernet's keys; this is its only way in (set by Fernet below).
let cryptoKeysOf: (fernet: Fernet) => FernetCryptoKeys | Promise<FernetCryptoKeys>

export class Fernet {
  // Raw key bytes until the CryptoKeys exist; then only the non-extractable CryptoKeys are kept.
  #raw: Uint8Array<ArrayBuffer> | null
  #keys: FernetCryptoKeys | null = null
  #importing: Promise<FernetCryptoKeys> | null = null

  static {
    cryptoKeysOf = (fernet) => fernet.#keys ?? fernet.#importKeys()
  }

  /** @param key 32 bytes as padded url-safe base64 (what generateKey and Python's Fernet.generate_key give). */
  constructor(key: string) {
    this.#raw = decodeFernetKey(key)
  }

  static generateKey(): string {
    return generateFernetKey()
  }

  encrypt(data: Uint8Array | string): Promise<string> {
    return this.encryptAtTime(data, nowInSeconds())
  }

  async encryptAtTime(data: Uint8Array | string, currentTime: number): Promise<string> {
    const plaintext = toPlaintext(data)
    const timestamp = timestampField(currentTime)
    const keys = this.#keys ?? (await this.#importKeys())
    return sealToken(keys, plaintext, timestamp, randomIv())
  }

  /**
   * With a TTL (seconds), also rejects tokens older than it or more than 60 s in the future. Without one
   * (undefined, or null like Python's None) a token of any age is accepted.
   */
  async decrypt(token: string, ttl?: number): Promise<Uint8Array<ArrayBuffer>> {
    const parsed = parseToken(token)
    if (ttl != null) checkTokenAge(parsed, ttl, nowInSeconds())
    return await openToken(this.#keys ?? (await this.#importKeys()), parsed)
  }

  async decryptAtTime(token: string, ttl: number, currentTime: number): Promise<Uint8Array<ArrayBuffer>> {
    const parsed = parseToken(token)
    checkTokenAge(parsed, ttl, currentTime)
    return await openToken(this.#keys ?? (await this.#importKeys()), parsed)
  }

  /** The token's timestamp, once its MAC shows it is genuine. */
  async extractTimestamp(token: string): Promise<number> {
    const parsed = parseToken(token)
    if (!(await hasValidMac(this.#keys ?? (await this.#importKeys()), parsed))) throw new InvalidToken()
    return parsed.timestamp
  }

  // Imported once per Fernet, on first use; concurrent first calls share the one import.
  #importKeys(): Promise<FernetCryptoKeys> {
    this.#importing ??= importFernetKeys(this.#raw!).then(
      (keys) => {
        this.#keys = keys
        this.#raw = null
        return keys
      },
      (error: unknown) => {
        this.#importing = null // let a later call retry rather than cache the failure
        throw error
      },
    )
    return this.#importing
  }
}

/**
 * Several keys, newest first: encrypts with the first, decrypts with whichever matches, and rotate()
 * re-encrypts an old token under the first key keeping its timestamp. FERNET_KEYS feeds this.
 */
export class MultiFernet {
  readonly #fernets: readonly Fernet[]

  constructor(fernets: Fernet[]) {
    if (!Array.isArray(fernets) || fernets.length === 0) {
      throw new TypeError('MultiFernet requires at least one Fernet instance')
    }
    if (!fernets.every((fernet) => fernet instanceof Fernet)) {
      throw new TypeError('MultiFernet takes Fernet instances only')
    }
    this.#fernets = [...fernets]
  }

  encrypt(data: Uint8Array | string): Promise<string> {
    return this.#fernets[0]!.encrypt(data)
  }

  encryptAtTime(data: Uint8Array | string, currentTime: number): Promise<string> {
    return this.#fernets[0]!.encryptAtTime(data, currentTime)
  }

  async decrypt(token: string, ttl?: number): Promise<Uint8Array<ArrayBuffer>> {
    const parsed = parseToken(token)
    if (ttl != null) checkTokenAge(parsed, ttl, nowInSeconds())
    return this.#openWithAnyKey(parsed)
  }

  async decryptAtTime(token: string, ttl: number, currentTime: number): Promise<Uint8Array<ArrayBuffer>> {
    const parsed = parseToken(token)
    checkTokenAge(parsed, ttl, currentTime)
    return this.#openWithAnyKey(parsed)
  }

  /** Re-encrypts under the first key with a fresh IV and the original timestamp (no TTL check, as in Python). */
  async rotate(token: string): Promise<string> {
    const parsed = parseToken(token)
    const plaintext = await this.#openWithAnyKey(parsed)
    const keys = await cryptoKeysOf(this.#fernets[0]!)
    return sealToken(keys, plaintext, timestampFieldOf(parsed), randomIv())
  }

  async extractTimestamp(token: string): Promise<number> {
    const parsed = parseToken(token)
    for (const fernet of this.#fernets) {
      if (await hasValidMac(await cryptoKeysOf(fernet), parsed)) return parsed.timestamp
    }
    throw new InvalidToken()
  }

  // The token is decoded once and each key tried in order, like Python's loop over Fernet.decrypt.
  async #openWithAnyKey(token: UnverifiedToken): Promise<Uint8Array<ArrayBuffer>> {
    for (const fernet of this.#fernets) {
      try {
        return await openToken(await cryptoKeysOf(fernet), token)
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error
      }
    }
    throw new InvalidToken()
  }
}
