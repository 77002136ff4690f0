// The Overview's orders: calendar days in a marketplace's time zone (DST included), the 7-day window getOrders is
// asked for, a getOrders page read defensively, counts per day and the newest orders.
import { describe, expect, it } from 'vitest'
import { latestOrders, orderWindow, ordersPerDay, parseOrdersPage, type OrderSummary } from '../../../web/lib/recent-orders.ts'
import { addDays, dateTimeIn, dayIn, dayLabel, lastDays, startOfDay, zoneName } from '../../../web/lib/time-zone-days.ts'

const US = 'ATVPDKIKX0DER'
const CA = 'A2EUQ1WTGCTBG2'
const UK = 'A1F83G8C2ARO7P'
const DE = 'A1PA6795UKMFR9'

describe('calendar days in a time zone', () => {
  it('puts an instant on the day it is there', () => {
    const instant = Date.parse('2026-12-01T06:30:00Z')
    expect(dayIn(instant, 'UTC')).toBe('2026-12-01')
    expect(dayIn(instant, 'America/Los_Angeles')).toBe('2026-11-30') // 22:30 the evening before
    expect(dayIn(instant, 'Asia/Tokyo')).toBe('2026-12-01')
  })

  it('finds midnight, also on the days the clocks change', () => {
    expect(new Date(startOfDay('2026-12-01', 'America/Los_Angeles')).toISOString()).toBe('2026-12-01T08:00:00.000Z')
    expect(new Date(startOfDay('2026-07-01', 'America/Los_Angeles')).toISOString()).toBe('2026-07-01T07:00:00.000Z')
    // Spring forward (2026-03-08 02:00) and fall back (2026-11-01 02:00): midnight keeps the day's first offset.
    expect(new Date(startOfDay('2026-03-08', 'America/Los_Angeles')).toISOString()).toBe('2026-03-08T08:00:00.000Z')
    expect(new Date(startOfDay('2026-03-09', 'America/Los_Angeles')).toISOString()).toBe('2026-03-09T07:00:00.000Z')
    expect(new Date(startOfDay('2026-11-01', 'America/Los_Angeles')).toISOString()).toBe('2026-11-01T07:00:00.000Z')
    expect(new Date(startOfDay('2026-03-29', 'Europe/London')).toISOString()).toBe('2026-03-29T00:00:00.000Z')
    expect(new Date(startOfDay('2026-03-30', 'Europe/London')).toISOString()).toBe('2026-03-29T23:00:00.000Z')
    expect(new Date(startOfDay('2026-12-01', 'Asia/Kolkata')).toISOString()).toBe('2026-11-30T18:30:00.000Z')
  })

  it('counts days across months and years, oldest first', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(lastDays(Date.parse('2027-01-02T12:00:00Z'), 'UTC', 4)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02'])
  })

  it('labels days, times and zones for people', () => {
    expect(dayLabel('2026-12-01', 'weekday')).toBe('Tue')
    expect(dayLabel('2026-12-01', 'long')).toBe('Tuesday, December 1')
    expect(dateTimeIn(Date.parse('2026-12-01T17:41:00Z'), 'America/Los_Angeles')).toBe('Dec 1, 9:41 AM')
    expect(zoneName('America/Los_Angeles')).toBe('Pacific Time')
    expect(zoneName('UTC')).toBe('UTC')
  })
})

describe('the 7-day window', () => {
  const now = Date.parse('2026-12-07T20:00:00Z') // noon in Los Angeles

  it('is today and the six days before, from the first day’s midnight in the marketplaces’ zone', () => {
    const window = orderWindow([US, CA], now)
    expect(window.timeZone).toBe('America/Los_Angeles')
    expect(window.days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'])
    expect(window.createdAfter).toBe('2026-12-01T08:00:00.000Z')
  })

  it('asks for the same CreatedAfter all day, so a reload hits the edge cache', () => {
    expect(orderWindow([US], now + 3 * 3_600_000).createdAfter).toBe(orderWindow([US], now).createdAfter)
  })

  it('uses UTC days when the marketplaces keep different time', () => {
    const window = orderWindow([UK, DE], now)
    expect(window.timeZone).toBe('UTC')
    expect(window.createdAfter).toBe('2026-12-01T00:00:00.000Z')
  })
})

describe('a getOrders page', () => {
  it('keeps id, date, status and total, and the NextToken', () => {
    const page = parseOrdersPage({
      payload: {
        Orders: [
          { AmazonOrderId: '111-0000001-0000001', PurchaseDate: '2026-12-07T18:00:00Z', OrderStatus: 'Shipped', OrderTotal: { CurrencyCode: 'USD', Amount: '25.99' } },
          { AmazonOrderId: '111-0000001-0000002', PurchaseDate: '2026-12-06T18:00:00Z', OrderStatus: 'Pending' }, // no total yet
          { AmazonOrderId: '', PurchaseDate: '2026-12-06T18:00:00Z' }, // no id: skipped
          { AmazonOrderId: '111-0000001-0000003', PurchaseDate: 'yesterday' }, // no date: skipped
          'not an order',
        ],
        NextToken: 'abc',
      },
    })
    expect(page).toEqual({
      orders: [
        { id: '111-0000001-0000001', purchasedAt: '2026-12-07T18:00:00Z', status: 'Shipped', total: { amount: '25.99', currency: 'USD' } },
        { id: '111-0000001-0000002', purchasedAt: '2026-12-06T18:00:00Z', status: 'Pending', total: null },
      ],
      nextToken: 'abc',
    })
    expect(parseOrdersPage({ payload: { Orders: [] } })).toEqual({ orders: [], nextToken: null })
  })

  it('refuses an answer without a list of orders', () => {
    expect(() => parseOrdersPage({ errors: [] })).toThrow('Amazon’s answer has no list of orders.')
    expect(() => parseOrdersPage(undefined)).toThrow()
  })
})

describe('orders per day and the newest', () => {
  const order = (id: string, purchasedAt: string): OrderSummary => ({ id, purchasedAt, status: 'Shipped', total: null })
  const orders = [
    order('a', '2026-12-07T19:00:00Z'), // Dec 7, 11:00 in Los Angeles
    order('b', '2026-12-07T07:30:00Z'), // Dec 6, 23:30 there, though Dec 7 in UTC
    order('c', '2026-12-06T19:00:00Z'),
    order('d', '2026-12-01T08:00:00Z'), // the window's first instant
    order('e', '2026-11-30T20:00:00Z'), // before the window
  ]

  it('counts each order on its day in the zone, zeros included', () => {
    const window = orderWindow([US], Date.parse('2026-12-07T20:00:00Z'))
    expect(ordersPerDay(orders, window)).toEqual([
      { day: '2026-12-01', count: 1 },
      { day: '2026-12-02', count: 0 },
      { day: '2026-12-03', count: 0 },
      { day: '2026-12-04', count: 0 },
      { day: '2026-12-05', count: 0 },
      { day: '2026-12-06', count: 2 },
      { day: '2026-12-07', count: 1 },
    ])
  })

  it('lists the newest first, at most ten', () => {
    expect(latestOrders(orders).map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    const many = Array.from({ length: 15 }, (_, i) => order(`o${i}`, new Date(Date.UTC(2026, 11, 1, i)).toISOString()))
    expect(latestOrders(many).map((o) => o.id)).toEqual(['o14', 'o13', 'o12', 'o11', 'o10', 'o9', 'o8', 'o7', 'o6', 'o5'])
  })
})
