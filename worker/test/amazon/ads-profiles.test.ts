import { describe, expect, it } from 'vitest'
import { quoteProfileIds } from '../../src/amazon/ads-api.ts'

describe('quoteProfileIds', () => {
  it('keeps a profile id past 2^53 exact through JSON.parse', () => {
    const text = '[{"profileId":3999999999999999999,"countryCode":"US"},{"profileId" : 9223372036854775807 ,"countryCode":"UK"}]'
    expect((JSON.parse(text) as Array<{ profileId: number }>)[0]!.profileId).toBe(4_000_000_000_000_000_000) // the problem
    expect(JSON.parse(quoteProfileIds(text))).toEqual([
      { profileId: '3999999999999999999', countryCode: 'US' },
      { profileId: '9223372036854775807', countryCode: 'UK' },
    ])
  })

  it('touches only the profileId field: other numbers, nested fields and text inside strings stay as they are', () => {
    const value = {
      profileId: 42,
      dailyBudget: 999999999,
      accountInfo: { id: 'A1', name: 'Shop "profileId": 7 \\ "profileId":8', marketplaceStringId: 'X' },
      note: 'profileId',
    }
    const text = JSON.stringify(value, null, 2)
    expect(JSON.parse(quoteProfileIds(text))).toEqual({ ...value, profileId: '42' })
    // A value named profileId that is not an integer is not ours to fix: left for the schema to refuse.
    expect(JSON.parse(quoteProfileIds('{"profileId":1.5,"x":-3,"y":[1,2]}'))).toEqual({ profileId: 1.5, x: -3, y: [1, 2] })
    expect(JSON.parse(quoteProfileIds('{"profileId":"123"}'))).toEqual({ profileId: '123' })
  })

  it('leaves what is not JSON for JSON.parse to refuse', () => {
    for (const text of ['', '<html>', '{"profileId": 0123}', '[{"profileId":', '{"a":"unterminated']) {
      expect(() => JSON.parse(quoteProfileIds(text)), text).toThrow()
    }
  })
})
