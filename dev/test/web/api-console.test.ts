// The API console's pure parts: the operations it offers (the Worker's tables, grouped and filtered), path
// templates filled with encoded values, response bodies pretty-printed and cut, Sponsored Products campaigns.
import { describe, expect, it } from 'vitest'
import { SP_API_OPERATIONS } from '../../../worker/src/amazon/operations/sp-api-operations.generated.ts'
import { previewBody } from '../../../web/lib/body-preview.ts'
import { consoleOperations, firstOperation, groupOperations } from '../../../web/lib/console-operations.ts'
import { formatMoney } from '../../../web/lib/money.ts'
import { fillPath, pathParameters } from '../../../web/lib/path-template.ts'
import { budgetLabel, campaignStateLabel, parseCampaignList } from '../../../web/lib/sp-campaigns.ts'

describe('the console’s operations', () => {
  it('offers every SP-API operation to SP-API accounts, each under a unique key, grouped by API and version', () => {
    const operations = consoleOperations('sp_api')
    expect(operations).toHaveLength(SP_API_OPERATIONS.length)
    expect(new Set(operations.map((o) => o.key)).size).toBe(operations.length)
    expect(operations.find((o) => o.operationId === 'getOrders' && o.group === 'orders v0')).toMatchObject({
      key: 'GET /orders/v0/orders',
      rate: 0.0167,
      burst: 20,
      restriction: { kind: 'data_elements' },
    })
    expect(operations.find((o) => o.key === 'GET /sellers/v1/marketplaceParticipations')?.restriction).toBeUndefined()
    expect(firstOperation('sp_api').operationId).toBe('getMarketplaceParticipations')
  })

  it('offers the Ads allowlist to Ads accounts, with the media types Amazon requires', () => {
    const campaigns = consoleOperations('ads').find((o) => o.operationId === 'ListSponsoredProductsCampaigns')
    expect(campaigns).toMatchObject({ group: 'Sponsored Products', method: 'POST', contentType: 'application/vnd.spCampaign.v3+json', accept: 'application/vnd.spCampaign.v3+json' })
    expect(firstOperation('ads').operationId).toBe('listProfiles')
  })

  it('filters on every word, in operationId, path or group, and always keeps the chosen one', () => {
    const operations = consoleOperations('sp_api')
    const orders = groupOperations(operations, 'ORDERS getorder')
    expect(orders.flatMap((g) => g.operations.map((o) => o.operationId))).toContain('getOrderItems')
    expect(orders.every((g) => g.operations.every((o) => /getorder/i.test(o.operationId)))).toBe(true)
    expect(groupOperations(operations, 'no such thing')).toEqual([])
    const kept = groupOperations(operations, 'no such thing', 'GET /sellers/v1/marketplaceParticipations')
    expect(kept).toEqual([{ group: 'sellers v1', operations: [expect.objectContaining({ operationId: 'getMarketplaceParticipations' })] }])
    expect(groupOperations(operations, '').reduce((sum, g) => sum + g.operations.length, 0)).toBe(operations.length)
  })
})

describe('path templates', () => {
  it('lists each parameter once, in order', () => {
    expect(pathParameters('/orders/v0/orders/{orderId}/shipment')).toEqual(['orderId'])
    expect(pathParameters('/a/{x}/b/{y}/{x}')).toEqual(['x', 'y'])
    expect(pathParameters('/sellers/v1/marketplaceParticipations')).toEqual([])
  })

  it('fills them encoded, so a value stays one segment', () => {
    expect(fillPath('/orders/v0/orders/{orderId}', { orderId: ' 902-3159896-1390916 ' })).toEqual({ path: '/orders/v0/orders/902-3159896-1390916', missing: [] })
    expect(fillPath('/listings/2021-08-01/items/{sellerId}/{sku}', { sellerId: 'A1', sku: 'red shirt/XL?#' })).toEqual({
      path: '/listings/2021-08-01/items/A1/red%20shirt%2FXL%3F%23',
      missing: [],
    })
  })

  it('names what is blank', () => {
    expect(fillPath('/listings/2021-08-01/items/{sellerId}/{sku}', { sellerId: 'A1', sku: '  ' })).toEqual({ path: null, missing: ['sku'] })
  })
})

describe('response bodies', () => {
  it('pretty-prints JSON and leaves anything else as it came', () => {
    expect(previewBody('{"a":[1,2]}')).toEqual({ full: '{\n  "a": [\n    1,\n    2\n  ]\n}', shown: '{\n  "a": [\n    1,\n    2\n  ]\n}', truncated: false, isJson: true })
    expect(previewBody('<html>oops</html>')).toMatchObject({ full: '<html>oops</html>', isJson: false })
    expect(previewBody('')).toMatchObject({ full: '', isJson: false, truncated: false })
  })

  it('cuts a large body until asked for all of it', () => {
    const preview = previewBody(JSON.stringify({ text: 'x'.repeat(100) }), 20)
    expect(preview.truncated).toBe(true)
    expect(preview.shown).toHaveLength(20)
    expect(preview.full.length).toBeGreaterThan(100)
  })
})

describe('Sponsored Products campaigns', () => {
  it('keeps id, name, state and budget; campaigns without an id are skipped', () => {
    const list = parseCampaignList({
      campaigns: [
        { campaignId: '1001', name: 'Summer', state: 'ENABLED', budget: { budget: 25, budgetType: 'DAILY' }, startDate: '2026-06-01' },
        { campaignId: 1002, name: '', state: 'PAUSED' },
        { name: 'no id' },
      ],
      totalResults: 3,
    })
    expect(list).toEqual({
      campaigns: [
        { id: '1001', name: 'Summer', state: 'ENABLED', budget: { amount: 25, type: 'DAILY' } },
        { id: '1002', name: '1002', state: 'PAUSED', budget: null },
      ],
      totalResults: 3,
      nextToken: null,
    })
    expect(() => parseCampaignList({ code: 'UNAUTHORIZED' })).toThrow('no list of campaigns')
  })

  it('words states and budgets', () => {
    expect(campaignStateLabel('ENABLED')).toBe('Enabled')
    expect(budgetLabel({ amount: 25, type: 'DAILY' }, 'USD')).toBe('$25.00 a day')
    expect(budgetLabel({ amount: 1234.5, type: 'DAILY' }, 'EUR')).toBe('€1,234.50 a day')
    expect(budgetLabel({ amount: 10, type: 'DAILY' }, undefined)).toBe('10.00 a day')
    expect(budgetLabel(null, 'USD')).toBe('—')
    expect(formatMoney(3, 'XYZ1')).toBe('3.00 XYZ1')
  })
})
