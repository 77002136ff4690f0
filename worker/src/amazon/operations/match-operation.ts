import { ADS_OPERATIONS } from './ads-operations.ts'
import { createOperationMatcher, type OperationMatch } from './operation-matcher.ts'
import type { AdsOperationSpec, SpApiOperationSpec } from './operation-spec.ts'
import type { OperationSuggestion } from './operation-suggestions.ts'
import { SP_API_OPERATIONS } from './sp-api-operations.generated.ts'

/**
 * The known operations the Amazon proxy forwards, matched by method and path (the request path after the
 * account id, percent-encoded as received, without its query string). Compiled once, at module load.
 */

export type { OperationMatch } from './operation-matcher.ts'
export type { OperationSuggestion } from './operation-suggestions.ts'

const spApi = createOperationMatcher(SP_API_OPERATIONS)
const ads = createOperationMatcher(ADS_OPERATIONS)

export function matchSpApiOperation(method: string, path: string): OperationMatch<SpApiOperationSpec> | undefined {
  return spApi.match(method, path)
}

export function closestSpApiOperations(method: string, path: string, limit = 3): OperationSuggestion[] {
  return spApi.closest(method, path, limit)
}

export function matchAdsOperation(method: string, path: string): OperationMatch<AdsOperationSpec> | undefined {
  return ads.match(method, path)
}

export function closestAdsOperations(method: string, path: string, limit = 3): OperationSuggestion[] {
  return ads.closest(method, path, limit)
}
