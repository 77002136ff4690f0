// What the dashboard makes of the Amazon proxy's answers: sellersync's own errors and Amazon's passed through,
// each with the fix it needs; the response headers the console shows; the steering headers it sends.
import { describe, expect, it } from 'vitest'
import { proxyFailure } from '../../../web/lib/proxy-failure.ts'
import { dataElementsHeader, maxWaitHeader, retryAfterSeconds, shownHeaders } from '../../../web/lib/proxy-headers.ts'

const own = (code: string, message: string, details?: Record<string, unknown>) => ({ error: { code, message, ...(details ? { details } : {}) } })
const now = Date.parse('2026-12-01T12:00:00Z')

describe('proxyFailure: sellersync’s errors', () => {
  it('keeps the message written for sellers and names the fix', () => {
    const reauth = proxyFailure(409, own('account_reauth_required', 'Amazon no longer accepts this account’s authorization; reconnect it on the Accounts page.'), null)
    expect(reauth).toMatchObject({ source: 'sellersync', status: 409, code: 'account_reauth_required', fix: { kind: 'reconnect' }, amazonErrors: [] })
    expect(reauth.message).toBe('Amazon no longer accepts this account’s authorization; reconnect it on the Accounts page.')
    expect(proxyFailure(404, own('account_not_found', 'No such account among yours.'), null).fix).toEqual({ kind: 'accounts' })
    expect(proxyFailure(503, own('amazon_unavailable', 'Amazon did not answer in time; try again shortly.'), null).fix).toEqual({ kind: 'later' })
    expect(proxyFailure(503, own('amazon_credentials_rejected', 'x'), null).fix).toEqual({ kind: 'ours' })
    expect(proxyFailure(400, own('invalid_header', 'x', { header: 'Sellersync-RDT' }), null)).toMatchObject({ fix: { kind: 'request' }, details: { header: 'Sellersync-RDT' } })
    expect(proxyFailure(413, own('payload_too_large', 'x'), null).fix).toEqual({ kind: 'request' })
    expect(proxyFailure(415, own('unsupported_media_type', 'x'), null).fix).toEqual({ kind: 'request' })
    expect(proxyFailure(418, own('something_new', 'x'), null).fix).toEqual({ kind: 'none' })
  })

  it('waits as long as the rate limit says: details first, else Retry-After', () => {
    const limited = own('amazon_rate_limited', 'Amazon allows getOrders at a limited rate…', { retryAfterSeconds: 42, operationId: 'getOrders', source: 'sellersync' })
    expect(proxyFailure(429, limited, '40', now).fix).toEqual({ kind: 'wait', seconds: 42 })
    expect(proxyFailure(429, own('amazon_rate_limited', 'x'), '7', now).fix).toEqual({ kind: 'wait', seconds: 7 })
    expect(proxyFailure(429, own('rate_limited', 'x'), null, now).fix).toEqual({ kind: 'wait', seconds: null })
  })

  it('offers the closest operations of an unknown path, dropping malformed ones', () => {
    const closest = [{ method: 'GET', path: '/orders/v0/orders', operationId: 'getOrders' }, { method: 'GET' }, 'nonsense']
    expect(proxyFailure(404, own('unknown_operation', 'x', { closest }), null).fix).toEqual({
      kind: 'closest',
      operations: [{ method: 'GET', path: '/orders/v0/orders', operationId: 'getOrders' }],
    })
  })
})

describe('proxyFailure: Amazon’s errors passed through', () => {
  it('reads the SP-API’s errors list', () => {
    const failure = proxyFailure(400, { errors: [{ code: 'InvalidInput', message: 'Invalid Input', details: 'MarketplaceIds is required.' }] }, null)
    expect(failure).toEqual({
      source: 'amazon',
      status: 400,
      code: 'InvalidInput',
      message: 'Amazon answered 400: InvalidInput: Invalid Input: MarketplaceIds is required.',
      amazonErrors: [{ code: 'InvalidInput', message: 'Invalid Input', details: 'MarketplaceIds is required.' }],
      details: {},
      fix: { kind: 'request' },
    })
  })

  it('reads the Ads API’s shapes', () => {
    expect(proxyFailure(401, { code: 'UNAUTHORIZED', details: 'HTTP 401 Unauthorized' }, null).amazonErrors).toEqual([{ code: 'UNAUTHORIZED', message: 'HTTP 401 Unauthorized', details: '' }])
    expect(proxyFailure(400, { code: 400, message: 'Bad filter' }, null).amazonErrors).toEqual([{ code: '400', message: 'Bad filter', details: '' }])
    expect(proxyFailure(422, { errors: [{ errorType: 'INVALID_ARGUMENT', message: 'maxResults' }] }, null).code).toBe('INVALID_ARGUMENT')
  })

  it('says only the status when the body is not one of those', () => {
    expect(proxyFailure(502, undefined, null)).toMatchObject({ code: 'http_502', message: 'Amazon answered 502.', fix: { kind: 'later' } })
    expect(proxyFailure(403, { something: 'else' }, null)).toMatchObject({ message: 'Amazon answered 403.', fix: { kind: 'none' } })
  })

  it('waits out Amazon’s own 429 by its Retry-After', () => {
    const quota = proxyFailure(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] }, '3', now)
    expect(quota.fix).toEqual({ kind: 'wait', seconds: 3 })
    expect(quota.message).toBe('Amazon answered 429: QuotaExceeded: You exceeded your quota for the requested resource.')
  })
})

describe('the proxy’s headers', () => {
  it('shows the listed headers the answer carries, in the listed order and spelling', () => {
    const headers = new Headers({ 'x-request-id': 'req-1', 'x-amzn-requestid': 'amzn-1', 'x-cache': 'MISS', ratelimit: 'getOrders;r=19;t=60', 'content-type': 'application/json' })
    expect(shownHeaders(headers)).toEqual([
      { name: 'x-amzn-RequestId', value: 'amzn-1' },
      { name: 'RateLimit', value: 'getOrders;r=19;t=60' },
      { name: 'X-Cache', value: 'MISS' },
      { name: 'X-Request-Id', value: 'req-1' },
    ])
  })

  it('keeps the wait budget a whole number from 0 to 30000 ms', () => {
    expect(maxWaitHeader(2000)).toBe('2000')
    expect(maxWaitHeader(1234.6)).toBe('1235')
    expect(maxWaitHeader(-5)).toBe('0')
    expect(maxWaitHeader(99_999)).toBe('30000')
    expect(maxWaitHeader(Number.NaN)).toBe('2000')
  })

  it('writes the data elements as a clean comma list, or nothing', () => {
    expect(dataElementsHeader(' buyerInfo, shippingAddress ,,buyerInfo')).toBe('buyerInfo,shippingAddress')
    expect(dataElementsHeader(' , ')).toBeNull()
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterSeconds('12', now)).toBe(12)
    expect(retryAfterSeconds('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30)
    expect(retryAfterSeconds('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfterSeconds('soon', now)).toBeNull()
    expect(retryAfterSeconds(null, now)).toBeNull()
  })
})
