import { describe, expect, it } from 'vitest'
import { extractModelOperations, parseUsagePlan } from '../../../dev/amazon-models/extract-model-operations.ts'
import type { ExtractedOperations } from '../../../dev/amazon-models/extracted-operations.ts'
import { renderOperationsModule, renderSpecsModule, toSpecs, versionOf } from '../../../dev/amazon-models/render-operations-module.ts'
import { ADS_OPERATIONS } from '../../src/amazon/operations/ads-operations.ts'
import { closestAdsOperations, closestSpApiOperations, matchAdsOperation, matchSpApiOperation } from '../../src/amazon/operations/match-operation.ts'
import { createOperationMatcher } from '../../src/amazon/operations/operation-matcher.ts'
import type { OperationSpec } from '../../src/amazon/operations/operation-spec.ts'
import { RESTRICTED_OPERATIONS, restrictionOf } from '../../src/amazon/operations/restricted-operations.ts'
import { SP_API_OPERATIONS } from '../../src/amazon/operations/sp-api-operations.generated.ts'

// A value no literal segment of any table equals, so a filled template can only match its own entry.
const fill = (path: string, value: (name: string) => string = (name) => `${name}-X1`) => path.replace(/\{(\w+)\}/g, (_, name: string) => value(name))
const paramsOf = (path: string, value: (name: string) => string = (name) => `${name}-X1`) =>
  Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, value(name!)]))

const spApi = (api: string, version: string, operationId: string) => {
  const spec = SP_API_OPERATIONS.find((entry) => entry.api === api && entry.version === version && entry.operationId === operationId)
  if (!spec) throw new Error(`no ${api} ${version} ${operationId}`)
  return spec
}

describe('the generated SP-API table', () => {
  it('holds every operation once, sorted by path then method', () => {
    expect(SP_API_OPERATIONS.length).toBe(370)
    const keys = SP_API_OPERATIONS.map((spec) => `${spec.path} ${spec.method}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
  })

  it("carries Amazon's usage plans", () => {
    expect(spApi('orders', 'v0', 'getOrders')).toMatchObject({ method: 'GET', path: '/orders/v0/orders', rate: 0.0167, burst: 20 })
    expect(spApi('orders', 'v0', 'getOrder')).toMatchObject({ method: 'GET', path: '/orders/v0/orders/{orderId}', rate: 0.5, burst: 30 })
    expect(spApi('tokens', '2021-03-01', 'createRestrictedDataToken')).toMatchObject({ method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken', rate: 1, burst: 10 })
    // Published as a "Plan type" table with a Default row.
    expect(spApi('product-type-definitions', '2020-09-01', 'searchDefinitionsProductTypes')).toMatchObject({ rate: 5, burst: 10 })
    // The AWD replenishment operations publish no usage plan.
    expect(spApi('amazon-warehousing-and-distribution', '2024-05-09', 'listReplenishmentOrders')).toMatchObject({ rate: null, burst: null })
  })

  it('keeps operation ids that recur across versions, one entry each', () => {
    const getOrders = SP_API_OPERATIONS.filter((spec) => spec.operationId === 'getOrders').map((spec) => `${spec.api} ${spec.version}`)
    expect(getOrders).toEqual(expect.arrayContaining(['orders v0', 'vendor-direct-fulfillment-orders v1', 'vendor-direct-fulfillment-orders 2021-12-28']))
  })
})

describe('matchSpApiOperation', () => {
  it('matches every operation of the table, its templates filled, with its parameters', () => {
    for (const spec of SP_API_OPERATIONS) {
      expect(matchSpApiOperation(spec.method, fill(spec.path)), `${spec.method} ${spec.path}`).toEqual({ spec, params: paramsOf(spec.path) })
    }
  })

  it('returns parameters as received, percent-encoded', () => {
    expect(matchSpApiOperation('GET', '/listings/2021-08-01/items/A1B2C3/my%20sku%2B1')).toEqual({
      spec: spApi('listings-items', '2021-08-01', 'getListingsItem'),
      params: { sellerId: 'A1B2C3', sku: 'my%20sku%2B1' },
    })
  })

  it('prefers a literal segment to a template one, and falls back to the template past a dead end', () => {
    expect(matchSpApiOperation('GET', '/shipping/v2/shipments/additionalInputs/schema')?.spec.operationId).toBe('getAdditionalInputs')
    expect(matchSpApiOperation('GET', '/shipping/v2/shipments/additionalInputs/documents')).toEqual({
      spec: spApi('shipping', 'v2', 'getShipmentDocuments'),
      params: { shipmentId: 'additionalInputs' },
    })
    expect(matchSpApiOperation('POST', '/appIntegrations/2024-04-01/notifications/deletion')?.spec.operationId).toBe('deleteNotifications')
    expect(matchSpApiOperation('POST', '/appIntegrations/2024-04-01/notifications/deletion/feedback')?.spec.operationId).toBe('recordActionFeedback')

    const matcher = createOperationMatcher<OperationSpec>([
      { operationId: 'byId', method: 'GET', path: '/things/{id}' },
      { operationId: 'search', method: 'GET', path: '/things/search' },
      { operationId: 'leftmost', method: 'GET', path: '/things/search/{x}' },
      { operationId: 'later', method: 'GET', path: '/things/{id}/a' },
    ])
    expect(matcher.match('GET', '/things/search')?.spec.operationId).toBe('search')
    expect(matcher.match('GET', '/things/other')?.spec.operationId).toBe('byId')
    expect(matcher.match('GET', '/things/search/a')?.spec.operationId).toBe('leftmost')
    expect(matcher.match('GET', '/things/other/a')?.spec.operationId).toBe('later')
  })

  it('compares the method as given, upper case', () => {
    expect(matchSpApiOperation('GET', '/orders/v0/orders')?.spec.operationId).toBe('getOrders')
    expect(matchSpApiOperation('get', '/orders/v0/orders')).toBeUndefined()
    expect(matchSpApiOperation('DELETE', '/orders/v0/orders')).toBeUndefined()
    expect(matchSpApiOperation('PATCH', '/orders/v0/orders/123-1234567-1234567/regulatedInfo')?.spec.operationId).toBe('updateVerificationStatus')
  })

  it('refuses paths that could reach another resource once normalized', () => {
    const refused = [
      '/orders/v0/orders/',                        // trailing slash: an empty segment
      '/orders/v0//orders',                        // empty segment
      '//orders/v0/orders',
      '/orders/v0/orders/..',                      // dot segments, plain or escaped
      '/orders/v0/orders/.',
      '/orders/v0/orders/%2e%2e',
      '/orders/v0/orders/.%2E',
      '/orders/v0/orders/%2E',
      '/orders/v0/orders/123%5Cx',                 // escaped backslash
      '/orders/v0/orders/123\\x',                  // a backslash URL parsers read as a slash
      '/orders/v0/%6Frders',                       // escaped unreserved characters
      '/orders/v0/orders/12%33',
      '/orders/v0/orders/12%3',                    // malformed escapes
      '/orders/v0/orders/12%zz',
      'orders/v0/orders',                          // no leading slash
      '',
      '/',
    ]
    for (const path of refused) expect(matchSpApiOperation('GET', path), path).toBeUndefined()
  })

  it('keeps an escaped slash inside a parameter: SKUs may contain one', () => {
    const match = matchSpApiOperation('GET', '/listings/2021-08-01/items/A1SELLER/AB%2FC-1')
    expect(match?.spec.operationId).toBe('getListingsItem')
    expect(match?.params).toMatchObject({ sku: 'AB%2FC-1' })
    expect(matchSpApiOperation('GET', '/orders%2Fv0/orders')).toBeUndefined()
  })

  it('refuses a table whose templates it could not match unambiguously', () => {
    expect(() => createOperationMatcher([{ operationId: 'a', method: 'GET', path: '/x/{a}' }, { operationId: 'b', method: 'GET', path: '/x/{b}' }])).toThrow(/same template/)
    expect(() => createOperationMatcher([{ operationId: 'a', method: 'GET', path: '/x/{a}.json' }])).toThrow(/neither a literal/)
    expect(() => createOperationMatcher([{ operationId: 'a', method: 'GET', path: '/x//y' }])).toThrow(/neither a literal/)
  })
})

describe('closestSpApiOperations', () => {
  it('names the nearest operations for a typo, the intended one first', () => {
    const closest = closestSpApiOperations('GET', '/orders/v0/order')
    expect(closest).toHaveLength(3)
    expect(closest[0]).toEqual({ method: 'GET', path: '/orders/v0/orders', operationId: 'getOrders' })
    expect(closestSpApiOperations('GET', '/orders/v0/orders/123-1234567-1234567/orderItem')[0]?.operationId).toBe('getOrderItems')
    expect(closestSpApiOperations('GET', '/fba/inventory/v1/summary')[0]?.operationId).toBe('getInventorySummaries')
  })

  it('prefers the same method, yet names a same-path operation under another method', () => {
    expect(closestSpApiOperations('DELETE', '/orders/v0/orders', 1)).toEqual([{ method: 'GET', path: '/orders/v0/orders', operationId: 'getOrders' }])
    const [first] = closestSpApiOperations('GET', '/shipping/v2/shipments/rates')
    expect(first).toEqual({ method: 'POST', path: '/shipping/v2/shipments/rates', operationId: 'getRates' })
  })

  it('is deterministic, honours the limit and copes with hostile paths', () => {
    expect(closestSpApiOperations('GET', '/nothing/like/it', 5)).toEqual(closestSpApiOperations('GET', '/nothing/like/it', 5))
    expect(closestSpApiOperations('GET', '/nothing/like/it', 5)).toHaveLength(5)
    expect(closestSpApiOperations('GET', '/orders', 0)).toEqual([])
    const hostile = `/${Array.from({ length: 500 }, (_, index) => `${index}${'y'.repeat(100)}`).join('/')}`
    expect(closestSpApiOperations('GET', hostile)).toHaveLength(3)
  })
})

describe('Ads operations', () => {
  it('match themselves, templates filled', () => {
    for (const spec of ADS_OPERATIONS) {
      expect(matchAdsOperation(spec.method, fill(spec.path)), `${spec.method} ${spec.path}`).toEqual({ spec, params: paramsOf(spec.path) })
    }
    expect(matchAdsOperation('GET', '/v2/profiles/3618463812')?.params).toEqual({ profileId: '3618463812' })
    expect(matchAdsOperation('GET', '/orders/v0/orders')).toBeUndefined()
    expect(matchAdsOperation('GET', '/v2/profiles/')).toBeUndefined()
  })

  it("carry the media types Amazon requires", () => {
    expect(matchAdsOperation('POST', '/sp/campaigns/list')?.spec).toMatchObject({
      operationId: 'ListSponsoredProductsCampaigns',
      contentType: 'application/vnd.spCampaign.v3+json',
      accept: 'application/vnd.spCampaign.v3+json',
    })
    expect(matchAdsOperation('POST', '/sp/adGroups/list')?.spec.contentType).toBe('application/vnd.spAdGroup.v3+json')
    expect(matchAdsOperation('POST', '/sp/keywords/list')?.spec.contentType).toBe('application/vnd.spKeyword.v3+json')
    expect(matchAdsOperation('POST', '/sp/productAds/list')?.spec.contentType).toBe('application/vnd.spProductAd.v3+json')
    expect(matchAdsOperation('POST', '/sp/targets/list')?.spec.contentType).toBe('application/vnd.spTargetingClause.v3+json')
    expect(matchAdsOperation('POST', '/reporting/reports')?.spec).toEqual({
      operationId: 'createAsyncReport',
      method: 'POST',
      path: '/reporting/reports',
      contentType: 'application/vnd.createasyncreportrequest.v3+json',
    })
    const status = matchAdsOperation('GET', '/reporting/reports/8adca409-98e1-442c-9e74-28147f9f7bc8')
    expect(status?.spec).toEqual({ operationId: 'getAsyncReport', method: 'GET', path: '/reporting/reports/{reportId}' })
    expect(matchAdsOperation('GET', '/v2/profiles')?.spec.contentType).toBeUndefined()
  })

  it('suggest the nearest ones', () => {
    expect(closestAdsOperations('POST', '/sp/campaign/list')[0]).toEqual({ method: 'POST', path: '/sp/campaigns/list', operationId: 'ListSponsoredProductsCampaigns' })
    expect(closestAdsOperations('GET', '/v2/profile')[0]?.operationId).toBe('listProfiles')
  })
})

describe('restrictionOf', () => {
  it('names what needs a Restricted Data Token, and how to ask for it', () => {
    for (const operationId of ['getOrderBuyerInfo', 'getOrderAddress', 'getOrderItemsBuyerInfo', 'getOrderRegulatedInfo']) {
      expect(restrictionOf(spApi('orders', 'v0', operationId)), operationId).toEqual({ kind: 'always', genericPath: true })
    }
    expect(restrictionOf(spApi('orders', 'v0', 'getOrders'))).toEqual({
      kind: 'data_elements',
      dataElements: ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'],
      genericPath: false,
    })
    expect(restrictionOf(spApi('orders', 'v0', 'getOrder'))).toMatchObject({ kind: 'data_elements', genericPath: false })
    expect(restrictionOf(spApi('orders', 'v0', 'getOrderItems'))).toEqual({ kind: 'data_elements', dataElements: ['buyerInfo'], genericPath: false })
    for (const operationId of ['getShipment', 'cancelShipment']) {
      expect(restrictionOf(spApi('merchant-fulfillment', 'v0', operationId))).toEqual({ kind: 'always', genericPath: true })
    }
    expect(restrictionOf(spApi('merchant-fulfillment', 'v0', 'createShipment'))).toEqual({ kind: 'always', genericPath: false })
    expect(restrictionOf(spApi('reports', '2021-06-30', 'getReportDocument'))).toEqual({ kind: 'on_request', genericPath: false })
    expect(restrictionOf(spApi('vendor-direct-fulfillment-orders', 'v1', 'getOrder'))).toEqual({ kind: 'always', genericPath: false })
  })

  it('tells same-named operations of other APIs apart', () => {
    expect(restrictionOf(spApi('fulfillment-outbound', '2026-07-04', 'getOrder'))).toBeUndefined()
    expect(restrictionOf(spApi('fulfillment-inbound', '2024-03-20', 'getShipment'))).toBeUndefined()
    expect(restrictionOf(spApi('shipping', 'v2', 'cancelShipment'))).toBeUndefined()
    expect(restrictionOf(spApi('tokens', '2021-03-01', 'createRestrictedDataToken'))).toBeUndefined()
    expect(restrictionOf(matchSpApiOperation('GET', '/orders/v0/orders/123-1234567-1234567/address')!.spec)).toEqual({ kind: 'always', genericPath: true })
  })

  it('lists only operations of the table, templated where it allows generic paths', () => {
    for (const { api, version, operationId, restriction } of RESTRICTED_OPERATIONS) {
      const spec = spApi(api, version, operationId)
      if (restriction.genericPath) expect(spec.path, operationId).toMatch(/\{\w+\}/)
    }
  })
})

describe('the generator', () => {
  const fixture: ExtractedOperations = {
    source: 'a fixture of amzn/selling-partner-api-models',
    operations: [
      { api: 'orders', model: 'ordersV0.json', operationId: 'getOrder', method: 'GET', path: '/orders/v0/orders/{orderId}', rate: 0.5, burst: 30 },
      { api: 'sellers', model: 'sellers.json', operationId: 'getMarketplaceParticipations', method: 'GET', path: '/sellers/v1/marketplaceParticipations', rate: 0.016, burst: 15 },
      { api: 'awd', model: 'awd_2024-05-09.json', operationId: 'createReplenishmentOrder', method: 'POST', path: '/awd/2024-05-09/replenishmentOrders', rate: null, burst: null },
      { api: 'awd', model: 'awd_2024-05-09.json', operationId: 'listReplenishmentOrders', method: 'GET', path: '/awd/2024-05-09/replenishmentOrders', rate: null, burst: null },
    ],
  }

  it('renders a deterministic module, one operation per line, sorted by path then method', () => {
    expect(renderOperationsModule(fixture)).toBe(
      [
        '// Generated by `npm run generate:sp-api-operations -- <clone of amzn/selling-partner-api-models, or its extracted operations JSON>`',
        '// (dev/amazon-models/generate-sp-api-operations.ts). Do not edit: run the generator.',
        '// Source: a fixture of amzn/selling-partner-api-models.',
        "// Every operation of Amazon's Selling Partner API models with the rate (requests per second) and burst of",
        '// its default usage plan; null where the model publishes none. Sorted by path, then method.',
        "import type { SpApiOperationSpec } from './operation-spec.ts'",
        '',
        'export const SP_API_OPERATIONS: readonly SpApiOperationSpec[] = [',
        "  { operationId: 'listReplenishmentOrders', api: 'awd', version: '2024-05-09', method: 'GET', path: '/awd/2024-05-09/replenishmentOrders', rate: null, burst: null },",
        "  { operationId: 'createReplenishmentOrder', api: 'awd', version: '2024-05-09', method: 'POST', path: '/awd/2024-05-09/replenishmentOrders', rate: null, burst: null },",
        "  { operationId: 'getOrder', api: 'orders', version: 'v0', method: 'GET', path: '/orders/v0/orders/{orderId}', rate: 0.5, burst: 30 },",
        "  { operationId: 'getMarketplaceParticipations', api: 'sellers', version: 'v1', method: 'GET', path: '/sellers/v1/marketplaceParticipations', rate: 0.016, burst: 15 },",
        ']',
        '',
      ].join('\n'),
    )
    expect(renderOperationsModule({ ...fixture, operations: [...fixture.operations].reverse() })).toBe(renderOperationsModule(fixture))
  })

  it('reproduces the committed table from its own entries, byte for byte', async () => {
    // Vite's ?raw import: the committed file's text, read at test time (workerd has no file system).
    const specifier = '../../src/amazon/operations/sp-api-operations.generated.ts?raw'
    const { default: committed } = (await import(/* @vite-ignore */ specifier)) as { default: string }
    const source = /^\/\/ Source: (.*)\.$/m.exec(committed)?.[1]
    expect(source).toMatch(/^https:\/\/github\.com\/amzn\/selling-partner-api-models/)
    expect(renderSpecsModule(source!, toSpecs(SP_API_OPERATIONS.map((spec) => ({ ...spec, model: modelOf(spec) }))))).toBe(committed)
  })

  it('derives versions from model names and paths', () => {
    expect(versionOf('reports_2021-06-30.json', '/reports/2021-06-30/reports')).toBe('2021-06-30')
    expect(versionOf('deliveryShipmentInvoiceV2022-07-01.json', '/delivery/2022-07-01/invoice')).toBe('2022-07-01')
    expect(versionOf('ordersV0.json', '/orders/v0/orders')).toBe('v0')
    expect(versionOf('shipping.json', '/shipping/v1/rates')).toBe('v1')
    expect(() => versionOf('mystery.json', '/mystery/items')).toThrow(/no version/)
  })

  it('refuses input it cannot render faithfully', () => {
    const [first] = fixture.operations
    expect(() => toSpecs([first!, { ...first!, operationId: 'again' }])).toThrow(/two operations for GET/)
    expect(() => toSpecs([{ ...first!, path: "/orders/v0/orders/{orderId}'" }])).toThrow(/unexpected path/)
    expect(() => renderOperationsModule({ ...fixture, source: 'two\nlines' })).toThrow(/one line/)
  })

  it('reads usage plans the ways Amazon writes them', () => {
    const table = (rows: string) => `Returns things.\n\n**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n${rows}\n\nThe \`x-amzn-RateLimit-Limit\` header…`
    expect(parseUsagePlan(table('| 0.0167 | 20 |'))).toEqual({ rate: 0.0167, burst: 20 })
    expect(parseUsagePlan(table('| 2 | 6 |').replace('Usage Plan', 'Usage plan'))).toEqual({ rate: 2, burst: 6 })
    expect(parseUsagePlan(table('| 2 | 6 |').replaceAll('\n', '\\n'))).toEqual({ rate: 2, burst: 6 })
    expect(
      parseUsagePlan('**Usage Plans:**\n\n| Plan type | Rate (requests per second) | Burst |\n| ---- | ---- | ---- |\n|Default| 5 | 10 |\n|Selling partner specific| Variable | Variable |\n\nThe header…'),
    ).toEqual({ rate: 5, burst: 10 })
    expect(parseUsagePlan(table('| n | n |'))).toBeUndefined()
    expect(parseUsagePlan('Retrieves all the AWD replenishment orders.')).toBeUndefined()
  })

  it('reads the operations of a model, skipping what is not a method', () => {
    const model = {
      info: { version: 'v0' },
      paths: {
        '/orders/v0/orders/{orderId}': {
          parameters: [],
          'x-amzn-api-sandbox': { dynamic: {} },
          get: { operationId: 'getOrder', description: '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 0.5 | 30 |\n' },
          patch: { operationId: 'updateOrder' },
        },
      },
    }
    expect(extractModelOperations('orders-api-model', 'ordersV0.json', model)).toEqual([
      { api: 'orders', model: 'ordersV0.json', operationId: 'getOrder', method: 'GET', path: '/orders/v0/orders/{orderId}', rate: 0.5, burst: 30 },
      { api: 'orders', model: 'ordersV0.json', operationId: 'updateOrder', method: 'PATCH', path: '/orders/v0/orders/{orderId}', rate: null, burst: null },
    ])
  })
})

/** A model file name from which versionOf gives the entry's version back. */
function modelOf(spec: { version: string }): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(spec.version) ? `model_${spec.version}.json` : `modelV${spec.version.slice(1)}.json`
}
