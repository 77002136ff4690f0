import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import { CATALOG } from './catalog.ts'
import { isoSeconds } from './iso-seconds.ts'
import type { SpApiSeller } from './sp-api-sellers.ts'
import { digits, stableHash as hash } from './stable-hash.ts'

/** The Orders API v0 `Order` fields the stand-in fills in. */
export type Order = {
  AmazonOrderId: string
  PurchaseDate: string
  LastUpdateDate: string
  OrderStatus: 'Pending' | 'Unshipped' | 'Shipped' | 'Canceled'
  FulfillmentChannel: 'AFN' | 'MFN'
  SalesChannel: string
  OrderType: 'StandardOrder'
  OrderTotal: { CurrencyCode: string; Amount: string }
  NumberOfItemsShipped: number
  NumberOfItemsUnshipped: number
  PaymentMethod: 'Other'
  PaymentMethodDetails: string[]
  MarketplaceId: string
  ShipmentServiceLevelCategory: 'Standard' | 'Expedited'
  IsBusinessOrder: boolean
  IsPrime: boolean
  IsPremiumOrder: boolean
  IsGlobalExpressEnabled: boolean
  IsReplacementOrder: boolean
  IsSoldByAB: boolean
  IsISPU: boolean
  IsAccessPointOrder: boolean
  HasRegulatedItems: boolean
}

export const ORDERS_PER_MARKETPLACE = 6
const HOUR_MS = 3_600_000
const STATUSES: Order['OrderStatus'][] = ['Shipped', 'Shipped', 'Unshipped', 'Pending', 'Shipped', 'Canceled']

type Money = { CurrencyCode: string; Amount: string }

/** The Orders API v0 `OrderItem` fields the stand-in fills in. */
export type OrderItem = {
  ASIN: string
  SellerSKU: string
  OrderItemId: string
  Title: string
  QuantityOrdered: number
  QuantityShipped: number
  /** Left out while the order is Pending: Amazon shows no pricing before payment is authorized. */
  ItemPrice?: Money
  ItemTax?: Money
  IsGift: 'true' | 'false'
}

/** `Order.BuyerInfo` / getOrderBuyerInfo: personal data, only with a Restricted Data Token. */
export type BuyerInfo = { BuyerEmail: string; BuyerName: string }

/** `Order.ShippingAddress` / getOrderAddress: personal data, only with a Restricted Data Token. */
export type ShippingAddress = {
  Name: string
  AddressLine1: string
  City: string
  StateOrRegion: string
  PostalCode: string
  CountryCode: string
  AddressType: 'Residential'
}

/**
 * A few orders per marketplace, the newest an hour before `anchor`, one day apart, identical for
 * the same seller and anchor (the stand-in's start or last reset).
 */
export function generateOrders(seller: SpApiSeller, marketplaceId: string, anchor: number): Order[] {
  const marketplace = marketplaceById(marketplaceId)!
  return Array.from({ length: ORDERS_PER_MARKETPLACE }, (_, index) => {
    const seed = hash(`${seller.sellingPartnerId}/${marketplaceId}/${index}`)
    const purchased = anchor - HOUR_MS - index * 24 * HOUR_MS - (seed % 3600) * 1000
    const status = STATUSES[index % STATUSES.length]!
    const items = 1 + (seed % 3)
    return {
      AmazonOrderId: `${digits(seed, 3)}-${digits(hash(`a${seed}`), 7)}-${digits(hash(`b${seed}`), 7)}`,
      PurchaseDate: isoSeconds(purchased),
      LastUpdateDate: isoSeconds(purchased + 2 * HOUR_MS),
      OrderStatus: status,
      FulfillmentChannel: seed % 2 === 0 ? 'AFN' : 'MFN',
      SalesChannel: marketplace.name,
      OrderType: 'StandardOrder',
      OrderTotal: { CurrencyCode: marketplace.defaultCurrencyCode, Amount: ((seed % 20_000) / 100 + 5).toFixed(2) },
      NumberOfItemsShipped: status === 'Shipped' ? items : 0,
      NumberOfItemsUnshipped: status === 'Unshipped' || status === 'Pending' ? items : 0,
      PaymentMethod: 'Other',
      PaymentMethodDetails: ['Standard'],
      MarketplaceId: marketplaceId,
      ShipmentServiceLevelCategory: seed % 5 === 0 ? 'Expedited' : 'Standard',
      IsBusinessOrder: false,
      IsPrime: seed % 3 === 0,
      IsPremiumOrder: false,
      IsGlobalExpressEnabled: false,
      IsReplacementOrder: false,
      IsSoldByAB: false,
      IsISPU: false,
      IsAccessPointOrder: false,
      HasRegulatedItems: false,
    }
  })
}

/** Every order of the seller, in all its marketplaces. */
export function allOrders(seller: SpApiSeller, anchor: number): Order[] {
  return seller.marketplaceIds.flatMap((id) => generateOrders(seller, id, anchor))
}

/** One of the seller's orders; another seller's order id is unknown here, as at Amazon. */
export function findOrder(seller: SpApiSeller, orderId: string, anchor: number): Order | undefined {
  return allOrders(seller, anchor).find((order) => order.AmazonOrderId === orderId)
}

/** One line per unit, each a catalog product (catalog.ts), so the items add up to the order's counts. */
export function generateOrderItems(order: Order): OrderItem[] {
  const units = Math.max(1, order.NumberOfItemsShipped + order.NumberOfItemsUnshipped)
  const priced = order.OrderStatus !== 'Pending'
  const total = Math.round(Number(order.OrderTotal.Amount) * 100)
  return Array.from({ length: units }, (_, line) => {
    const seed = hash(`${order.AmazonOrderId}/${line}`)
    const product = CATALOG[seed % CATALOG.length]!
    // The lines share the order total; the last takes the rounding remainder.
    const cents = line < units - 1 ? Math.floor(total / units) : total - Math.floor(total / units) * (units - 1)
    return {
      ASIN: product.asin,
      SellerSKU: `SKU-${product.asin}`,
      OrderItemId: digits(seed, 14),
      Title: product.itemName,
      QuantityOrdered: 1,
      QuantityShipped: order.OrderStatus === 'Shipped' ? 1 : 0,
      ...(priced
        ? {
            ItemPrice: { CurrencyCode: order.OrderTotal.CurrencyCode, Amount: (cents / 100).toFixed(2) },
            ItemTax: { CurrencyCode: order.OrderTotal.CurrencyCode, Amount: '0.00' },
          }
        : {}),
      IsGift: seed % 7 === 0 ? 'true' : 'false',
    }
  })
}

const NAMES = ['Alex Example', 'Sam Sample', 'Jordan Placeholder', 'Robin Testperson', 'Kim Standin']

export function buyerInfoOf(order: Order): BuyerInfo {
  const seed = hash(`buyer/${order.AmazonOrderId}`)
  const domain = marketplaceById(order.MarketplaceId)!.domainName.replace(/^www\.amazon\./, '')
  return { BuyerEmail: `${digits(seed, 12)}@marketplace.amazon.${domain}`, BuyerName: NAMES[seed % NAMES.length]! }
}

export function shippingAddressOf(order: Order): ShippingAddress {
  const seed = hash(`address/${order.AmazonOrderId}`)
  return {
    Name: buyerInfoOf(order).BuyerName,
    AddressLine1: `${1 + (seed % 200)} Stand-in Street`,
    City: 'Stand-in City',
    StateOrRegion: 'Stand-in Region',
    PostalCode: digits(seed, 5),
    CountryCode: marketplaceById(order.MarketplaceId)!.countryCode,
    AddressType: 'Residential',
  }
}
