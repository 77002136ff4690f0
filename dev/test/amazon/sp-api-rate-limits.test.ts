import { describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS } from '../../amazon/server.ts'
import { EU_SELLER, OTHER_CLIENT, UK, control, firstOrderId, mintRdt, spApi, spApiAccessToken, start } from './stand-in-client.ts'

describe('SP-API usage plans', () => {
  it('defaults to Amazon\'s documented plan for every served operation', async () => {
    const { standIn } = await start()
    const plans = (await control(standIn, 'GET', '/rate-limits')).body
    expect(plans.spApi).toEqual({
      getMarketplaceParticipations: { rate: 0.016, burst: 15 },
      getOrders: { rate: 0.0167, burst: 20 },
      getOrder: { rate: 0.5, burst: 30 },
      getOrderBuyerInfo: { rate: 0.5, burst: 30 },
      getOrderAddress: { rate: 0.5, burst: 30 },
      getOrderItems: { rate: 0.5, burst: 30 },
      getOrderItemsBuyerInfo: { rate: 0.5, burst: 30 },
      createRestrictedDataToken: { rate: 1, burst: 10 },
      searchCatalogItems: { rate: 2, burst: 2 },
      getCatalogItem: { rate: 2, burst: 2 },
      getReports: { rate: 0.0222, burst: 10 },
    })
    expect(plans.spApi).toEqual(DEFAULT_RATE_LIMITS)
  })

  it('every served operation has a bucket per application, seller and operation, set through POST /rate-limits', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    const rdt = (
      await mintRdt(standIn, token, [
        { method: 'GET', path: '/orders/v0/orders/{orderId}/buyerInfo' },
        { method: 'GET', path: '/orders/v0/orders/{orderId}/address' },
        { method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems/buyerInfo' },
      ])
    ).body.restrictedDataToken
    // One call per operation: an LWA token, or the RDT where Amazon requires one.
    const calls: Record<string, () => ReturnType<typeof spApi>> = {
      getMarketplaceParticipations: () => spApi(standIn, token, '/sellers/v1/marketplaceParticipations'),
      getOrders: () => spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`),
      getOrder: () => spApi(standIn, token, `/orders/v0/orders/${orderId}`),
      getOrderBuyerInfo: () => spApi(standIn, rdt, `/orders/v0/orders/${orderId}/buyerInfo`),
      getOrderAddress: () => spApi(standIn, rdt, `/orders/v0/orders/${orderId}/address`),
      getOrderItems: () => spApi(standIn, token, `/orders/v0/orders/${orderId}/orderItems`),
      getOrderItemsBuyerInfo: () => spApi(standIn, rdt, `/orders/v0/orders/${orderId}/orderItems/buyerInfo`),
      createRestrictedDataToken: () => mintRdt(standIn, token, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }]),
      searchCatalogItems: () => spApi(standIn, token, `/catalog/2022-04-01/items?marketplaceIds=${UK}&keywords=mug`),
      getCatalogItem: () => spApi(standIn, token, `/catalog/2022-04-01/items/B0STANDN01?marketplaceIds=${UK}`),
      getReports: () => spApi(standIn, token, '/reports/2021-06-30/reports?reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA'),
    }
    expect(Object.keys(calls).sort()).toEqual(Object.keys(DEFAULT_RATE_LIMITS).sort())

    for (const [operation, once] of Object.entries(calls)) {
      const set = await control(standIn, 'POST', '/rate-limits', { operation, rate: 0.25, burst: 1 })
      expect(set.status).toBe(200)
      const allowed = await once()
      expect(allowed.status, operation).toBe(200)
      expect(allowed.headers.get('x-amzn-ratelimit-limit'), operation).toBe('0.25')
      const throttled = await once()
      expect(throttled.status, operation).toBe(429)
      expect(throttled.body, operation).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] })
      expect(throttled.headers.get('x-amzn-ratelimit-limit'), operation).toBeNull()
      expect(throttled.headers.get('x-amzn-requestid'), operation).toBeTruthy()
    }
    expect(standIn.requests({ status: 429 }).map((record) => record.operation).sort()).toEqual(Object.keys(calls).sort())

    // Another application's calls for the same seller have buckets of their own.
    const otherApp = await spApiAccessToken(standIn, EU_SELLER, OTHER_CLIENT)
    expect((await spApi(standIn, otherApp, `/orders/v0/orders/${orderId}`)).status).toBe(200)
    expect((await control(standIn, 'POST', '/rate-limits', { operation: 'listEverything', rate: 1, burst: 1 })).status).toBe(400)
  })
})
