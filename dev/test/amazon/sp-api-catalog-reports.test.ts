import { describe, expect, it } from 'vitest'
import { EU_SELLER, UK, US, spApi, spApiAccessToken, start } from './stand-in-client.ts'

describe('Catalog Items API 2022-04-01', () => {
  it('searchCatalogItems by keywords: bare body with summaries, refinements and page tokens', async () => {
    const { standIn } = await start()
    const token = await spApiAccessToken(standIn)
    const reply = await spApi(standIn, token, `/catalog/2022-04-01/items?marketplaceIds=${UK}&keywords=standin,mug&pageSize=1`)
    expect(reply.status).toBe(200)
    expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('2')
    expect(reply.body).not.toHaveProperty('payload')
    expect(reply.body.numberOfResults).toBe(2)
    expect(reply.body.items).toHaveLength(1)
    expect(reply.body.items[0]).toEqual({
      asin: expect.stringMatching(/^B0[A-Z0-9]{8}$/),
      summaries: [expect.objectContaining({ marketplaceId: UK, brand: 'Standin', itemName: expect.any(String) })],
    })
    expect(reply.body.refinements.brands).toEqual([{ numberOfResults: 2, brandName: 'Standin' }])
    const next = await spApi(standIn, token, `/catalog/2022-04-01/items?marketplaceIds=${UK}&keywords=standin,mug&pageSize=1&pageToken=${reply.body.pagination.nextToken}`)
    expect(next.body.items[0].asin).not.toBe(reply.body.items[0].asin)
    expect(next.body.pagination).toEqual({ previousToken: expect.any(String) })
  })

  it('searchCatalogItems by identifiers, and the checks Amazon makes on the query', async () => {
    const { standIn, clock } = await start()
    const token = await spApiAccessToken(standIn)
    // Burst 2 at 2 r/s: a second between calls keeps the bucket from running dry.
    const search = (query: string) => ((clock.now += 1000), spApi(standIn, token, `/catalog/2022-04-01/items?${query}`))
    const byAsin = await search(`marketplaceIds=${UK}&identifiers=B0STANDN03,B0STANDN05&identifiersType=ASIN&includedData=identifiers`)
    expect(byAsin.body.items.map((item: any) => item.asin)).toEqual(['B0STANDN03', 'B0STANDN05'])
    expect(byAsin.body.items[0]).toEqual({ asin: 'B0STANDN03', identifiers: [{ marketplaceId: UK, identifiers: [{ identifierType: 'EAN', identifier: expect.stringMatching(/^\d{13}$/) }] }] })
    const bySku = await search(`marketplaceIds=${UK}&identifiers=SKU-B0STANDN01&identifiersType=SKU&sellerId=${EU_SELLER}`)
    expect(bySku.body.items.map((item: any) => item.asin)).toEqual(['B0STANDN01'])

    const refusals: Array<[string, string]> = [
      ['keywords=mug', "Missing required 'marketplaceIds'."],
      [`marketplaceIds=${UK}`, "Missing required 'identifiers' or 'keywords'."],
      [`marketplaceIds=${UK}&keywords=mug&identifiers=B0STANDN01&identifiersType=ASIN`, "Invalid combination of 'identifiers' and 'keywords' provided."],
      [`marketplaceIds=${UK}&identifiers=B0STANDN01`, "Missing required 'identifiersType' for 'identifiers'."],
      [`marketplaceIds=${UK}&identifiers=SKU-B0STANDN01&identifiersType=SKU`, "Missing required 'sellerId' for 'identifiersType' SKU."],
      [`marketplaceIds=${UK},A1PA6795UKMFR9&keywords=mug`, "At most 1 'marketplaceIds' value is allowed."],
      [`marketplaceIds=${US}&keywords=mug`, `Invalid 'marketplaceIds' provided: ${US}.`],
      [`marketplaceIds=${UK}&keywords=mug&includedData=everything`, "Invalid 'includedData' provided: everything."],
      [`marketplaceIds=${UK}&keywords=mug&pageSize=21`, "'pageSize' must be between 1 and 20."],
    ]
    for (const [query, message] of refusals) {
      const reply = await search(query)
      expect(reply.status).toBe(400)
      expect(reply.body).toEqual({ errors: [{ code: 'InvalidInput', message, details: '' }] })
      expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('2')
    }
  })

  it('getCatalogItem, 404 NOT_FOUND for an ASIN it does not know', async () => {
    const { standIn, clock } = await start()
    const token = await spApiAccessToken(standIn)
    const found = await spApi(standIn, token, `/catalog/2022-04-01/items/B0STANDN04?marketplaceIds=${UK}`)
    expect(found.status).toBe(200)
    expect(found.body).toMatchObject({ asin: 'B0STANDN04', summaries: [{ marketplaceId: UK, brand: 'Placeholder Audio' }] })
    const missing = await spApi(standIn, token, `/catalog/2022-04-01/items/B000000000?marketplaceIds=${UK}`)
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ errors: [{ code: 'NOT_FOUND', message: `Requested item, B000000000, not found in marketplace(s) ${UK}.` }] })
    expect(missing.headers.get('x-amzn-ratelimit-limit')).toBe('2')
    const throttled = await spApi(standIn, token, '/catalog/2022-04-01/items/B0STANDN04')
    expect(throttled.status).toBe(429) // burst 2, and the 404 counted
    clock.now += 500
    expect((await spApi(standIn, token, '/catalog/2022-04-01/items/B0STANDN04')).status).toBe(400)
  })
})

describe('Reports API 2021-06-30', () => {
  it('getReports filters the seller\'s reports, newest first, and pages with a nextToken that must come alone', async () => {
    const { standIn, clock } = await start()
    const token = await spApiAccessToken(standIn)
    // 0.0222 r/s: a minute between calls refills more than one token.
    const reports = (query: string) => ((clock.now += 60_000), spApi(standIn, token, `/reports/2021-06-30/reports?${query}`))
    const first = await reports('reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA,GET_FLAT_FILE_OPEN_LISTINGS_DATA&pageSize=4')
    expect(first.status).toBe(200)
    expect(first.headers.get('x-amzn-ratelimit-limit')).toBe('0.0222')
    expect(first.body.reports).toHaveLength(4)
    const times = first.body.reports.map((report: any) => report.createdTime)
    expect([...times].sort().reverse()).toEqual(times)
    expect(first.body.reports[0]).toMatchObject({ reportId: expect.stringMatching(/^\d+$/), reportType: expect.any(String), processingStatus: expect.any(String), marketplaceIds: [UK] })
    const second = await reports(`nextToken=${first.body.nextToken}`)
    expect(second.body.reports).toHaveLength(4)
    const third = await reports(`nextToken=${second.body.nextToken}`)
    expect(third.body.reports).toHaveLength(2)
    expect(third.body.nextToken).toBeUndefined()

    const done = await reports('reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE&processingStatuses=DONE')
    expect(done.body.reports.length).toBeGreaterThan(0)
    expect(done.body.reports.every((report: any) => report.processingStatus === 'DONE' && report.reportDocumentId)).toBe(true)
    const recent = await reports('reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA&createdSince=2026-11-20T00:00:00Z')
    expect(recent.body.reports).toHaveLength(1)

    for (const query of ['', 'processingStatuses=DONE', 'reportTypes=X&processingStatuses=BAD_VALUE', `nextToken=${first.body.nextToken}&pageSize=2`, 'reportTypes=X&pageSize=101', 'nextToken=bogus']) {
      const refused = await reports(query)
      expect(refused.status).toBe(400)
      expect(refused.body.errors[0].code).toBe('InvalidInput')
    }
  })
})
