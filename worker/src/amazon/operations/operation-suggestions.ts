import type { HttpMethod, OperationSpec } from './operation-spec.ts'

/**
 * The known operations nearest to a request that matched none, for the proxy's `unknown_operation`
 * answer. The distance is an edit distance over path segments: inserting or deleting a segment costs 1, a
 * `{name}` segment takes any non-empty segment for free, and a literal costs its character edit distance
 * scaled to [0, 1] (so the typo `/orders/v0/order` is nearer `/orders/v0/orders` than
 * `/orders/v0/orders/{orderId}`). Another method adds OTHER_METHOD_PENALTY. Ties go by path, then
 * method, so answers are deterministic.
 */

export type OperationSuggestion = { method: HttpMethod; path: string; operationId: string }

// A same-path operation under another method still ranks above most wrong paths.
const OTHER_METHOD_PENALTY = 0.25
// Bound the work a hostile path causes (a few ms): no template has more than 10 segments, and a segment
// over twice a literal's length is no near miss of it.
const MAX_SEGMENTS = 12
const MAX_SEGMENT_LENGTH = 40
const PARAM_SEGMENT = -1

export function createOperationSuggester(specs: readonly OperationSpec[]): (method: string, path: string, limit: number) => OperationSuggestion[] {
  const literalIds = new Map<string, number>()
  const idOf = (literal: string): number => {
    let id = literalIds.get(literal)
    if (id === undefined) literalIds.set(literal, (id = literalIds.size))
    return id
  }
  // Each template as literal ids, PARAM_SEGMENT for `{name}` (the matcher has validated the templates).
  const templates = specs.map((spec) => ({
    spec,
    segments: Int32Array.from(spec.path.slice(1).split('/'), (segment) => (segment.startsWith('{') ? PARAM_SEGMENT : idOf(segment))),
  }))
  const literals = [...literalIds.keys()]
  const longest = Math.max(0, ...templates.map(({ segments }) => segments.length))

  return (method, path, limit) => {
    if (limit <= 0) return []
    const request = (path.startsWith('/') ? path.slice(1) : path)
      .split('/')
      .slice(0, MAX_SEGMENTS)
      .map((segment) => segment.slice(0, MAX_SEGMENT_LENGTH))
    const costs = literalCosts(request, literals)
    const above = new Float64Array(longest + 1)
    const below = new Float64Array(longest + 1)
    const scored = templates.map(({ spec, segments }) => {
      for (let j = 0; j <= segments.length; j += 1) above[j] = j
      let row = above
      let next = below
      for (let i = 1; i <= request.length; i += 1) {
        next[0] = i
        for (let j = 1; j <= segments.length; j += 1) {
          const id = segments[j - 1]!
          const substitution = id === PARAM_SEGMENT ? (request[i - 1] === '' ? 1 : 0) : costs[(i - 1) * literals.length + id]!
          next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + substitution)
        }
        const done = row
        row = next
        next = done
      }
      return { spec, score: row[segments.length]! + (spec.method === method ? 0 : OTHER_METHOD_PENALTY) }
    })
    return scored
      .sort((a, b) => a.score - b.score || compare(a.spec.path, b.spec.path) || compare(a.spec.method, b.spec.method))
      .slice(0, limit)
      .map(({ spec }) => ({ method: spec.method, path: spec.path, operationId: spec.operationId }))
  }
}

/** costs[i * literals.length + id]: what substituting request segment i by literal `id` costs, in [0, 1]. */
function literalCosts(request: readonly string[], literals: readonly string[]): Float64Array {
  const costs = new Float64Array(request.length * literals.length)
  const firstRowOf = new Map<string, number>()
  request.forEach((segment, i) => {
    const same = firstRowOf.get(segment)
    if (same !== undefined) {
      costs.copyWithin(i * literals.length, same * literals.length, (same + 1) * literals.length)
      return
    }
    firstRowOf.set(segment, i)
    literals.forEach((literal, id) => {
      costs[i * literals.length + id] = literalCost(segment, literal)
    })
  })
  return costs
}

function literalCost(segment: string, literal: string): number {
  if (segment === literal) return 0
  const longer = Math.max(segment.length, literal.length)
  // One more than twice the other's length is no near miss: skip the character distance.
  if (2 * Math.min(segment.length, literal.length) < longer) return 1
  return characterDistance(segment, literal) / longer
}

// Scratch rows reused across the few thousand distances of one call (workerd runs one at a time per isolate).
let scratchRow = new Uint16Array(64)
let scratchNext = new Uint16Array(64)

function characterDistance(a: string, b: string): number {
  if (scratchRow.length <= b.length) {
    scratchRow = new Uint16Array(b.length + 1)
    scratchNext = new Uint16Array(b.length + 1)
  }
  let row = scratchRow
  let next = scratchNext
  for (let j = 0; j <= b.length; j += 1) row[j] = j
  for (let i = 1; i <= a.length; i += 1) {
    next[0] = i
    const char = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (char === b.charCodeAt(j - 1) ? 0 : 1))
    }
    const done = row
    row = next
    next = done
  }
  return row[b.length]!
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
