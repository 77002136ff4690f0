import { describe, expect, it } from 'vitest'
import {
  adsHosts,
  adsRegions,
  lwaTokenHosts,
  marketplaceById,
  marketplaces,
  marketplacesInRegion,
  providerSchema,
  regionOfAdsApiHost,
  regionOfAdsAuthorizeHost,
  regionOfSpApiHost,
  regionSchema,
  regions,
  sellerCentralHost,
  spApiHost,
  spApiRegions,
} from '../../src/amazon/regions.ts'

describe('the marketplace table', () => {
  it("lists Amazon's 23 SP-API marketplaces with unique ids and country codes", () => {
    expect(marketplaces).toHaveLength(23)
    expect(new Set(marketplaces.map((marketplace) => marketplace.id)).size).toBe(23)
    expect(new Set(marketplaces.map((marketplace) => marketplace.countryCode)).size).toBe(23)
    expect(marketplacesInRegion('na').map((marketplace) => marketplace.countryCode).sort()).toEqual(['BR', 'CA', 'MX', 'US'])
    expect(marketplacesInRegion('eu').map((marketplace) => marketplace.countryCode).sort()).toEqual(
      ['AE', 'BE', 'DE', 'EG', 'ES', 'FR', 'GB', 'IE', 'IN', 'IT', 'NL', 'PL', 'SA', 'SE', 'TR', 'ZA'].sort(),
    )
    expect(marketplacesInRegion('fe').map((marketplace) => marketplace.countryCode).sort()).toEqual(['AU', 'JP', 'SG'])
  })

  it('gives every marketplace well-formed fields and a region with SP-API and Ads hosts', () => {
    for (const marketplace of marketplaces) {
      expect(marketplace.id).toMatch(/^A[0-9A-Z]{8,14}$/)
      expect(marketplace.countryCode).toMatch(/^[A-Z]{2}$/)
      expect(marketplace.defaultCurrencyCode).toMatch(/^[A-Z]{3}$/)
      expect(marketplace.defaultLanguageCode).toMatch(/^[a-z]{2}_[A-Z]{2}$/)
      expect(marketplace.domainName).toMatch(/^www\.amazon\.[a-z.]+$/)
      expect(marketplace.name).toBe(`Amazon.${marketplace.domainName.slice('www.amazon.'.length)}`)
      expect(marketplace.sellerCentralHost).toMatch(/^sellercentral(-europe)?\.amazon\.[a-z.]+$/)
      expect(regionSchema.safeParse(marketplace.region).success).toBe(true)
      expect(spApiHost(marketplace.region)).toMatch(/^sellingpartnerapi-(na|eu|fe)\.amazon\.com$/)
      expect(adsHosts(marketplace.region).apiHost).toMatch(/^advertising-api(-eu|-fe)?\.amazon\.com$/)
      expect(() => new Intl.DateTimeFormat('en', { timeZone: marketplace.timezone })).not.toThrow()
      expect(marketplaceById(marketplace.id)).toBe(marketplace)
      expect(sellerCentralHost(marketplace.id)).toBe(marketplace.sellerCentralHost)
    }
  })

  it('maps known marketplace ids to their region, currency and hosts', () => {
    expect(marketplaceById('ATVPDKIKX0DER')).toMatchObject({ countryCode: 'US', region: 'na', defaultCurrencyCode: 'USD', sellerCentralHost: 'sellercentral.amazon.com' })
    expect(marketplaceById('A1F83G8C2ARO7P')).toMatchObject({ countryCode: 'GB', region: 'eu', defaultCurrencyCode: 'GBP', sellerCentralHost: 'sellercentral-europe.amazon.com' })
    expect(marketplaceById('A1PA6795UKMFR9')).toMatchObject({ countryCode: 'DE', region: 'eu', sellerCentralHost: 'sellercentral-europe.amazon.com' })
    expect(marketplaceById('A21TJRUUN4KGV')).toMatchObject({ countryCode: 'IN', region: 'eu', defaultCurrencyCode: 'INR', sellerCentralHost: 'sellercentral.amazon.in' })
    expect(marketplaceById('A2Q3Y263D00KWC')).toMatchObject({ countryCode: 'BR', region: 'na', sellerCentralHost: 'sellercentral.amazon.com.br' })
    expect(marketplaceById('A1VC38T7YXB528')).toMatchObject({ countryCode: 'JP', region: 'fe', defaultCurrencyCode: 'JPY', sellerCentralHost: 'sellercentral.amazon.co.jp' })
    expect(marketplaceById('A28R8C7NBKEWEA')).toMatchObject({ countryCode: 'IE', region: 'eu', sellerCentralHost: 'sellercentral.amazon.ie' })
    expect(spApiHost(marketplaceById('A39IBJ37TRP1C6')!.region)).toBe('sellingpartnerapi-fe.amazon.com')
  })

  it('returns undefined for unknown ids and hosts', () => {
    expect(marketplaceById('ATVPDKIKX0DEX')).toBeUndefined()
    expect(marketplaceById('')).toBeUndefined()
    expect(marketplaceById('toString')).toBeUndefined()
    expect(sellerCentralHost('A2ZV50J4W1RKNI')).toBeUndefined() // US Non-Amazon: not an SP-API marketplace here
    expect(regionOfSpApiHost('sellingpartnerapi-xx.amazon.com')).toBeUndefined()
    expect(regionOfAdsApiHost('api.amazon.com')).toBeUndefined()
    expect(regionOfAdsAuthorizeHost('na.account.amazon.com')).toBeUndefined()
  })
})

describe('regional hosts', () => {
  it('SP-API: one endpoint per selling region; LWA tokens at api.amazon.com', () => {
    expect(spApiRegions).toEqual({
      na: { apiHost: 'sellingpartnerapi-na.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'ATVPDKIKX0DER' },
      eu: { apiHost: 'sellingpartnerapi-eu.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'A1F83G8C2ARO7P' },
      fe: { apiHost: 'sellingpartnerapi-fe.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'A1VC38T7YXB528' },
    })
    for (const region of regions) {
      expect(marketplaceById(spApiRegions[region].defaultMarketplaceId)?.region).toBe(region)
      expect(regionOfSpApiHost(spApiHost(region))).toBe(region)
    }
  })

  it('Amazon Ads: consent, LWA token and API hosts per region', () => {
    expect(adsHosts('na')).toEqual({ authorizeHost: 'www.amazon.com', tokenHost: 'api.amazon.com', apiHost: 'advertising-api.amazon.com' })
    expect(adsHosts('eu')).toEqual({ authorizeHost: 'eu.account.amazon.com', tokenHost: 'api.amazon.co.uk', apiHost: 'advertising-api-eu.amazon.com' })
    expect(adsHosts('fe')).toEqual({ authorizeHost: 'apac.account.amazon.com', tokenHost: 'api.amazon.co.jp', apiHost: 'advertising-api-fe.amazon.com' })
    for (const region of regions) {
      expect(regionOfAdsApiHost(adsRegions[region].apiHost)).toBe(region)
      expect(regionOfAdsAuthorizeHost(adsRegions[region].authorizeHost)).toBe(region)
    }
    expect(lwaTokenHosts().sort()).toEqual(['api.amazon.co.jp', 'api.amazon.co.uk', 'api.amazon.com'])
  })

  it('no Seller Central host is shared across regions', () => {
    for (const host of new Set(marketplaces.map((marketplace) => marketplace.sellerCentralHost))) {
      const owners = new Set(marketplaces.filter((marketplace) => marketplace.sellerCentralHost === host).map((marketplace) => marketplace.region))
      expect(owners.size).toBe(1)
    }
  })

  it('validates regions and providers with zod', () => {
    expect(regionSchema.parse('eu')).toBe('eu')
    expect(regionSchema.safeParse('us').success).toBe(false)
    expect(providerSchema.parse('sp_api')).toBe('sp_api')
    expect(providerSchema.parse('ads')).toBe('ads')
    expect(providerSchema.safeParse('mws').success).toBe(false)
  })
})
