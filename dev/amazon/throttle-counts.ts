import type { RequestRecord } from './request-log.ts'

/** How often Amazon answered 429 to one subject's calls of one operation. */
export type ThrottleCount = { subject: string; kind: RequestRecord['kind']; operation?: string; count: number }

/**
 * The 429s in the request log, per subject (selling partner id, Ads profile id, or the LWA grant's
 * owner) and operation: what a test asserts to show "Amazon never throttled us". Injected throttles
 * count too, since the caller cannot tell them apart.
 */
export function countThrottles(records: RequestRecord[], subject?: string): ThrottleCount[] {
  const counts = new Map<string, ThrottleCount>()
  for (const record of records) {
    if (record.status !== 429 || record.subject === undefined) continue
    if (subject !== undefined && record.subject !== subject) continue
    const key = JSON.stringify([record.subject, record.kind, record.operation ?? null])
    const entry = counts.get(key) ?? { subject: record.subject, kind: record.kind, ...(record.operation ? { operation: record.operation } : {}), count: 0 }
    entry.count++
    counts.set(key, entry)
  }
  return [...counts.values()]
}
