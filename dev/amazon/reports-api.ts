import { z } from 'zod'
import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import { isoSeconds } from './iso-seconds.ts'
import { parseJson } from './http-io.ts'
import type { SpApiHandler } from './sp-api-call.ts'
import { invalidInput, spApiOk } from './sp-api-errors.ts'
import type { SpApiSeller } from './sp-api-sellers.ts'
import { stableHash } from './stable-hash.ts'

const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const
const REPORT_TYPES = ['GET_MERCHANT_LISTINGS_ALL_DATA', 'GET_FLAT_FILE_OPEN_LISTINGS_DATA', 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE']
const STATUS_CYCLE: Array<(typeof PROCESSING_STATUSES)[number]> = ['DONE', 'DONE', 'IN_PROGRESS', 'DONE', 'CANCELLED']
const DAY_MS = 86_400_000
/** Reports are kept 90 days, the default `createdSince` window. */
const RETENTION_MS = 90 * DAY_MS

type Report = {
  reportId: string
  reportType: string
  marketplaceIds: string[]
  createdTime: string
  processingStatus: (typeof PROCESSING_STATUSES)[number]
  processingStartTime?: string
  processingEndTime?: string
  reportDocumentId?: string
  dataStartTime: string
  dataEndTime: string
}

/** What a `nextToken` carries: the first page's filters and where the next page starts. */
const filtersSchema = z.object({
  reportTypes: z.array(z.string()),
  processingStatuses: z.array(z.enum(PROCESSING_STATUSES)).optional(),
  marketplaceIds: z.array(z.string()).optional(),
  pageSize: z.int().min(1).max(100),
  createdSince: z.number(),
  createdUntil: z.number(),
  offset: z.int().min(0),
})
type Filters = z.infer<typeof filtersSchema>

const isoDate = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value))

/**
 * Reports API 2021-06-30 getReports: the seller's reports, newest first, filtered by type (required,
 * 1–10), status, marketplace (1–10) and creation window (default the last 90 days), `pageSize` 1–100
 * (default 10). A `nextToken` must come alone: it carries the first call's filters. Bare body.
 */
export const getReports: SpApiHandler = ({ instance, seller, query }) => {
  const now = instance.clock.now()
  let filters: Filters
  const nextToken = query.get('nextToken')
  if (nextToken !== null) {
    if ([...query.keys()].some((key) => key !== 'nextToken')) return invalidInput('nextToken must be the only parameter when it is given.')
    const parsed = filtersSchema.safeParse(parseJson(Buffer.from(nextToken, 'base64url').toString('utf8')))
    if (!parsed.success) return invalidInput('Invalid nextToken.')
    filters = parsed.data
  } else {
    const list = (name: string) => (query.has(name) ? (query.get(name) ?? '').split(',').filter(Boolean) : undefined)
    const reportTypes = list('reportTypes')
    if (!reportTypes || reportTypes.length === 0) return invalidInput('Either reportTypes or nextToken is required.')
    if (reportTypes.length > 10) return invalidInput('reportTypes accepts at most 10 values.')
    const processingStatuses = list('processingStatuses')
    const badStatus = processingStatuses?.find((status) => !(PROCESSING_STATUSES as readonly string[]).includes(status))
    if (processingStatuses?.length === 0 || badStatus !== undefined) return invalidInput('Invalid input in processing status')
    const marketplaceIds = list('marketplaceIds')
    if (marketplaceIds && (marketplaceIds.length === 0 || marketplaceIds.length > 10)) return invalidInput('marketplaceIds accepts 1 to 10 values.')
    const unknown = marketplaceIds?.find((id) => !marketplaceById(id))
    if (unknown !== undefined) return invalidInput(`Invalid marketplace id ${unknown}.`)
    const pageSize = query.has('pageSize') ? Number(query.get('pageSize')) : 10
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return invalidInput('pageSize must be between 1 and 100.')
    const since = query.has('createdSince') ? isoDate.safeParse(query.get('createdSince')) : { success: true as const, data: now - RETENTION_MS }
    const until = query.has('createdUntil') ? isoDate.safeParse(query.get('createdUntil')) : { success: true as const, data: now }
    if (!since.success || !until.success) return invalidInput('createdSince and createdUntil must be ISO 8601 date-times.')
    filters = {
      reportTypes,
      processingStatuses: processingStatuses as Filters['processingStatuses'],
      marketplaceIds,
      pageSize,
      createdSince: since.data,
      createdUntil: until.data,
      offset: 0,
    }
  }

  const matching = generateReports(seller, instance.ordersAnchor).filter((report) => {
    const created = Date.parse(report.createdTime)
    return (
      filters.reportTypes.includes(report.reportType) &&
      (!filters.processingStatuses || filters.processingStatuses.includes(report.processingStatus)) &&
      (!filters.marketplaceIds || report.marketplaceIds.some((id) => filters.marketplaceIds!.includes(id))) &&
      created >= filters.createdSince &&
      created <= filters.createdUntil
    )
  })
  const end = filters.offset + filters.pageSize
  return spApiOk({
    reports: matching.slice(filters.offset, end),
    ...(end < matching.length ? { nextToken: Buffer.from(JSON.stringify({ ...filters, offset: end })).toString('base64url') } : {}),
  })
}

/** A few reports of each type per seller, one a day back from `anchor`, newest first; the same on every call. */
function generateReports(seller: SpApiSeller, anchor: number): Report[] {
  const reports = REPORT_TYPES.flatMap((reportType, typeIndex) =>
    Array.from({ length: 5 }, (_, index): Report => {
      const created = anchor - (index * DAY_MS + typeIndex * 3_600_000 + 600_000)
      const status = STATUS_CYCLE[index]!
      const reportId = String(50_000_000_000 + (stableHash(`${seller.sellingPartnerId}/${reportType}/${index}`) % 10_000_000_000))
      const started = status !== 'IN_QUEUE' ? { processingStartTime: isoSeconds(created + 60_000) } : {}
      const ended = status === 'DONE' || status === 'CANCELLED' || status === 'FATAL' ? { processingEndTime: isoSeconds(created + 300_000) } : {}
      return {
        reportId,
        reportType,
        marketplaceIds: [seller.marketplaceIds[0]!],
        createdTime: isoSeconds(created),
        processingStatus: status,
        ...started,
        ...ended,
        ...(status === 'DONE' ? { reportDocumentId: `amzn1.spdoc.1.4.${seller.sellingPartnerId.toLowerCase()}.${reportId}` } : {}),
        dataStartTime: isoSeconds(created - DAY_MS),
        dataEndTime: isoSeconds(created),
      }
    }),
  )
  return reports.sort((a, b) => b.createdTime.localeCompare(a.createdTime))
}
