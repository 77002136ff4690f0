/**
 * The Fernet format (https://github.com/fernet/spec) on WebCrypto: key decoding, sealing and opening tokens.
 * Internal to src/crypto: the public surface is fernet.ts.
 *
 *   key   = base64url(signing key 16 B ‖ AES-128 key 16 B)
 *   token = base64url(0x80 ‖ u64 BE seconds ‖ IV 16 B ‖ AES-128-CBC/PKCS#7 ciphertext ‖ HMAC-SHA256 of all before)
 */
import { base64urlDecode, base64urlEncode } from './base64url.ts'
import { InvalidFernetKey, InvalidToken } from './fernet-errors.ts'

const VERSION = 0x80
const TIMESTAMP_OFFSET = 1
const IV_OFFSET = 9
const CIPHERTEXT_OFFSET = 25
const IV_LENGTH = 16
const BLOCK_LENGTH = 16
const MAC_LENGTH = 32
const KEY_LENGTH = 32
/** Smallest possible token: header, one ciphertext block (PKCS#7 always pads), MAC. */
const MIN_TOKEN_LENGTH = CIPHERTEXT_OFFSET + BLOCK_LENGTH + MAC_LENGTH
/** How far in the future a token's timestamp may be when a TTL is checked (Python's _MAX_CLOCK_SKEW). */
export const MAX_CLOCK_SKEW_SECONDS = 60

const TWO_POW_32 = 2 ** 32
const AES_CBC = 'AES-CBC'

// Spelled via crypto.subtle so this type-checks under both workers-types and Node's types (dev/ imports it).
type CryptoKeyHandle = Awaited<ReturnType<typeof crypto.subtle.importKey>>

export type FernetCryptoKeys = { readonly signing: CryptoKeyHandle; readonly encryption: CryptoKeyHandle }

/** A token that decoded and has the right shape, but whose MAC has not been checked yet. */
export type UnverifiedToken = {
  readonly bytes: Uint8Array<ArrayBuffer>
  /** Seconds since the epoch; above 2^53 only approximate, which only matters for absurd far-future stamps. */
  readonly timestamp: number
}

/** The raw 32 key bytes of a Fernet key; the message says what is wrong without repeating the key. */
export function decodeFernetKey(key: string): Uint8Array<ArrayBuffer> {
  if (typeof key !== 'string') throw new InvalidFernetKey('Fernet key must be a string')
  const raw = base64urlDecode(key)
  if (raw === null) throw new InvalidFernetKey('Fernet key must be 32 url-safe base64-encoded bytes (it is not valid base64url)')
  if (raw.length !== KEY_LENGTH) {
    throw new InvalidFernetKey(`Fernet key must be 32 url-safe base64-encoded bytes (it decodes to ${raw.length})`)
  }
  return raw
}

export function generateFernetKey(): string {
  return base64urlEncode(crypto.getRandomValues(new Uint8Array(KEY_LENGTH)))
}

export async function importFernetKeys(raw: Uint8Array<ArrayBuffer>): Promise<FernetCryptoKeys> {
  const [signing, encryption] = await Promise.all([
    crypto.subtle.importKey('raw', raw.subarray(0, 16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
    crypto.subtle.importKey('raw', raw.subarray(16, 32), { name: AES_CBC }, false, ['encrypt', 'decrypt']),
  ])
  return { signing, encryption }
}

// IVs are cut from a pool of random bytes: one getRandomValues call per 256 IVs instead of one per token
// (the call costs about a tenth of an encryption in workerd). Each pool byte is handed out once.
const IV_POOL_SIZE = 256 * IV_LENGTH
let ivPool = new Uint8Array(0)
let ivPoolOffset = 0

export function randomIv(): Uint8Array<ArrayBuffer> {
  if (ivPoolOffset === ivPool.length) {
    ivPool = crypto.getRandomValues(new Uint8Array(IV_POOL_SIZE))
    ivPoolOffset = 0
  }
  const iv = ivPool.slice(ivPoolOffset, ivPoolOffset + IV_LENGTH)
  ivPoolOffset += IV_LENGTH
  return iv
}

/** The 8-byte big-endian timestamp field for whole seconds since the epoch. */
export function timestampField(seconds: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError('Fernet timestamp must be a non-negative integer number of seconds')
  }
  const field = new Uint8Array(8)
  const view = new DataView(field.buffer)
  view.setUint32(0, Math.floor(seconds / TWO_POW_32))
  view.setUint32(4, seconds >>> 0)
  return field
}

/** The timestamp field of a token, byte for byte (so rotation keeps it exactly). */
export function timestampFieldOf(token: UnverifiedToken): Uint8Array<ArrayBuffer> {
  return token.bytes.slice(TIMESTAMP_OFFSET, IV_OFFSET)
}

const utf8 = new TextEncoder()

export function toPlaintext(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return utf8.encode(data) as Uint8Array<ArrayBuffer>
  if (!(data instanceof Uint8Array)) throw new TypeError('Fernet data must be a Uint8Array or a string')
  // WebCrypto takes ArrayBuffer-backed views only (not SharedArrayBuffer).
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data)
}

/** Encrypts and authenticates into one preallocated buffer, then encodes it once. */
export async function sealToken(
  keys: FernetCryptoKeys,
  plaintext: Uint8Array<ArrayBuffer>,
  timestamp: Uint8Array<ArrayBuffer>,
  iv: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const ciphertext = await crypto.subtle.encrypt({ name: AES_CBC, iv }, keys.encryption, plaintext)
  const macOffset = CIPHERTEXT_OFFSET + ciphertext.byteLength
  const token = new Uint8Array(macOffset + MAC_LENGTH)
  token[0] = VERSION
  token.set(timestamp, TIMESTAMP_OFFSET)
  token.set(iv, IV_OFFSET)
  token.set(new Uint8Array(ciphertext), CIPHERTEXT_OFFSET)
  const mac = await crypto.subtle.sign('HMAC', keys.signing, token.subarray(0, macOffset))
  token.set(new Uint8Array(mac), macOffset)
  return base64urlEncode(token)
}

/**
 * Decodes a token and checks what can be checked without a key: encoding, version, length, block alignment.
 * Non-strings are a programming error (TypeError), as in Python; everything else is InvalidToken.
 */
export function parseToken(token: string): UnverifiedToken {
  if (typeof token !== 'string') throw new TypeError('Fernet token must be a string')
  const bytes = base64urlDecode(token)
  if (bytes === null || bytes.length < MIN_TOKEN_LENGTH || bytes[0] !== VERSION) throw new InvalidToken()
  if ((bytes.length - CIPHERTEXT_OFFSET - MAC_LENGTH) % BLOCK_LENGTH !== 0) throw new InvalidToken()
  const high = ((bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!) >>> 0
  const low = ((bytes[5]! << 24) | (bytes[6]! << 16) | (bytes[7]! << 8) | bytes[8]!) >>> 0
  return { bytes, timestamp: high * TWO_POW_32 + low }
}

/** Python's rule: expired when timestamp + ttl < now; rejected when more than 60 s in the future. */
export function checkTokenAge(token: UnverifiedToken, ttl: number, now: number): void {
  if (!Number.isFinite(ttl)) throw new RangeError('Fernet ttl must be a finite number of seconds')
  if (!Number.isFinite(now)) throw new RangeError('Fernet current time must be a finite number of seconds')
  if (token.timestamp + ttl < now) throw new InvalidToken()
  if (now + MAX_CLOCK_SKEW_SECONDS < token.timestamp) throw new InvalidToken()
}

/** Whether the MAC matches; WebCrypto's HMAC verify compares in constant time. */
export async function hasValidMac(keys: FernetCryptoKeys, token: UnverifiedToken): Promise<boolean> {
  const macOffset = token.bytes.length - MAC_LENGTH
  try {
    return await crypto.subtle.verify(
      'HMAC',
      keys.signing,
      token.bytes.subarray(macOffset),
      token.bytes.subarray(0, macOffset),
    )
  } catch {
    return false
  }
}

/** MAC first (constant time, by WebCrypto), then decrypt and unpad: a token failing either is InvalidToken. */
export async function openToken(keys: FernetCryptoKeys, token: UnverifiedToken): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = token.bytes
  const macOffset = bytes.length - MAC_LENGTH
  let plaintext: ArrayBuffer
  try {
    // Inlined rather than calling hasValidMac: one async frame less on the hot path.
    const authentic = await crypto.subtle.verify(
      'HMAC',
      keys.signing,
      bytes.subarray(macOffset),
      bytes.subarray(0, macOffset),
    )
    if (!authentic) throw new InvalidToken()
    // Fails only on bad PKCS#7 padding, which with a valid MAC means the token was made wrong.
    plaintext = await crypto.subtle.decrypt(
      { name: AES_CBC, iv: bytes.subarray(IV_OFFSET, CIPHERTEXT_OFFSET) },
      keys.encryption,
      bytes.subarray(CIPHERTEXT_OFFSET, macOffset),
    )
  } catch {
    throw new InvalidToken()
  }
  return new Uint8Array(plaintext)
}
