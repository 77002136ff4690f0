import { z } from 'zod'
import { isoSeconds } from './iso-seconds.ts'
import type { Reply } from './http-io.ts'
import { allOrders, buyerInfoOf, findOrder, generateOrderItems, type Order, type OrderItem, shippingAddressOf } from './orders.ts'
import type { SpApiCall, SpApiHandler } from './sp-api-call.ts'
import { decodePageToken, encodePageToken } from './page-tokens.ts'
import { invalidInput, resourceNotFound, spApiOk } from './sp-api-errors.ts'

/**
 * Orders API v0 (`/orders/v0/orders…`): orders, their items, and the buyer's personal data. That data
 * goes only to calls a Restricted Data Token authorized: getOrders / getOrder carry `BuyerInfo` and
 * `ShippingAddress`, getOrderItems the items' `BuyerInfo`, when the RDT's resource names the data element.
 */
export const ordersApi: Record<
  'getOrders' | 'getOrder' | 'getOrderItems' | 'getOrderBuyerInfo' | 'getOrderAddress' | 'getOrderItemsBuyerInfo',
  SpApiHandler
> = {
  getOrders,
  getOrder: (call) => withOrder(call, (order) => ({ payload: withPersonalData(call, order) })),
  getOrderItems: (call) =>
    withOrder(call, (order) => ({
      payload: {
        AmazonOrderId: order.AmazonOrderId,
        OrderItems: generateOrderItems(order).map((item) => (call.dataElements.has('buyerInfo') ? { ...item, BuyerInfo: itemBuyerInfo(item) } : item)),
      },
    })),
  getOrderBuyerInfo: (call) => withOrder(call, (order) => ({ payload: { AmazonOrderId: order.AmazonOrderId, ...buyerInfoOf(order) } })),
  getOrderAddress: (call) => withOrder(call, (order) => ({ payload: { AmazonOrderId: order.AmazonOrderId, ShippingAddress: shippingAddressOf(order) } })),
  getOrderItemsBuyerInfo: (call) =>
    withOrder(call, (order) => ({
      payload: {
        AmazonOrderId: order.AmazonOrderId,
        OrderItems: generateOrderItems(order).map((item) => ({ OrderItemId: item.OrderItemId, ...itemBuyerInfo(item) })),
      },
    })),
}

/** The order named by the path, if it is this seller's; else 404 (for that seller, as at Amazon). */
function withOrder(call: SpApiCall, answer: (order: Order) => unknown): Reply {
  const orderId = call.params.orderId!
  const order = findOrder(call.seller, orderId, call.instance.ordersAnchor)
  return order ? spApiOk(answer(order)) : resourceNotFound(`Order ${orderId} was not found.`)
}

function withPersonalData(call: SpApiCall, order: Order) {
  return {
    ...order,
    ...(call.dataElements.has('buyerInfo') ? { BuyerInfo: buyerInfoOf(order) } : {}),
    ...(call.dataElements.has('shippingAddress') ? { ShippingAddress: shippingAddressOf(order) } : {}),
  }
}

/** The item-level buyer data (gift wrap and message), for gifts only. */
function itemBuyerInfo(item: OrderItem) {
  return item.IsGift === 'true' ? { GiftWrapLevel: 'Classic', GiftMessageText: 'Enjoy your present!' } : {}
}

const isoDate = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value))

function getOrders(call: SpApiCall): Reply {
  const { instance, seller, query } = call
  const marketplaceIds = (query.get('MarketplaceIds') ?? '').split(',').filter(Boolean)
  if (marketplaceIds.length === 0) return invalidInput('MarketplaceIds is required.')
  if (marketplaceIds.length > 50) return invalidInput('MarketplaceIds accepts at most 50 marketplaces.')
  const foreign = marketplaceIds.find((id) => !seller.marketplaceIds.includes(id))
  if (foreign) return invalidInput(`Marketplace ${foreign} is not one the seller participates in.`)

  const createdAfter = query.get('CreatedAfter')
  const lastUpdatedAfter = query.get('LastUpdatedAfter')
  if (createdAfter === null && lastUpdatedAfter === null) return invalidInput('Either CreatedAfter or LastUpdatedAfter must be specified.')
  if (createdAfter !== null && lastUpdatedAfter !== null) return invalidInput('CreatedAfter and LastUpdatedAfter cannot both be specified.')
  const after = isoDate.safeParse(createdAfter ?? lastUpdatedAfter)
  if (!after.success) return invalidInput(`${createdAfter !== null ? 'CreatedAfter' : 'LastUpdatedAfter'} must be an ISO 8601 date-time.`)

  const pageSize = query.has('MaxResultsPerPage') ? Number(query.get('MaxResultsPerPage')) : 100
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return invalidInput('MaxResultsPerPage must be between 1 and 100.')
  const nextToken = query.get('NextToken')
  const offset = nextToken === null ? 0 : decodePageToken(nextToken)
  if (offset === undefined) return invalidInput('Invalid NextToken.')

  const field: keyof Order = createdAfter !== null ? 'PurchaseDate' : 'LastUpdateDate'
  const all = allOrders(seller, instance.ordersAnchor)
    .filter((order) => marketplaceIds.includes(order.MarketplaceId) && Date.parse(order[field]) >= after.data)
    .sort((a, b) => a.PurchaseDate.localeCompare(b.PurchaseDate))
  const page = all.slice(offset, offset + pageSize)
  const more = offset + pageSize < all.length
  const before = isoSeconds(instance.clock.now() - 2 * 60_000)
  return spApiOk({
    payload: {
      Orders: page.map((order) => withPersonalData(call, order)),
      ...(more ? { NextToken: encodePageToken(offset + pageSize) } : {}),
      ...(createdAfter !== null ? { CreatedBefore: before } : { LastUpdatedBefore: before }),
    },
  })
}
