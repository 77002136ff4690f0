import { z } from 'zod'
import { parseJson, type Reply } from './http-io.ts'
import { findOrder } from './orders.ts'
import {
  type AuthorizedResource,
  DATA_ELEMENTS,
  type DataElement,
  RDT_LIFETIME_SECONDS,
  RESTRICTED_OPERATIONS,
} from './restricted-data-tokens.ts'
import type { SpApiCall, SpApiHandler } from './sp-api-call.ts'
import { invalidInput, spApiOk } from './sp-api-errors.ts'
import { matchSpApiOperation } from './sp-api-operations.ts'

const MAX_RESOURCES = 50

const requestSchema = z.object({
  restrictedResources: z.array(
    z.object({ method: z.enum(['GET', 'PUT', 'POST', 'DELETE']), path: z.string().min(1), dataElements: z.array(z.string()).optional() }),
  ),
  targetApplication: z.string().min(1).optional(),
})

/** Amazon's own words when an RDT is asked for something it does not grant (seen in SP-API answers). */
const NO_ACCESS = 'Application do not have access to some or all requested resource'

/**
 * Tokens API 2021-03-01 createRestrictedDataToken: an RDT for up to 50 restricted resources of the
 * caller's seller, each a specific path or, where Amazon allows it, a generic one (`{orderId}`). The
 * answer is `{ restrictedDataToken, expiresIn }` (no `payload` wrapper in this API).
 */
export const createRestrictedDataToken: SpApiHandler = (call) => {
  const parsed = requestSchema.safeParse(parseJson(call.body.toString('utf8')))
  if (!parsed.success) return invalidInput('The request body must be { restrictedResources: [{ method, path, dataElements? }], targetApplication? }.')
  const { restrictedResources, targetApplication } = parsed.data
  if (restrictedResources.length === 0) return invalidInput('', 'Empty target resource argument found')
  if (restrictedResources.length > MAX_RESOURCES) return invalidInput(`restrictedResources accepts at most ${MAX_RESOURCES} resources.`)

  const resources: AuthorizedResource[] = []
  for (const requested of restrictedResources) {
    const resource = authorizable(call, requested)
    if ('status' in resource) return resource
    resources.push(resource)
  }

  let clientId = call.grant.clientId
  if (targetApplication !== undefined) {
    // Delegation: the RDT is for the named application (Tokens API, "Delegating authorization").
    const target = call.instance.clients.byApplicationId(targetApplication)
    if (!target) return invalidInput(`targetApplication ${targetApplication} is not a known application.`)
    clientId = target.clientId
  }

  const restrictedDataToken = call.instance.restrictedDataTokens.issue({
    grant: call.grant,
    clientId,
    region: call.region,
    resources,
    expiresAt: call.instance.clock.now() + RDT_LIFETIME_SECONDS * 1000,
  })
  return spApiOk({ restrictedDataToken, expiresIn: RDT_LIFETIME_SECONDS })
}

/** The resource as the RDT will hold it, or Amazon's refusal. */
function authorizable(call: SpApiCall, requested: { method: string; path: string; dataElements?: string[] | undefined }): AuthorizedResource | Reply {
  const match = matchSpApiOperation(requested.method, requested.path)
  const restricted = match && RESTRICTED_OPERATIONS[match.operation.operationId]
  if (!match || !restricted) return invalidInput('', NO_ACCESS)
  const orderId = match.params.orderId
  const generic = orderId === '{orderId}'
  if (generic && !restricted.generic) return invalidInput('', NO_ACCESS)
  if (orderId !== undefined && !generic && !findOrder(call.seller, orderId, call.instance.ordersAnchor)) {
    return invalidInput(`Order ${orderId} is not an order of the selling partner.`)
  }
  const unknown = (requested.dataElements ?? []).find((element) => !(DATA_ELEMENTS as readonly string[]).includes(element))
  if (unknown !== undefined) return invalidInput(`Unknown dataElements value ${JSON.stringify(unknown)}: one of ${DATA_ELEMENTS.join(', ')}.`)
  return {
    method: requested.method,
    path: generic ? match.operation.path : requested.path,
    generic,
    dataElements: [...new Set(requested.dataElements ?? [])] as DataElement[],
  }
}
