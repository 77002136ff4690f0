import { describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlEncode, encodeWithTable } from '../../src/crypto/base64url.ts'
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
      expect(base64urlDecode(expected), `decode, length ${length}`).toEqual(bytes)
    }
  })

  it('uses both url-safe characters', () => {
    expect(base64urlEncode(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_')
    expect(base64urlDecode('-_-_')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf))
  })

  it.each([
    ['a length that is not a multiple of 4', 'QUJD' + 'QQ'],
    ['missing padding', 'QQ'],
    ['the standard alphabet', '+/+/'],
    ['a character outside the alphabet', 'QU%D'],
    ['a non-ASCII character', 'QUJé'],
    ['whitespace', 'QUJD QUJD'],
    ['padding in the middle', 'QQ==QUJD'],
    ['three padding characters', 'Q==='],
    ['non-zero unused bits (one byte)', 'QR=='],
    ['non-zero unused bits (two bytes)', 'QUF='],
  ])('rejects %s', (_name, text) => {
    expect(base64urlDecode(text)).toBeNull()
  })

  it('decodes the empty string to no bytes', () => {
    expect(base64urlDecode('')).toEqual(new Uint8Array(0))
    expect(base64urlEncode(new Uint8Array(0))).toBe('')
  })
})
