import { afterEach, describe, expect, it, vi } from 'vitest'
import { base64urlDecode, base64urlEncode } from '../../src/crypto/base64url.ts'
import { Fernet, InvalidFernetKey, InvalidToken, MultiFernet } from '../../src/crypto/fernet.ts'
import { encryptWithIv } from '../support/fernet-fixed-iv.ts'
import generateVectors from './vectors/generate.json'
import invalidVectors from './vectors/invalid.json'
import verifyVectors from './vectors/verify.json'
import { seededRandom } from './seeded-random.ts'

const utf8 = new TextEncoder()
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const seconds = (rfc3339: string) => Date.parse(rfc3339) / 1000

async function expectInvalidToken(promise: Promise<unknown>) {
  await expect(promise).rejects.toBeInstanceOf(InvalidToken)
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('Fernet spec vectors', () => {
  it.each(generateVectors)('generates $token', async (vector) => {
    const token = await encryptWithIv(vector.secret, vector.src, seconds(vector.now), new Uint8Array(vector.iv))
    expect(token).toBe(vector.token)
  })

  it.each(verifyVectors)('verifies $token', async (vector) => {
    const fernet = new Fernet(vector.secret)
    expect(text(await fernet.decryptAtTime(vector.token, vector.ttl_sec, seconds(vector.now)))).toBe(vector.src)
    expect(text(await fernet.decrypt(vector.token))).toBe(vector.src) // no TTL: age is not checked
    expect(await fernet.extractTimestamp(vector.token)).toBe(seconds(vector.now) - 1)
  })

  it.each(invalidVectors)('rejects $desc', async (vector) => {
    const now = seconds(vector.now)
    await expectInvalidToken(new Fernet(vector.secret).decryptAtTime(vector.token, vector.ttl_sec, now))
    await expectInvalidToken(new MultiFernet([new Fernet(vector.secret)]).decryptAtTime(vector.token, vector.ttl_sec, now))
  })

  it('names the invalid vectors this suite relies on', () => {
    // Guards against an emptied or swapped vector file silently weakening the suite.
    expect(invalidVectors.map((vector) => vector.desc)).toEqual([
      'incorrect mac',
      'too short',
      'invalid base64',
      'payload size not multiple of block size',
      'payload padding error',
      'far-future TS (unacceptable clock skew)',
      'expired TTL',
      'incorrect IV (causes padding error)',
    ])
  })
})

describe('Fernet', () => {
  const key = Fernet.generateKey()
  const fernet = new Fernet(key)

  it.each([
    ['empty', 0],
    ['one block', 16],
    ['two blocks', 32],
    ['a refresh token', 400],
    ['1 MiB', 1024 * 1024],
  ])('round-trips a %s payload', async (_name, length) => {
    const data = randomBytes(length)
    const token = await fernet.encrypt(data)
    // version ‖ time ‖ IV ‖ ciphertext padded to the next whole block ‖ MAC
    expect(base64urlDecode(token)!.length).toBe(1 + 8 + 16 + (Math.floor(length / 16) + 1) * 16 + 32)
    expect(await fernet.decrypt(token)).toEqual(data)
  })

  it('encrypts strings as UTF-8', async () => {
    const token = await fernet.encrypt('Atzr|grüße ✓')
    expect(await fernet.decrypt(token)).toEqual(utf8.encode('Atzr|grüße ✓'))
  })

  it('uses a fresh IV for every token', async () => {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => fernet.encryptAtTime('same', 1_000)))
    const ivs = tokens.map((token) => base64urlEncode(base64urlDecode(token)!.subarray(9, 25)))
    expect(new Set(ivs).size).toBe(tokens.length)
  })

  it('writes the timestamp big-endian and reads it back only from genuine tokens', async () => {
    const token = await fernet.encryptAtTime('x', 0x1_2345_6789)
    expect([...base64urlDecode(token)!.subarray(0, 9)]).toEqual([0x80, 0, 0, 0, 1, 0x23, 0x45, 0x67, 0x89])
    expect(await fernet.extractTimestamp(token)).toBe(0x1_2345_6789)
    await expectInvalidToken(new Fernet(Fernet.generateKey()).extractTimestamp(token))
    await expectInvalidToken(fernet.extractTimestamp(flipBit(token, 3)))
    // Past 2038 (bit 31 set) and past 2^32: no sign or overflow surprises.
    for (const time of [0x8000_0000, 0xffff_ffff, 2 ** 40 + 0x8000_0001, Number.MAX_SAFE_INTEGER]) {
      expect(await fernet.extractTimestamp(await fernet.encryptAtTime('x', time))).toBe(time)
    }
  })

  it('checks age only when a TTL is given, with Python’s boundaries', async () => {
    const issued = 1_700_000_000
    const token = await fernet.encryptAtTime('x', issued)
    expect(text(await fernet.decrypt(token))).toBe('x') // years old, but no TTL
    expect(text(await fernet.decrypt(token, null as unknown as undefined))).toBe('x') // null is Python's None
    expect(text(await fernet.decryptAtTime(token, 60, issued + 60))).toBe('x') // timestamp + ttl == now
    await expectInvalidToken(fernet.decryptAtTime(token, 60, issued + 61))
    expect(text(await fernet.decryptAtTime(token, 60, issued - 60))).toBe('x') // 60 s of future skew
    await expectInvalidToken(fernet.decryptAtTime(token, 60, issued - 61))
    await expectInvalidToken(fernet.decrypt(token, 60)) // decrypt(ttl) uses the real clock
  })

  it('decrypt(token, ttl) uses the current time', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await fernet.encryptAtTime('x', now - 100)
    await expectInvalidToken(fernet.decrypt(token, 50))
    expect(text(await fernet.decrypt(token, 200))).toBe('x')
    await expectInvalidToken(fernet.decrypt(await fernet.encryptAtTime('x', now + 600), 1_000))
  })

  it('rejects a token made with another key', async () => {
    const token = await new Fernet(Fernet.generateKey()).encrypt('secret')
    await expectInvalidToken(fernet.decrypt(token))
    await expectInvalidToken(fernet.decrypt(token, 60))
  })

  it('reports every kind of garbage as InvalidToken', async () => {
    const valid = await fernet.encrypt('x')
    for (const token of ['', '=', 'gAAAA', valid.slice(0, -4), `${valid} `, ` ${valid}`, `${valid}\n`, '€'.repeat(100)]) {
      await expectInvalidToken(fernet.decrypt(token))
    }
  })

  it('accepts only the canonical base64url spelling of a token', async () => {
    // Python's decoder also takes the standard alphabet and skips stray characters; we do not: our
    // tokens are always canonical, and one spelling per token keeps stored values comparable.
    const vector = verifyVectors[0]!
    const vectorKey = new Fernet(vector.secret)
    expect(vector.token).toMatch(/[-_]/)
    expect(text(await vectorKey.decrypt(vector.token))).toBe(vector.src)
    await expectInvalidToken(vectorKey.decrypt(vector.token.replaceAll('-', '+').replaceAll('_', '/')))
    await expectInvalidToken(vectorKey.decrypt(vector.token.replace(/=+$/, '')))
  })

  it('only ever raises InvalidToken for mutated tokens', async () => {
    const random = seededRandom(0xfe7e7)
    const mutations: Array<(token: string) => string> = [
      (token) => flipBit(token, random.int(base64urlDecode(token)!.length * 8)),
      (token) => editBytes(token, (bytes) => bytes.subarray(0, random.int(bytes.length))),
      (token) => editBytes(token, (bytes) => concat(bytes, randomBytes(1 + random.int(40)))),
      (token) => editBytes(token, (bytes) => concat(bytes.subarray(0, 9), randomBytes(16), bytes.subarray(25))),
      (token) => replaceChar(token, random.int(token.length), random),
      (token) => token.slice(0, random.int(token.length)),
      (token) => token + 'A'.repeat(1 + random.int(8)),
    ]
    let checked = 0
    for (let round = 0; round < 60; round++) {
      const plaintext = randomBytes(random.int(100))
      const token = await fernet.encryptAtTime(plaintext, 1_000_000 + round)
      for (const mutate of mutations) {
        const mutated = mutate(token)
        if (mutated === token) continue
        const error = await fernet.decrypt(mutated, 3600).then(
          () => 'accepted',
          (error: unknown) => error,
        )
        expect(error, `mutation ${mutations.indexOf(mutate)} of round ${round}`).toBeInstanceOf(InvalidToken)
        checked++
      }
    }
    expect(checked).toBe(60 * mutations.length)
  })

  it('has the error name and message Python users expect, without the token', async () => {
    const token = await new Fernet(Fernet.generateKey()).encrypt('secret')
    const error = await fernet.decrypt(token).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(InvalidToken)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('InvalidToken')
    expect((error as Error).message).not.toContain(token.slice(10, 30))
  })

  it('rejects non-string tokens as a programming error', async () => {
    await expect(fernet.decrypt(42 as unknown as string)).rejects.toBeInstanceOf(TypeError)
  })

  it('rejects timestamps and TTLs that are not numbers of seconds', async () => {
    await expect(fernet.encryptAtTime('x', -1)).rejects.toBeInstanceOf(RangeError)
    await expect(fernet.encryptAtTime('x', 1.5)).rejects.toBeInstanceOf(RangeError)
    const token = await fernet.encrypt('x')
    await expect(fernet.decrypt(token, Number.NaN)).rejects.toBeInstanceOf(RangeError)
    await expect(fernet.decryptAtTime(token, 60, Number.NaN)).rejects.toBeInstanceOf(RangeError)
  })

  it('imports its CryptoKeys once, even under concurrent first use', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    const fresh = new Fernet(Fernet.generateKey())
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => fresh.encrypt(`payload ${i}`)))
    for (const token of tokens) await fresh.decrypt(token)
    expect(importKey).toHaveBeenCalledTimes(2) // one HMAC key, one AES key
  })
})

describe('Fernet keys', () => {
  it('generates 32 random bytes as padded base64url', () => {
    const keys = new Set(Array.from({ length: 20 }, () => Fernet.generateKey()))
    expect(keys.size).toBe(20)
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/)
      expect(base64urlDecode(key)!.length).toBe(32)
    }
  })

  it.each([
    ['too short', base64urlEncode(randomBytes(16))],
    ['too long', base64urlEncode(randomBytes(33))],
    ['not base64url', '%'.repeat(44)],
    ['standard base64 alphabet', base64urlEncode(new Uint8Array(32).fill(0xfb)).replaceAll('-', '+').replaceAll('_', '/')],
    ['missing padding', Fernet.generateKey().slice(0, -1)],
    ['empty', ''],
  ])('rejects a key that is %s, without echoing it', (_name, key) => {
    let error: unknown
    try {
      new Fernet(key)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidFernetKey)
    expect((error as Error).message).toMatch(/Fernet key must be 32 url-safe base64-encoded bytes/)
    if (key.length > 8) expect((error as Error).message).not.toContain(key.slice(0, 8))
  })
})

describe('MultiFernet', () => {
  const oldKey = new Fernet(Fernet.generateKey())
  const newKey = new Fernet(Fernet.generateKey())
  const keys = new MultiFernet([newKey, oldKey])

  it('encrypts with the first key', async () => {
    const token = await keys.encrypt('x')
    expect(text(await newKey.decrypt(token))).toBe('x')
    await expectInvalidToken(oldKey.decrypt(token))
  })

  it('decrypts tokens of any of its keys, and nothing else', async () => {
    expect(text(await keys.decrypt(await oldKey.encrypt('old')))).toBe('old')
    expect(text(await keys.decrypt(await newKey.encrypt('new')))).toBe('new')
    await expectInvalidToken(keys.decrypt(await new Fernet(Fernet.generateKey()).encrypt('foreign')))
  })

  it('applies the TTL across keys', async () => {
    const token = await oldKey.encryptAtTime('x', 5_000)
    expect(text(await keys.decryptAtTime(token, 100, 5_100))).toBe('x')
    await expectInvalidToken(keys.decryptAtTime(token, 100, 5_101))
    await expectInvalidToken(keys.decrypt(token, 100))
    expect(await keys.extractTimestamp(token)).toBe(5_000)
  })

  it('rotates onto the first key keeping the timestamp and the plaintext', async () => {
    const token = await oldKey.encryptAtTime('refresh token', 1_234_567)
    const rotated = await keys.rotate(token)
    expect(rotated).not.toBe(token)
    expect(await newKey.extractTimestamp(rotated)).toBe(await oldKey.extractTimestamp(token))
    expect(text(await newKey.decrypt(rotated))).toBe('refresh token')
    await expectInvalidToken(oldKey.decrypt(rotated))
    // Rotating an already-current token re-encrypts it too (fresh IV), still keeping the timestamp.
    const again = await keys.rotate(rotated)
    expect(again).not.toBe(rotated)
    expect(await newKey.extractTimestamp(again)).toBe(1_234_567)
  })

  it('rotates without a TTL check, and refuses foreign or tampered tokens', async () => {
    expect(await newKey.extractTimestamp(await keys.rotate(await oldKey.encryptAtTime('x', 1)))).toBe(1)
    await expectInvalidToken(keys.rotate(await new Fernet(Fernet.generateKey()).encrypt('x')))
    await expectInvalidToken(keys.rotate(flipBit(await oldKey.encrypt('x'), 300)))
  })

  it('needs at least one Fernet', () => {
    expect(() => new MultiFernet([])).toThrow(TypeError)
    expect(() => new MultiFernet(['key'] as unknown as Fernet[])).toThrow(TypeError)
  })
})

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  // getRandomValues fills at most 65536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, offset + 65536))
  return bytes
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function editBytes(token: string, edit: (bytes: Uint8Array) => Uint8Array): string {
  return base64urlEncode(edit(base64urlDecode(token)!))
}

function flipBit(token: string, bit: number): string {
  return editBytes(token, (bytes) => {
    const copy = bytes.slice()
    copy[bit >> 3]! ^= 1 << (bit & 7)
    return copy
  })
}

function replaceChar(token: string, index: number, random: ReturnType<typeof seededRandom>): string {
  const choices = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.% é'
  let replacement = token[index]
  while (replacement === token[index]) replacement = choices[random.int(choices.length)]
  return token.slice(0, index) + replacement + token.slice(index + 1)
}
