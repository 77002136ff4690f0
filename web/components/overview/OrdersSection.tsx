'use client'
// An SP-API seller's orders of the last 7 days, read through the proxy (getOrders): per day as a chart with a
// table behind it for screen readers, and the newest ten. getOrders is allowed one call a minute, so the
// answer is kept fresh for 5 minutes and a reload within a minute is served by the edge cache.
import { useId } from 'react'
import { type RecentOrders, useRecentOrders, ORDERS_MAX_PAGES } from '../../lib/api/amazon-proxy.ts'
import type { Account } from '../../lib/api/accounts.ts'
import { formatMoney } from '../../lib/money.ts'
import { dateTimeIn } from '../../lib/time-zone-days.ts'
import { ProxyErrorNotice } from '../ProxyErrorNotice.tsx'
import { OrdersChart } from './OrdersChart.tsx'

export function OrdersSection({ account }: { account: Account }) {
  const orders = useRecentOrders(account)
  return (
    <section className="card stack" aria-labelledby="orders-heading" aria-busy={orders.isFetching}>
      <h2 id="orders-heading">Orders, last 7 days</h2>
      {orders.error && <ProxyErrorNotice error={orders.error} failedAt={orders.errorUpdatedAt} onRetry={() => void orders.refetch()} autoRetry />}
      {orders.data ? <OrdersSummary orders={orders.data} /> : !orders.error && <OrdersSkeleton />}
    </section>
  )
}

function OrdersSummary({ orders }: { orders: RecentOrders }) {
  const headingId = useId()
  if (orders.total === 0) return <p className="muted">No orders in the last 7 days.</p>
  const { timeZone } = orders.window
  return (
    <>
      <OrdersChart perDay={orders.perDay} timeZone={timeZone} />
      {!orders.complete && (
        <p className="small muted">
          More than {ORDERS_MAX_PAGES * 100} orders: these counts are of the first {ORDERS_MAX_PAGES * 100}.
        </p>
      )}
      <h3 id={headingId}>Latest orders</h3>
      <div className="table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Date</th>
              <th scope="col">Status</th>
              <th scope="col" className="number">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.latest.map((order) => (
              <tr key={order.id}>
                <td className="order-id">{order.id}</td>
                <td>
                  <time dateTime={order.purchasedAt}>{dateTimeIn(Date.parse(order.purchasedAt), timeZone)}</time>
                </td>
                <td>{order.status}</td>
                <td className="number">{order.total ? formatMoney(Number(order.total.amount), order.total.currency) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function OrdersSkeleton() {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label="Loading orders">
      <span className="bone chart" />
      <span className="bone wide" />
      <span className="bone" />
    </div>
  )
}
