import { describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlEncode, decodeWithTable, encodeWithTable } from '../../src/crypto/base64url.ts'
import { seededRandom } from './seeded-random.ts'

/** Reference: the platform's btoa, translated to the url-safe alphabet. */
function reference(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_')
}

function bytesOf(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed)
  return Uint8Array.from({ length }, () => random.int(256))
}

describe('base64url', () => {
  it('matches the reference for every length up to 70 and for large inputs', () => {
    for (const length of [...Array.from({ length: 71 }, (_, i) => i), 8191, 8192, 8193, 24_577, 100_000]) {
      const bytes = bytesOf(length, length)
      const expected = reference(bytes)
      expect(encodeWithTable(bytes), `table, length ${length}`).toBe(expected)
      expect(base64urlEncode(bytes), `default, length ${length}`).toBe(expected)
      expect(decodeWithTable(expected), `table decode, length ${length}`).toEqual(bytes)
      expect(base64urlDecode(expected), `default decode, length ${length}`).toEqual(bytes)
    }
  })

  it('uses both url-safe characters', () => {
    expect(base64urlEncode(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_')
    expect(base64urlDecode('-_-_')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf))
    expect(decodeWithTable('-_-_')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf))
  })

  it.each([
    ['a length that is not a multiple of 4', 'QUJD' + 'QQ'],
    ['missing padding', 'QQ'],
    ['the standard alphabet', '+/+/'],
    ['a character outside the alphabet', 'QU%D'],
    ['a non-ASCII character', 'QUJé'],
    ['whitespace', 'QUJD QUJD'],
    ['whitespace keeping the length a multiple of 4', 'QUJD    QUJD'],
    ['a newline', 'QUJD\nQUJ='],
    ['padding in the middle', 'QQ==QUJD'],
    ['three padding characters', 'Q==='],
    ['non-zero unused bits (one byte)', 'QR=='],
    ['non-zero unused bits (two bytes)', 'QUF='],
  ])('rejects %s', (_name, text) => {
    expect(decodeWithTable(text)).toBeNull()
    expect(base64urlDecode(text)).toBeNull()
  })

  it('decodes exactly like the table decoder on random near-base64 text', () => {
    // In workerd base64urlDecode is the native decoder: it must accept and reject the same strings.
    const random = seededRandom(64)
    const characters = 'AQgw-_=+/ \n.'
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      let text = ''
      for (let length = random.int(13); text.length < length; ) text += characters[random.int(characters.length)]
      const expected = decodeWithTable(text)
      expect(base64urlDecode(text), JSON.stringify(text)).toEqual(expected)
      if (expected !== null) accepted++
    }
    expect(accepted).toBeGreaterThan(100) // the sample must include valid strings, not only garbage
  })

  it('decodes the empty string to no bytes', () => {
    expect(base64urlDecode('')).toEqual(new Uint8Array(0))
    expect(decodeWithTable('')).toEqual(new Uint8Array(0))
    expect(base64urlEncode(new Uint8Array(0))).toBe('')
  })
})
