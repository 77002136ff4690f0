import { closestAdsOperations, closestSpApiOperations, matchAdsOperation, matchSpApiOperation } from '../amazon/operations/match-operation.ts'
import { restrictionOf } from '../amazon/operations/restricted-operations.ts'
import type { Provider } from '../amazon/regions.ts'
import type { OperationRef } from './proxy-gate.ts'
import { RDT_HEADER } from './proxy-options.ts'
import type { RestrictedResource } from './restricted-data-token.ts'

export type ResolvedOperation = {
  operation: OperationRef
  /** The resource an RDT must cover, when the call needs one (its answers are never cached). */
  restricted: RestrictedResource | undefined
  /** Accept sent to Amazon when the caller sends none. */
  defaultAccept: string
}

export type OperationProblem =
  | { kind: 'unknown_operation'; closest: Array<{ method: string; path: string; operationId: string }> }
  | { kind: 'unsupported_media_type'; expected: string }
  | { kind: 'invalid_header'; header: string; message: string }

/**
 * Which known operation a call is, from the provider's table: its usage plan, whether it needs a
 * Restricted Data Token (and for which data elements), and for Ads the media type Amazon requires.
 */
export function resolveOperation(
  provider: Provider,
  call: { method: string; path: string; contentType: string | null; restrictedData: string[] | undefined },
): ResolvedOperation | OperationProblem {
  if (provider === 'ads') {
    const match = matchAdsOperation(call.method, call.path)
    if (!match) return { kind: 'unknown_operation', closest: closestAdsOperations(call.method, call.path) }
    const { contentType, accept } = match.spec
    if (contentType && mediaType(call.contentType) !== contentType.toLowerCase()) return { kind: 'unsupported_media_type', expected: contentType }
    return { operation: { id: match.spec.operationId, plan: null }, restricted: undefined, defaultAccept: accept ?? 'application/json' }
  }

  const match = matchSpApiOperation(call.method, call.path)
  if (!match) return { kind: 'unknown_operation', closest: closestSpApiOperations(call.method, call.path) }
  const { spec } = match
  // Some models publish no usage plan: then only Amazon's 429s shape the calls.
  const operation: OperationRef = { id: spec.operationId, plan: spec.rate !== null && spec.burst !== null ? { rate: spec.rate, burst: spec.burst } : null }
  const restriction = restrictionOf(spec)
  const asked = call.restrictedData
  if (!restriction) {
    if (asked) return restrictedDataProblem(`${spec.operationId} returns no restricted data; leave ${RDT_HEADER} out.`)
    return { operation, restricted: undefined, defaultAccept: 'application/json' }
  }

  const path = restriction.genericPath ? spec.path : call.path
  const resource: RestrictedResource = { method: call.method, path }
  switch (restriction.kind) {
    case 'always':
      return { operation, restricted: resource, defaultAccept: 'application/json' }
    case 'on_request':
      if (asked === undefined) return { operation, restricted: undefined, defaultAccept: 'application/json' }
      if (asked.length !== 1 || asked[0] !== 'true') return restrictedDataProblem(`For ${spec.operationId}, send ${RDT_HEADER}: true to read a restricted document.`)
      return { operation, restricted: resource, defaultAccept: 'application/json' }
    case 'data_elements': {
      if (asked === undefined) return { operation, restricted: undefined, defaultAccept: 'application/json' }
      const unknown = asked.filter((element) => !restriction.dataElements.includes(element))
      if (unknown.length > 0 || asked.length === 0) {
        return restrictedDataProblem(`${spec.operationId} accepts the data elements ${restriction.dataElements.join(', ')}; got ${unknown.join(', ') || 'none'}.`)
      }
      return { operation, restricted: { ...resource, dataElements: [...new Set(asked)].sort() }, defaultAccept: 'application/json' }
    }
  }
}

const restrictedDataProblem = (message: string): OperationProblem => ({ kind: 'invalid_header', header: RDT_HEADER, message })

/** `application/JSON; charset=utf-8` → `application/json`. */
function mediaType(contentType: string | null): string | null {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? null
}
