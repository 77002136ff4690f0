import { describe, expect, it } from 'vitest'
import { Fernet, InvalidFernetKey, InvalidToken } from '../../src/crypto/fernet.ts'
import {
  currentFernetKeyId,
  FernetKeysConfigError,
  fernetKeyId,
  multiFernetFromConfig,
  parseFernetKeys,
} from '../../src/crypto/fernet-keys.ts'

const SPEC_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='

function configError(value: string): FernetKeysConfigError {
  try {
    multiFernetFromConfig(value)
  } catch (error) {
    expect(error).toBeInstanceOf(FernetKeysConfigError)
    return error as FernetKeysConfigError
  }
  throw new Error('expected FERNET_KEYS to be rejected')
}

describe('multiFernetFromConfig', () => {
  it('encrypts with the first key and decrypts with all of them, ignoring whitespace', async () => {
    const newest = Fernet.generateKey()
    const older = Fernet.generateKey()
    const keys = multiFernetFromConfig(` ${newest} ,\n${older} `)
    const token = await keys.encrypt('x')
    expect(new TextDecoder().decode(await new Fernet(newest).decrypt(token))).toBe('x')
    await expect(new Fernet(older).decrypt(token)).rejects.toBeInstanceOf(InvalidToken)
    expect(new TextDecoder().decode(await keys.decrypt(await new Fernet(older).encrypt('old')))).toBe('old')
  })

  it('accepts a single key', async () => {
    const key = Fernet.generateKey()
    expect(parseFernetKeys(key)).toEqual([key])
    const token = await multiFernetFromConfig(key).encrypt('x')
    expect(await new Fernet(key).decrypt(token)).toEqual(new TextEncoder().encode('x'))
  })

  it.each(['', '   ', '\n'])('rejects an empty value (%j)', (value) => {
    expect(configError(value).message).toBe('FERNET_KEYS is malformed: it is empty')
  })

  it('names the position of an empty key', () => {
    const key = Fernet.generateKey()
    expect(configError(`${key},`).problems).toEqual(['key 2 of 2 is empty'])
    expect(configError(`,${key}`).problems).toEqual(['key 1 of 2 is empty'])
  })

  it('names the position of an invalid key but never prints it', () => {
    const good = Fernet.generateKey()
    const tooShort = good.slice(0, 22) + '=='
    const garbage = 'this-is-not-a-fernet-key-at-all-but-secret!!'
    const error = configError(`${good},${tooShort},${garbage}`)
    expect(error.message).toMatch(/^FERNET_KEYS is malformed: /)
    expect(error.problems).toHaveLength(2)
    expect(error.problems[0]).toMatch(/^key 2 of 3 is invalid \(Fernet key must be 32 url-safe base64-encoded bytes/)
    expect(error.problems[1]).toMatch(/^key 3 of 3 is invalid \(/)
    for (const secret of [good, tooShort, garbage]) {
      expect(error.message).not.toContain(secret.slice(0, 10))
      expect(error.stack ?? '').not.toContain(secret.slice(0, 10))
    }
  })

  it('rejects a key listed twice', () => {
    const key = Fernet.generateKey()
    expect(configError(`${key},${Fernet.generateKey()},${key}`).problems).toEqual(['key 3 of 3 repeats key 1'])
  })
})

describe('fernetKeyId', () => {
  it('is 16 hex digits of SHA-256 over a domain prefix and the raw key (pinned)', async () => {
    // python3 -c "import hashlib,base64; k=base64.urlsafe_b64decode('cw_0…e4=');
    //   print(hashlib.sha256(b'sellersync fernet key id v1\0'+k).hexdigest()[:16])"
    expect(await fernetKeyId(SPEC_KEY)).toBe('f31927bcc59585bd')
  })

  it('is stable per key and differs between keys', async () => {
    const a = Fernet.generateKey()
    const b = Fernet.generateKey()
    expect(await fernetKeyId(a)).toBe(await fernetKeyId(a))
    expect(await fernetKeyId(a)).not.toBe(await fernetKeyId(b))
    expect(await fernetKeyId(a)).toMatch(/^[0-9a-f]{16}$/)
  })

  it('is not a plain hash of the key bytes', async () => {
    const raw = Uint8Array.from(atob(SPEC_KEY.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0))
    const plain = new Uint8Array(await crypto.subtle.digest('SHA-256', raw))
    const plainHex = [...plain.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
    expect(await fernetKeyId(SPEC_KEY)).not.toBe(plainHex)
  })

  it('rejects an invalid key', async () => {
    await expect(fernetKeyId('nope')).rejects.toBeInstanceOf(InvalidFernetKey)
  })

  it('currentFernetKeyId is the id of the first configured key', async () => {
    const first = Fernet.generateKey()
    expect(await currentFernetKeyId(` ${first}, ${SPEC_KEY}`)).toBe(await fernetKeyId(first))
    await expect(currentFernetKeyId(`${first},nope`)).rejects.toBeInstanceOf(FernetKeysConfigError)
  })
})
