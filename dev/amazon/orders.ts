import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import { isoSeconds } from './clock.ts'
import type { SpApiSeller } from './sp-api-sellers.ts'

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

/** FNV-1a: a small stable hash so a seller's orders are the same on every call. */
function hash(text: string): number {
  let value = 0x811c9dc5
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0
  return value
}

const digits = (seed: number, length: number) => String(seed % 10 ** length).padStart(length, '0')

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
