import { describe, expect, it } from 'vitest'
import { DE, EU_HOST, NA_HOST, NA_SELLER, UK, US, firstOrderId, spApi, spApiAccessToken, start } from './stand-in-client.ts'

describe('Orders API v0', () => {
  it('getOrder answers the seller\'s order without personal data, 404 for an unknown or another seller\'s order', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)

    const order = await spApi(standIn, token, `/orders/v0/orders/${orderId}`)
    expect(order.status).toBe(200)
    expect(order.headers.get('x-amzn-ratelimit-limit')).toBe('0.5')
    expect(order.body.payload).toMatchObject({ AmazonOrderId: orderId, MarketplaceId: UK })
    expect(order.body.payload).not.toHaveProperty('BuyerInfo')
    expect(order.body.payload).not.toHaveProperty('ShippingAddress')

    const unknown = await spApi(standIn, token, '/orders/v0/orders/999-9999999-9999999')
    expect(unknown.status).toBe(404)
    expect(unknown.body.errors[0]).toMatchObject({ code: 'NotFound' })
    // The rate-limit header goes with 404s too.
    expect(unknown.headers.get('x-amzn-ratelimit-limit')).toBe('0.5')

    const naOrderId = await firstOrderId(standIn, await spApiAccessToken(standIn, NA_SELLER), US, NA_HOST)
    expect((await spApi(standIn, token, `/orders/v0/orders/${naOrderId}`)).status).toBe(404)
  })

  it('getOrderItems lists one line per unit from the catalog, without prices while the order is Pending', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orders = (await spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK},${DE}&CreatedAfter=2026-01-01T00:00:00Z`)).body.payload.Orders
    const shipped = orders.find((order: any) => order.OrderStatus === 'Shipped')
    const pending = orders.find((order: any) => order.OrderStatus === 'Pending')

    const items = await spApi(standIn, token, `/orders/v0/orders/${shipped.AmazonOrderId}/orderItems`)
    expect(items.status).toBe(200)
    expect(items.body.payload.AmazonOrderId).toBe(shipped.AmazonOrderId)
    expect(items.body.payload.OrderItems).toHaveLength(shipped.NumberOfItemsShipped)
    const [item] = items.body.payload.OrderItems
    expect(item).toMatchObject({ ASIN: expect.stringMatching(/^B0[A-Z0-9]{8}$/), OrderItemId: expect.stringMatching(/^\d{14}$/), QuantityOrdered: 1, QuantityShipped: 1 })
    expect(item.ItemPrice.CurrencyCode).toBe(shipped.OrderTotal.CurrencyCode)
    expect(item).not.toHaveProperty('BuyerInfo')
    const total = items.body.payload.OrderItems.reduce((sum: number, line: any) => sum + Math.round(Number(line.ItemPrice.Amount) * 100), 0)
    expect(total).toBe(Math.round(Number(shipped.OrderTotal.Amount) * 100))

    const pendingItems = await spApi(standIn, token, `/orders/v0/orders/${pending.AmazonOrderId}/orderItems`)
    expect(pendingItems.body.payload.OrderItems.every((line: any) => !('ItemPrice' in line))).toBe(true)
    expect((await spApi(standIn, token, '/orders/v0/orders/111-1111111-1111111/orderItems')).status).toBe(404)
  })

  it('the restricted operations refuse an LWA access token: 403 Unauthorized, no rate-limit header', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    for (const suffix of ['buyerInfo', 'address', 'orderItems/buyerInfo']) {
      const reply = await spApi(standIn, token, `/orders/v0/orders/${orderId}/${suffix}`)
      expect(reply.status).toBe(403)
      expect(reply.body).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] })
      expect(reply.headers.get('x-amzn-ratelimit-limit')).toBeNull()
    }
    expect(standIn.requests({ status: 403 }).map((record) => record.operation)).toEqual(['getOrderBuyerInfo', 'getOrderAddress', 'getOrderItemsBuyerInfo'])
  })

  it('getOrders validation answers 400 InvalidInput with the rate-limit header', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const missing = await spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK}`)
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({ errors: [{ code: 'InvalidInput', message: 'Invalid Input', details: 'Either CreatedAfter or LastUpdatedAfter must be specified.' }] })
    expect(missing.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167')
    expect((await spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z&NextToken=bogus`)).status).toBe(400)
    // A token of another region's seller is denied on this host before any validation.
    expect((await spApi(standIn, await spApiAccessToken(standIn, NA_SELLER), `/orders/v0/orders?MarketplaceIds=${UK}`, { host: EU_HOST })).status).toBe(403)
  })
})
