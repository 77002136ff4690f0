// The dashboard keeps its own copy of the marketplace table (web/lib/marketplaces.ts: importing the Worker's
// would bundle zod); it must say what the Worker's says.
import { describe, expect, it } from 'vitest'
import { marketplaces as workerMarketplaces, regions, spApiRegions } from '../../../worker/src/amazon/regions.ts'
import { defaultMarketplaceId, marketplaces, marketplacesInRegion } from '../../../web/lib/marketplaces.ts'

describe("the dashboard's marketplace table", () => {
  it('lists the Worker’s marketplaces, in its order, with the same countries and regions', () => {
    expect(marketplaces).toEqual(workerMarketplaces.map(({ id, countryCode, countryName, region }) => ({ id, countryCode, countryName, region })))
  })

  it('starts each region from the Worker’s default marketplace', () => {
    for (const region of regions) {
      expect(defaultMarketplaceId[region]).toBe(spApiRegions[region].defaultMarketplaceId)
      expect(marketplacesInRegion(region).map((m) => m.id)).toContain(defaultMarketplaceId[region])
    }
  })
})
