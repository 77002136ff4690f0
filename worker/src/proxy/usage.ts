/** What the proxy did for one account and operation, since the counters started. */
export type OperationUsage = {
  calls: number
  /** Calls that waited for the operation's bucket before going to Amazon. */
  shapedWaits: number
  /** 429s sellersync answered because the bucket stayed empty past the caller's wait budget. */
  throttledBySellersync: number
  /** 429s Amazon answered (each retry counts). */
  throttledByAmazon: number
  /** Answers of 500 or more, and Amazon unreachable. */
  errors: number
  lastCallAt: string | null
}

/** One finished proxied call, as the route reports it to the account's session. */
export type CallOutcome = {
  accountId: string
  operationId: string
  /** The status the caller got (after retries); 0 when Amazon could not be reached. */
  status: number
  waited: boolean
  /** How many of our attempts Amazon answered with 429. */
  amazonThrottles: number
  /** We answered 429 ourselves. */
  throttledByUs: boolean
}

export type AccountUsage = { since: string | null; operations: Record<string, OperationUsage> }

const empty = (): OperationUsage => ({ calls: 0, shapedWaits: 0, throttledBySellersync: 0, throttledByAmazon: 0, errors: 0, lastCallAt: null })

/** Adds one call to an account's counters (a new object; the input is not changed). */
export function countCall(usage: AccountUsage | undefined, outcome: CallOutcome, now: Date): AccountUsage {
  const at = now.toISOString()
  const current = usage?.operations[outcome.operationId] ?? empty()
  const next: OperationUsage = {
    calls: current.calls + 1,
    shapedWaits: current.shapedWaits + (outcome.waited ? 1 : 0),
    throttledBySellersync: current.throttledBySellersync + (outcome.throttledByUs ? 1 : 0),
    throttledByAmazon: current.throttledByAmazon + outcome.amazonThrottles,
    errors: current.errors + (outcome.status === 0 || outcome.status >= 500 ? 1 : 0),
    lastCallAt: at,
  }
  return { since: usage?.since ?? at, operations: { ...usage?.operations, [outcome.operationId]: next } }
}
