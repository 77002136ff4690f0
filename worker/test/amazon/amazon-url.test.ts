import { describe, expect, it } from 'vitest'
import { amazonUrl } from '../../src/amazon/amazon-url.ts'

describe('amazonUrl', () => {
  it('is the real Amazon URL when no stand-in base is configured', () => {
    expect(amazonUrl(undefined, 'sellingpartnerapi-eu.amazon.com', '/sellers/v1/marketplaceParticipations')).toBe(
      'https://sellingpartnerapi-eu.amazon.com/sellers/v1/marketplaceParticipations',
    )
    expect(amazonUrl('', 'api.amazon.co.uk', '/auth/o2/token')).toBe('https://api.amazon.co.uk/auth/o2/token')
  })

  it('puts the host as first path segment under a stand-in base, keeping the query', () => {
    expect(amazonUrl('http://127.0.0.1:4010', 'api.amazon.com', '/auth/o2/token')).toBe('http://127.0.0.1:4010/api.amazon.com/auth/o2/token')
    expect(amazonUrl('http://127.0.0.1:4010//', 'advertising-api-fe.amazon.com', '/v2/profiles?profileTypeFilter=seller')).toBe(
      'http://127.0.0.1:4010/advertising-api-fe.amazon.com/v2/profiles?profileTypeFilter=seller',
    )
  })

  it('refuses a path without a leading slash or a host that is not a host name', () => {
    expect(() => amazonUrl(undefined, 'api.amazon.com', 'auth/o2/token')).toThrow(TypeError)
    expect(() => amazonUrl('http://127.0.0.1:1', 'api.amazon.com/x', '/y')).toThrow(TypeError)
    expect(() => amazonUrl(undefined, '', '/y')).toThrow(TypeError)
  })
})
