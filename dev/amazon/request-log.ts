import type { Fault, ServiceKind } from './faults.ts'

/**
 * One request the stand-in received. Never a token, code, secret or query string: only what tests
 * need to count calls ("the Worker called the token endpoint exactly once").
 */
export type RequestRecord = {
  seq: number
  /** ISO time by the stand-in's clock. */
  at: string
  method: string
  /** The Amazon host the request was addressed to (the first path segment). */
  host: string
  /** The path on that host, without the query. */
  path: string
  kind: ServiceKind | 'unknown'
  /** The User-Agent header, when sent: it names the client app, never a secret (SP-API requires one). */
  userAgent?: string
  /**
   * Whose data the call concerns (ids, never secrets): LWA refresh_token requests, the grant's selling
   * partner or Ads account id; SP-API, the selling partner its token (or RDT) opens; Ads, the profile
   * id in its Amazon-Advertising-API-Scope header.
   */
  subject?: string
  /** LWA token requests: the form's `grant_type` when it is one LWA knows. */
  grantType?: string
  /** SP-API and Ads requests: the operation name, e.g. `getMarketplaceParticipations`, `listProfiles`. */
  operation?: string
  /** The status sent; absent while the request is in flight (or hangs). */
  status?: number
  fault?: Fault['kind']
}

export type RequestFilter = Partial<Pick<RequestRecord, 'method' | 'host' | 'path' | 'kind' | 'grantType' | 'operation' | 'status' | 'fault' | 'subject'>>

export class RequestLog {
  #records: RequestRecord[] = []
  #seq = 0

  start(record: Omit<RequestRecord, 'seq'>): RequestRecord {
    const started: RequestRecord = { seq: ++this.#seq, ...record }
    this.#records.push(started)
    return started
  }

  list(filter: RequestFilter = {}): RequestRecord[] {
    const keys = Object.keys(filter) as Array<keyof RequestFilter>
    return this.#records
      .filter((record) => keys.every((key) => filter[key] === undefined || record[key] === filter[key]))
      .map((record) => ({ ...record }))
  }

  clear(): void {
    this.#records = []
  }
}
