// The Overview's orders: what getOrders (Orders API v0) answers, reduced to what the page shows, and counted
// per calendar day. Days are those of the account's marketplaces' time zone when they share one (all of North
// America but Brazil is Pacific time, as Seller Central reports it), else UTC: see sharedTimeZone.
import { sharedTimeZone } from './marketplace-locale.ts'
import { dayIn, lastDays, startOfDay } from './time-zone-days.ts'

const ORDER_WINDOW_DAYS = 7

export type OrderSummary = {
  id: string
  /** PurchaseDate, ISO 8601. */
  purchasedAt: string
  status: string
  /** OrderTotal; Amazon leaves it out for some orders (pending, cancelled). */
  total: { amount: string; currency: string } | null
}

export type OrdersPage = { orders: OrderSummary[]; nextToken: string | null }

export type OrderWindow = {
  /** The days counted, oldest first, today last, in `timeZone`. */
  days: string[]
  timeZone: string
  /** getOrders' CreatedAfter: the first day's midnight. The same all day, so the URL (and the edge cache) is too. */
  createdAfter: string
}

export function orderWindow(marketplaceIds: readonly string[], now = Date.now()): OrderWindow {
  const timeZone = sharedTimeZone(marketplaceIds)
  const days = lastDays(now, timeZone, ORDER_WINDOW_DAYS)
  return { days, timeZone, createdAfter: new Date(startOfDay(days[0]!, timeZone)).toISOString() }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/** One getOrders page (`{ payload: { Orders, NextToken? } }`); orders without an id or a valid date are skipped. */
export function parseOrdersPage(body: unknown): OrdersPage {
  const payload = isRecord(body) ? body.payload : undefined
  if (!isRecord(payload) || !Array.isArray(payload.Orders)) throw new Error('Amazon’s answer has no list of orders.')
  const orders: OrderSummary[] = []
  for (const order of payload.Orders) {
    if (!isRecord(order)) continue
    const id = text(order.AmazonOrderId)
    const purchasedAt = text(order.PurchaseDate)
    if (!id || !purchasedAt || Number.isNaN(Date.parse(purchasedAt))) continue
    const total = isRecord(order.OrderTotal) ? order.OrderTotal : null
    const amount = text(total?.Amount)
    const currency = text(total?.CurrencyCode)
    orders.push({ id, purchasedAt, status: text(order.OrderStatus) ?? 'Unknown', total: amount && currency ? { amount, currency } : null })
  }
  return { orders, nextToken: text(payload.NextToken) }
}

/** How many orders were placed on each day of the window (0 included), oldest first. */
export function ordersPerDay(orders: readonly OrderSummary[], window: Pick<OrderWindow, 'days' | 'timeZone'>): Array<{ day: string; count: number }> {
  const counts = new Map(window.days.map((day) => [day, 0]))
  for (const order of orders) {
    const day = dayIn(Date.parse(order.purchasedAt), window.timeZone)
    const count = counts.get(day)
    if (count !== undefined) counts.set(day, count + 1)
  }
  return window.days.map((day) => ({ day, count: counts.get(day)! }))
}

/** The newest `count` orders, newest first. */
export function latestOrders(orders: readonly OrderSummary[], count = 10): OrderSummary[] {
  return [...orders].sort((a, b) => Date.parse(b.purchasedAt) - Date.parse(a.purchasedAt)).slice(0, count)
}
