// The operations the API console offers: the Worker's own tables (plain data modules, no zod, so the browser
// bundle can carry them), the SP-API's for SP-API accounts and the Ads allowlist for Ads accounts, grouped
// for the picker's <optgroup>s and filtered by what the seller types.
import { ADS_OPERATIONS } from '../../worker/src/amazon/operations/ads-operations.ts'
import type { HttpMethod } from '../../worker/src/amazon/operations/operation-spec.ts'
import { type Restriction, restrictionOf } from '../../worker/src/amazon/operations/restricted-operations.ts'
import { SP_API_OPERATIONS } from '../../worker/src/amazon/operations/sp-api-operations.generated.ts'

export type ConsoleOperation = {
  /** `GET /orders/v0/orders`: unique in a table (operationIds are not: getOrder exists in several APIs). */
  key: string
  operationId: string
  /** The picker's group: `orders v0`, `Sponsored Products`. */
  group: string
  method: HttpMethod
  path: string
  /** The media types Amazon requires (Ads v3); absent: JSON. */
  contentType?: string
  accept?: string
  /** The default usage plan (SP-API); null where Amazon publishes none (and for Ads). */
  rate: number | null
  burst: number | null
  /** SP-API operations that return personal data (a Restricted Data Token); undefined for the rest. */
  restriction: Restriction | undefined
}

const ADS_GROUPS: Record<string, string> = { v2: 'Profiles', sp: 'Sponsored Products', reporting: 'Reporting' }

const spApiOperations: ConsoleOperation[] = SP_API_OPERATIONS.map((spec) => ({
  key: `${spec.method} ${spec.path}`,
  operationId: spec.operationId,
  group: `${spec.api} ${spec.version}`,
  method: spec.method,
  path: spec.path,
  rate: spec.rate,
  burst: spec.burst,
  restriction: restrictionOf(spec),
}))

const adsOperations: ConsoleOperation[] = ADS_OPERATIONS.map((spec) => {
  const segment = spec.path.split('/')[1] ?? ''
  return {
    key: `${spec.method} ${spec.path}`,
    operationId: spec.operationId,
    group: ADS_GROUPS[segment] ?? segment,
    method: spec.method,
    path: spec.path,
    ...(spec.contentType ? { contentType: spec.contentType } : {}),
    ...(spec.accept ? { accept: spec.accept } : {}),
    rate: null,
    burst: null,
    restriction: undefined,
  }
})

export function consoleOperations(provider: 'sp_api' | 'ads'): readonly ConsoleOperation[] {
  return provider === 'sp_api' ? spApiOperations : adsOperations
}

/** What the console starts with: a harmless read every account may call. */
export function firstOperation(provider: 'sp_api' | 'ads'): ConsoleOperation {
  const operations = consoleOperations(provider)
  const preferred = provider === 'sp_api' ? 'getMarketplaceParticipations' : 'listProfiles'
  return operations.find((operation) => operation.operationId === preferred) ?? operations[0]!
}

export type OperationGroup = { group: string; operations: ConsoleOperation[] }

/**
 * The operations matching `filter` (operationId, path or group, any case), grouped in table order. `keep`
 * stays listed whatever the filter says, so the <select> always holds the chosen operation.
 */
export function groupOperations(operations: readonly ConsoleOperation[], filter: string, keep?: string): OperationGroup[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  const groups = new Map<string, ConsoleOperation[]>()
  for (const operation of operations) {
    const haystack = `${operation.operationId} ${operation.method} ${operation.path} ${operation.group}`.toLowerCase()
    if (operation.key !== keep && !words.every((word) => haystack.includes(word))) continue
    const group = groups.get(operation.group)
    if (group) group.push(operation)
    else groups.set(operation.group, [operation])
  }
  return Array.from(groups, ([group, members]) => ({ group, operations: members }))
}
