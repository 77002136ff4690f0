import { describe, expect, it } from 'vitest'
import {
  CLIENT,
  EU_SELLER,
  NA_HOST,
  NA_SELLER,
  OTHER_CLIENT,
  UK,
  US,
  call,
  control,
  firstOrderId,
  mintRdt,
  spApi,
  spApiAccessToken,
  start,
} from './stand-in-client.ts'

const denied = { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] }

describe('Restricted Data Tokens (Tokens API 2021-03-01)', () => {
  it('mints an opaque Atz.sprdt| token for an hour; with it getOrders and getOrder carry the named personal data', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)

    const minted = await mintRdt(standIn, token, [
      { method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo', 'shippingAddress'] },
      { method: 'GET', path: `/orders/v0/orders/${orderId}`, dataElements: ['shippingAddress'] },
    ])
    expect(minted.status).toBe(200)
    expect(Object.keys(minted.body).sort()).toEqual(['expiresIn', 'restrictedDataToken'])
    expect(minted.body.restrictedDataToken).toMatch(/^Atz\.sprdt\|[\w-]{300,}$/)
    expect(minted.body.expiresIn).toBe(3600)
    expect(minted.headers.get('x-amzn-ratelimit-limit')).toBe('1')
    const rdt = minted.body.restrictedDataToken as string

    const orders = await spApi(standIn, rdt, `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`)
    expect(orders.status).toBe(200)
    const [first] = orders.body.payload.Orders
    expect(first.BuyerInfo).toEqual({ BuyerEmail: expect.stringMatching(/@marketplace\.amazon\.co\.uk$/), BuyerName: expect.any(String) })
    expect(first.ShippingAddress).toMatchObject({ CountryCode: 'GB', PostalCode: expect.any(String), AddressLine1: expect.any(String) })

    const order = await spApi(standIn, rdt, `/orders/v0/orders/${orderId}`)
    expect(order.status).toBe(200)
    expect(order.body.payload.ShippingAddress).toEqual(first.ShippingAddress)
    expect(order.body.payload).not.toHaveProperty('BuyerInfo') // that resource named shippingAddress only

    // Not a resource it lists: another order, the order's items, a non-restricted operation, another RDT.
    const other = (await spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`)).body.payload.Orders[1].AmazonOrderId
    for (const path of [`/orders/v0/orders/${other}`, `/orders/v0/orders/${orderId}/orderItems`, '/sellers/v1/marketplaceParticipations']) {
      const reply = await spApi(standIn, rdt, path)
      expect(reply.status).toBe(403)
      expect(reply.body).toEqual(denied)
    }
    expect((await mintRdt(standIn, rdt, [{ method: 'GET', path: '/orders/v0/orders' }])).status).toBe(403)
  })

  it('a generic path fits any of the seller\'s order ids, where Amazon allows one; getOrderItems with buyerInfo', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orders = (await spApi(standIn, token, `/orders/v0/orders?MarketplaceIds=${UK}&CreatedAfter=2026-01-01T00:00:00Z`)).body.payload.Orders
    const minted = await mintRdt(standIn, token, [
      { method: 'GET', path: '/orders/v0/orders/{orderId}/address' },
      { method: 'GET', path: '/orders/v0/orders/{orderId}/buyerInfo' },
      { method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems/buyerInfo' },
      { method: 'GET', path: `/orders/v0/orders/${orders[0].AmazonOrderId}/orderItems`, dataElements: ['buyerInfo'] },
    ])
    expect(minted.status).toBe(200)
    const rdt = minted.body.restrictedDataToken as string
    for (const order of orders.slice(0, 3)) {
      const address = await spApi(standIn, rdt, `/orders/v0/orders/${order.AmazonOrderId}/address`)
      expect(address.status).toBe(200)
      expect(address.body.payload).toMatchObject({ AmazonOrderId: order.AmazonOrderId, ShippingAddress: { CountryCode: 'GB' } })
      const buyer = await spApi(standIn, rdt, `/orders/v0/orders/${order.AmazonOrderId}/buyerInfo`)
      expect(buyer.body.payload).toMatchObject({ AmazonOrderId: order.AmazonOrderId, BuyerEmail: expect.any(String), BuyerName: expect.any(String) })
      const itemsBuyer = await spApi(standIn, rdt, `/orders/v0/orders/${order.AmazonOrderId}/orderItems/buyerInfo`)
      expect(itemsBuyer.body.payload.OrderItems[0]).toHaveProperty('OrderItemId')
    }
    const items = await spApi(standIn, rdt, `/orders/v0/orders/${orders[0].AmazonOrderId}/orderItems`)
    expect(items.status).toBe(200)
    expect(items.body.payload.OrderItems.every((item: any) => 'BuyerInfo' in item)).toBe(true)

    // Amazon refuses a generic path for getOrder and getOrderItems.
    for (const path of ['/orders/v0/orders/{orderId}', '/orders/v0/orders/{orderId}/orderItems']) {
      const refused = await mintRdt(standIn, token, [{ method: 'GET', path, dataElements: ['buyerInfo'] }])
      expect(refused.status).toBe(400)
      expect(refused.body.errors[0]).toEqual({ code: 'InvalidInput', message: 'Application do not have access to some or all requested resource', details: '' })
    }
  })

  it('is bound to its seller\'s grant: another seller\'s order is unknown, at minting and when used', async () => {
    const { standIn } = await start()
    const euToken = await spApiAccessToken(standIn)
    const naOrderId = await firstOrderId(standIn, await spApiAccessToken(standIn, NA_SELLER), US, NA_HOST)

    const specific = await mintRdt(standIn, euToken, [{ method: 'GET', path: `/orders/v0/orders/${naOrderId}/address` }])
    expect(specific.status).toBe(400)
    expect(specific.body.errors[0].code).toBe('InvalidInput')

    const generic = (await mintRdt(standIn, euToken, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }])).body.restrictedDataToken
    expect((await spApi(standIn, generic, `/orders/v0/orders/${naOrderId}/address`)).status).toBe(404)
    // Nor does the EU seller's RDT open anything on the NA host.
    const onNa = await spApi(standIn, generic, `/orders/v0/orders/${naOrderId}/address`, { host: NA_HOST })
    expect(onNa.status).toBe(403)
    expect(onNa.body).toEqual(denied)
  })

  it('expires after 3600 s by the stand-in clock, cannot be refreshed, and dies with its grant', async () => {
    const { standIn, clock } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    const rdt = (await mintRdt(standIn, token, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }])).body.restrictedDataToken
    const address = () => spApi(standIn, rdt, `/orders/v0/orders/${orderId}/address`)

    clock.now += 3599_000
    expect((await address()).status).toBe(200)
    clock.now += 1000
    const expired = await address()
    expect(expired.status).toBe(403)
    expect(expired.body.errors[0].details).toBe('The access token you provided has expired.')
    const refresh = await call(standIn.amazonUrl('api.amazon.com', '/auth/o2/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rdt, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }).toString(),
    })
    expect(refresh.body.error).toBe('invalid_grant')

    const fresh = await spApiAccessToken(standIn)
    const second = (await mintRdt(standIn, fresh, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }])).body.restrictedDataToken
    expect((await spApi(standIn, second, `/orders/v0/orders/${orderId}/address`)).status).toBe(200)
    expect(standIn.revokeGrant({ sellingPartnerId: EU_SELLER })).toBe(2)
    const revoked = await spApi(standIn, second, `/orders/v0/orders/${orderId}/address`)
    expect(revoked.status).toBe(403)
    expect(revoked.body.errors[0].details).toBe('The access token you provided is revoked, malformed or invalid.')

    expect((await spApi(standIn, 'Atz.sprdt|not-one-we-issued', `/orders/v0/orders/${orderId}/address`)).body.errors[0].details).toBe(
      'The access token you provided is revoked, malformed or invalid.',
    )
  })

  it('expireAccessTokens expires RDTs too', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    const rdt = (await mintRdt(standIn, token, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }])).body.restrictedDataToken
    expect(standIn.expireAccessTokens()).toBe(2)
    expect((await spApi(standIn, rdt, `/orders/v0/orders/${orderId}/address`)).body.errors[0].details).toBe('The access token you provided has expired.')
  })

  it('validates the request: resources 1–50, known restricted paths, dataElements, targetApplication', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const generic = { method: 'GET', path: '/orders/v0/orders/{orderId}/address' }
    const refusals = [
      await mintRdt(standIn, token, []),
      await mintRdt(standIn, token, Array.from({ length: 51 }, () => generic)),
      await mintRdt(standIn, token, [{ method: 'GET', path: '/sellers/v1/marketplaceParticipations' }]),
      await mintRdt(standIn, token, [{ method: 'PATCH', path: '/orders/v0/orders' }]),
      await mintRdt(standIn, token, [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerinfo'] }]),
      await mintRdt(standIn, token, [generic], { targetApplication: 'amzn1.sp.solution.unknown' }),
      await spApi(standIn, token, '/tokens/2021-03-01/restrictedDataToken', { method: 'POST', body: 'not an object' }),
    ]
    for (const refused of refusals) {
      expect(refused.status).toBe(400)
      expect(refused.body.errors[0].code).toBe('InvalidInput')
      expect(refused.headers.get('x-amzn-ratelimit-limit')).toBe('1')
    }
    expect((await mintRdt(standIn, token, Array.from({ length: 50 }, () => generic))).status).toBe(200)
  })

  it('targetApplication delegates: the RDT then counts against the delegatee\'s usage plan', async () => {
    const { standIn } = await start({ rateLimits: { getOrderAddress: { rate: 0.001, burst: 1 } } })
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    const resources = [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }]
    const own = (await mintRdt(standIn, token, resources)).body.restrictedDataToken
    const delegated = await mintRdt(standIn, token, resources, { targetApplication: OTHER_CLIENT.applicationId })
    expect(delegated.status).toBe(200)
    expect((await spApi(standIn, own, `/orders/v0/orders/${orderId}/address`)).status).toBe(200)
    expect((await spApi(standIn, own, `/orders/v0/orders/${orderId}/address`)).status).toBe(429)
    expect((await spApi(standIn, delegated.body.restrictedDataToken, `/orders/v0/orders/${orderId}/address`)).status).toBe(200)
  })

  it('createRestrictedDataToken has its own usage plan, 1 r/s burst 10, per seller and application', async () => {
    const { standIn, clock } = await start()
    const token = await spApiAccessToken(standIn)
    const resources = [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }]
    for (let i = 0; i < 10; i++) expect((await mintRdt(standIn, token, resources)).status).toBe(200)
    const throttled = await mintRdt(standIn, token, resources)
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('x-amzn-ratelimit-limit')).toBeNull()
    expect((await mintRdt(standIn, await spApiAccessToken(standIn, EU_SELLER, OTHER_CLIENT), resources)).status).toBe(200)
    clock.now += 1000
    expect((await mintRdt(standIn, token, resources)).status).toBe(200)
    // Mints are counted per seller in the request log.
    expect(standIn.countRequests({ operation: 'createRestrictedDataToken', subject: EU_SELLER, status: 200 })).toBe(12)
  })

  it('never writes a token to the request log', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const orderId = await firstOrderId(standIn, token)
    const rdt = (await mintRdt(standIn, token, [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address' }])).body.restrictedDataToken
    await spApi(standIn, rdt, `/orders/v0/orders/${orderId}/address`)
    expect(standIn.requests({ kind: 'sp_api' }).map((record) => [record.operation, record.subject, record.status])).toEqual([
      ['getOrders', EU_SELLER, 200],
      ['createRestrictedDataToken', EU_SELLER, 200],
      ['getOrderAddress', EU_SELLER, 200],
    ])
    const logged = JSON.stringify(standIn.requests()) + (await control(standIn, 'GET', '/requests')).text
    expect(logged).not.toContain(rdt)
    expect(logged).not.toContain(token)
    expect(logged).not.toContain('Atz.sprdt|')
  })
})
