'use client'
// Calls through the Worker's Amazon proxy (`/api/amazon/{accountId}/{Amazon path}`) for the active account:
// the raw send the API console uses, and the two reads the Overview makes (recent orders, SP campaigns).
// The proxy's paths are Amazon's, so the typed Hono client cannot describe them: plain fetch with the session.
import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { type ProxyFailure, proxyFailure } from '../proxy-failure.ts'
import { shownHeaders } from '../proxy-headers.ts'
import { latestOrders, type OrderSummary, type OrderWindow, orderWindow, ordersPerDay, parseOrdersPage } from '../recent-orders.ts'
import { type CampaignList, parseCampaignList } from '../sp-campaigns.ts'
import type { Account } from './accounts.ts'
import { ApiError } from './api-error.ts'
import { useAuthorizedFetch } from './api-client.ts'

type ProxyMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export type ProxyRequest = {
  method: ProxyMethod
  /** Amazon's path, parameters filled in and encoded: `/orders/v0/orders`. */
  path: string
  /** The query string, without `?`. */
  query?: string
  body?: string
  contentType?: string
  accept?: string
  /** GETs: `Cache-Control: max-age`, so a repeat within that many seconds (≤ 300) is answered from the edge cache. */
  cacheSeconds?: number
  /** `Sellersync-Max-Wait`, already formatted (proxy-headers.ts). */
  maxWait?: string
  /** `Sellersync-RDT`, already formatted; restricted operations only. */
  dataElements?: string | null
  signal?: AbortSignal
}

export type ProxyResponse = {
  status: number
  durationMs: number
  /** The headers the console shows (SHOWN_RESPONSE_HEADERS) that the answer carries. */
  headers: Array<{ name: string; value: string }>
  /** The body as it came. */
  text: string
  /** The body parsed, when it is JSON; else undefined. */
  json: unknown
  /** What went wrong, for any status outside 2xx. */
  failure: ProxyFailure | null
}

/** A failed proxy call as an error for TanStack Query and the region boundaries; `failure` says what fixes it. */
export class ProxyError extends ApiError {
  readonly failure: ProxyFailure

  constructor(failure: ProxyFailure) {
    super(failure.status, failure.code, failure.message, failure.details)
    this.name = 'ProxyError'
    this.failure = failure
  }
}

export const amazonKey = (accountId: string) => ['amazon', accountId] as const

/** Sends one request through the proxy and reads the whole answer; only a network failure throws. */
export function useAmazonProxy(): (accountId: string, request: ProxyRequest) => Promise<ProxyResponse> {
  const authorizedFetch = useAuthorizedFetch()
  return useCallback(
    async (accountId, request) => {
      const headers = new Headers()
      if (request.contentType) headers.set('content-type', request.contentType)
      if (request.accept) headers.set('accept', request.accept)
      if (request.cacheSeconds !== undefined && request.method === 'GET') headers.set('cache-control', `max-age=${request.cacheSeconds}`)
      if (request.maxWait !== undefined) headers.set('sellersync-max-wait', request.maxWait)
      if (request.dataElements) headers.set('sellersync-rdt', request.dataElements)
      const url = `/api/amazon/${encodeURIComponent(accountId)}${request.path}${request.query ? `?${request.query}` : ''}`
      const started = performance.now()
      const response = await authorizedFetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'DELETE' ? { body: request.body } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      })
      const text = await response.text()
      const durationMs = Math.round(performance.now() - started)
      const json = parseJson(text)
      return {
        status: response.status,
        durationMs,
        headers: shownHeaders(response.headers),
        text,
        json,
        failure: response.ok ? null : proxyFailure(response.status, json, response.headers.get('retry-after')),
      }
    },
    [authorizedFetch],
  )
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Amazon's quotas are small: one more try, and only when the call did not get through (network, Amazon silent). */
const retryUnavailable = (failures: number, error: Error) => failures < 1 && error instanceof ApiError && (error.status === 0 || error.status === 503)

/** A 2xx whose body is not what the operation returns: an error of its own, not a render bug. */
function readAnswer<T>(parse: (body: unknown) => T, body: unknown): T {
  try {
    return parse(body)
  } catch (error) {
    throw new ApiError(502, 'unexpected_answer', (error as Error).message)
  }
}

/** getOrders is allowed 1 call a minute (burst 20): pages beyond this many wait for a later look. */
export const ORDERS_MAX_PAGES = 5
/** How old a getOrders page the edge cache answers with may be: a reload within a minute costs Amazon nothing. */
const ORDERS_CACHE_SECONDS = 60
/** How long the page keeps what it read before reading again (on focus, on return): the Overview is a glance. */
const OVERVIEW_STALE_MS = 5 * 60_000

export type RecentOrders = {
  window: OrderWindow
  perDay: Array<{ day: string; count: number }>
  latest: OrderSummary[]
  total: number
  /** False when more pages were left than ORDERS_MAX_PAGES allows: the counts are a lower bound. */
  complete: boolean
}

/** The SP-API account's orders of the last 7 days (getOrders, up to ORDERS_MAX_PAGES pages), per day and newest. */
export function useRecentOrders(account: Account) {
  const send = useAmazonProxy()
  // getOrders takes at most 50 marketplaces.
  const marketplaceIds = account.marketplaces.slice(0, 50)
  const period = orderWindow(marketplaceIds)
  return useQuery({
    // The window's start changes once a day; so does the key, and the URL the edge caches.
    queryKey: [...amazonKey(account.id), 'orders', marketplaceIds.join(','), period.createdAfter],
    staleTime: OVERVIEW_STALE_MS,
    retry: retryUnavailable,
    queryFn: async ({ signal }): Promise<RecentOrders> => {
      const filters = new URLSearchParams({ MarketplaceIds: marketplaceIds.join(','), CreatedAfter: period.createdAfter, MaxResultsPerPage: '100' })
      const orders: OrderSummary[] = []
      let nextToken: string | null = null
      for (let page = 0; page < ORDERS_MAX_PAGES; page++) {
        // NextToken pages repeat the filters: Amazon documents that NextToken leaves them in force, and it accepts them.
        const query = new URLSearchParams(filters)
        if (nextToken) query.set('NextToken', nextToken)
        const response = await send(account.id, { method: 'GET', path: '/orders/v0/orders', query: query.toString(), cacheSeconds: ORDERS_CACHE_SECONDS, signal })
        if (response.failure) throw new ProxyError(response.failure)
        const parsed = readAnswer(parseOrdersPage, response.json)
        orders.push(...parsed.orders)
        nextToken = parsed.nextToken
        if (!nextToken) break
      }
      return { window: period, perDay: ordersPerDay(orders, period), latest: latestOrders(orders), total: orders.length, complete: nextToken === null }
    },
  })
}

const SP_CAMPAIGN_MEDIA_TYPE = 'application/vnd.spCampaign.v3+json'

/** The Ads account's Sponsored Products campaigns (the first 100: `POST /sp/campaigns/list`). */
export function useSpCampaigns(account: Account) {
  const send = useAmazonProxy()
  return useQuery({
    queryKey: [...amazonKey(account.id), 'sp-campaigns'],
    staleTime: OVERVIEW_STALE_MS,
    retry: retryUnavailable,
    queryFn: async ({ signal }): Promise<CampaignList> => {
      const response = await send(account.id, {
        method: 'POST',
        path: '/sp/campaigns/list',
        body: JSON.stringify({ maxResults: 100 }),
        contentType: SP_CAMPAIGN_MEDIA_TYPE,
        accept: SP_CAMPAIGN_MEDIA_TYPE,
        signal,
      })
      if (response.failure) throw new ProxyError(response.failure)
      return readAnswer(parseCampaignList, response.json)
    },
  })
}
