import { matchPathTemplate, type PathParams } from './path-templates.ts'

/**
 * The SP-API operations the stand-in serves, by Amazon's operation id, method and path template
 * (as each API's model writes them: `{orderId}` is one path segment).
 */
export const SERVED_SP_API_OPERATIONS = [
  { operationId: 'getMarketplaceParticipations', method: 'GET', path: '/sellers/v1/marketplaceParticipations' },
  { operationId: 'getOrders', method: 'GET', path: '/orders/v0/orders' },
  { operationId: 'getOrder', method: 'GET', path: '/orders/v0/orders/{orderId}' },
  { operationId: 'getOrderBuyerInfo', method: 'GET', path: '/orders/v0/orders/{orderId}/buyerInfo' },
  { operationId: 'getOrderAddress', method: 'GET', path: '/orders/v0/orders/{orderId}/address' },
  { operationId: 'getOrderItems', method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems' },
  { operationId: 'getOrderItemsBuyerInfo', method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems/buyerInfo' },
  { operationId: 'createRestrictedDataToken', method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken' },
  { operationId: 'searchCatalogItems', method: 'GET', path: '/catalog/2022-04-01/items' },
  { operationId: 'getCatalogItem', method: 'GET', path: '/catalog/2022-04-01/items/{asin}' },
  { operationId: 'getReports', method: 'GET', path: '/reports/2021-06-30/reports' },
] as const

export type SpApiOperation = (typeof SERVED_SP_API_OPERATIONS)[number]['operationId']
export type ServedOperation = (typeof SERVED_SP_API_OPERATIONS)[number]

export const spApiOperations = SERVED_SP_API_OPERATIONS.map((operation) => operation.operationId) as [SpApiOperation, ...SpApiOperation[]]

/** The served operation a request addresses, with its path parameters. */
export function matchSpApiOperation(method: string, path: string): { operation: ServedOperation; params: PathParams } | undefined {
  for (const operation of SERVED_SP_API_OPERATIONS) {
    if (operation.method !== method) continue
    const params = matchPathTemplate(operation.path, path)
    if (params) return { operation, params }
  }
  return undefined
}
