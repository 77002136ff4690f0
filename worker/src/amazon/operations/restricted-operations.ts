import type { SpApiOperationSpec } from './operation-spec.ts'

/**
 * The SP-API operations that return PII and so take a Restricted Data Token (RDT) from
 * createRestrictedDataToken instead of the grant's access token.
 *
 * Source: Amazon's "Tokens API" use case guide (developer-docs.amazon.com/sp-api/docs/tokens-api-use-case-guide):
 * "List of restricted operations", its note on getReportDocument, and "Terminology" (specific and generic
 * paths); the dataElements values are those of RestrictedResource in the Tokens API model
 * (amzn/selling-partner-api-models, models/tokens-api-model/tokens_2021-03-01.json).
 */

/**
 * `genericPath`: whether the RDT request may name the operation's template path (`/orders/v0/orders/{orderId}`),
 * one RDT then covering every resource of the selling partner. Amazon's Terminology defines generic paths by
 * `{orderId}` and `{shipmentId}`, and rules them out for getReportDocument; where it says nothing (`{purchaseOrderNumber}`)
 * this is false, and the RDT names the request's own path. Without path parameters both are the same path.
 */
export type Restriction =
  /** Every call takes an RDT. */
  | { kind: 'always'; genericPath: boolean }
  /** An RDT only when the caller wants some of these data elements; the access token otherwise (no PII returned). */
  | { kind: 'data_elements'; dataElements: readonly string[]; genericPath: boolean }
  /** An RDT only when the caller says so: getReportDocument of a restricted report type (the request does not show the type). */
  | { kind: 'on_request'; genericPath: boolean }

export type RestrictedOperation = Pick<SpApiOperationSpec, 'api' | 'version' | 'operationId'> & { restriction: Restriction }

const ALWAYS_GENERIC: Restriction = { kind: 'always', genericPath: true }
const ALWAYS_SPECIFIC: Restriction = { kind: 'always', genericPath: false }
// "buyerInfo" (buyer and tax details), "shippingAddress", "buyerTaxInformation" (for tax invoices).
const ORDER_DATA_ELEMENTS = ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] as const

const r = (api: string, version: string, operationId: string, restriction: Restriction): RestrictedOperation => ({ api, version, operationId, restriction })

/** Keyed by API and version too: getOrder, getShipment, cancelShipment… exist unrestricted in other APIs. */
export const RESTRICTED_OPERATIONS: readonly RestrictedOperation[] = [
  r('orders', 'v0', 'getOrders', { kind: 'data_elements', dataElements: ORDER_DATA_ELEMENTS, genericPath: false }),
  // Specific paths: Amazon's tutorials name the order for these two, and has refused a generic
  // `/orders/v0/orders/{orderId}/orderItems` (selling-partner-api-docs #702), while `/address` works.
  r('orders', 'v0', 'getOrder', { kind: 'data_elements', dataElements: ORDER_DATA_ELEMENTS, genericPath: false }),
  // Order items carry buyer information only (gift wrap, customization).
  r('orders', 'v0', 'getOrderItems', { kind: 'data_elements', dataElements: ['buyerInfo'], genericPath: false }),
  r('orders', 'v0', 'getOrderBuyerInfo', ALWAYS_GENERIC),
  r('orders', 'v0', 'getOrderAddress', ALWAYS_GENERIC),
  r('orders', 'v0', 'getOrderItemsBuyerInfo', ALWAYS_GENERIC),
  r('orders', 'v0', 'getOrderRegulatedInfo', ALWAYS_GENERIC),
  // The guide also lists cancelShipmentOld, which the current model no longer has.
  r('merchant-fulfillment', 'v0', 'getShipment', ALWAYS_GENERIC),
  r('merchant-fulfillment', 'v0', 'cancelShipment', ALWAYS_GENERIC),
  r('merchant-fulfillment', 'v0', 'createShipment', ALWAYS_SPECIFIC),
  r('shipping', 'v1', 'getShipment', ALWAYS_GENERIC),
  r('shipment-invoicing', 'v0', 'getShipmentDetails', ALWAYS_GENERIC),
  r('easy-ship', '2022-03-23', 'createScheduledPackageBulk', ALWAYS_SPECIFIC),
  // "can contain only a specific path, not a generic path".
  r('reports', '2021-06-30', 'getReportDocument', { kind: 'on_request', genericPath: false }),
  r('vendor-direct-fulfillment-orders', 'v1', 'getOrders', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-orders', 'v1', 'getOrder', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-orders', '2021-12-28', 'getOrders', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-orders', '2021-12-28', 'getOrder', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getShippingLabel', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getShippingLabels', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getPackingSlip', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getPackingSlips', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getCustomerInvoice', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', 'v1', 'getCustomerInvoices', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'getShippingLabel', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'getPackingSlip', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'getPackingSlips', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'getCustomerInvoice', ALWAYS_SPECIFIC),
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'getCustomerInvoices', ALWAYS_SPECIFIC),
  // The guide lists createShippingLabels under v1, which has no such operation; 2021-12-28 is the only one.
  r('vendor-direct-fulfillment-shipping', '2021-12-28', 'createShippingLabels', ALWAYS_SPECIFIC),
]

const byKey = new Map(RESTRICTED_OPERATIONS.map((entry) => [keyOf(entry), entry.restriction]))

/** The restriction of an operation (pass the matched SpApiOperationSpec), or undefined when it takes the access token. */
export function restrictionOf(operation: Pick<SpApiOperationSpec, 'api' | 'version' | 'operationId'>): Restriction | undefined {
  return byKey.get(keyOf(operation))
}

function keyOf({ api, version, operationId }: Pick<SpApiOperationSpec, 'api' | 'version' | 'operationId'>): string {
  return `${api} ${version} ${operationId}`
}
