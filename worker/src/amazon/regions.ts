import { z } from 'zod'

/**
 * Amazon's selling regions and marketplaces, in one table. Runs in workerd (and in Node for the
 * local stand-in, which reads this same table), so no Node APIs here.
 *
 * Sources (developer-docs.amazon.com): "Marketplace IDs", "SP-API Endpoints", "Seller Central URLs"
 * (SP-API); "Authorization grants" / "Retrieve access and refresh tokens" (Amazon Ads API). The
 * Seller Central host is the one Amazon's table lists for building the OAuth authorization URI; the
 * EU "big five" (UK, DE, FR, IT, ES) share sellercentral-europe.amazon.com.
 */

export const regions = ['na', 'eu', 'fe'] as const
export type Region = (typeof regions)[number]
export const regionSchema = z.enum(regions)

export const providers = ['sp_api', 'ads'] as const
export type Provider = (typeof providers)[number]
export const providerSchema = z.enum(providers)

export type Marketplace = {
  /** The SP-API marketplace id, e.g. `ATVPDKIKX0DER`. */
  id: string
  /** ISO 3166-1 alpha-2, as getMarketplaceParticipations returns it (`GB`, where Amazon's id table says `UK`). */
  countryCode: string
  countryName: string
  /** The store name getMarketplaceParticipations reports, e.g. `Amazon.co.uk`. */
  name: string
  region: Region
  defaultCurrencyCode: string
  defaultLanguageCode: string
  /** The retail site, as getMarketplaceParticipations reports `domainName`. */
  domainName: string
  /** Host of the Seller Central OAuth authorization URI (`https://{host}/apps/authorize/consent`). */
  sellerCentralHost: string
  /** IANA zone Amazon Ads reports for profiles in this marketplace. */
  timezone: string
}

const m = (
  id: string,
  countryCode: string,
  countryName: string,
  region: Region,
  defaultCurrencyCode: string,
  defaultLanguageCode: string,
  domain: string,
  sellerCentralHost: string,
  timezone: string,
): Marketplace => ({
  id,
  countryCode,
  countryName,
  name: `Amazon.${domain}`,
  region,
  defaultCurrencyCode,
  defaultLanguageCode,
  domainName: `www.amazon.${domain}`,
  sellerCentralHost,
  timezone,
})

const SELLER_CENTRAL_EUROPE = 'sellercentral-europe.amazon.com'

/** Every SP-API marketplace, in the order of Amazon's "Marketplace IDs" table. */
export const marketplaces: readonly Marketplace[] = Object.freeze([
  // North America
  m('A2EUQ1WTGCTBG2', 'CA', 'Canada', 'na', 'CAD', 'en_CA', 'ca', 'sellercentral.amazon.ca', 'America/Los_Angeles'),
  m('ATVPDKIKX0DER', 'US', 'United States', 'na', 'USD', 'en_US', 'com', 'sellercentral.amazon.com', 'America/Los_Angeles'),
  m('A1AM78C64UM0Y8', 'MX', 'Mexico', 'na', 'MXN', 'es_MX', 'com.mx', 'sellercentral.amazon.com.mx', 'America/Los_Angeles'),
  m('A2Q3Y263D00KWC', 'BR', 'Brazil', 'na', 'BRL', 'pt_BR', 'com.br', 'sellercentral.amazon.com.br', 'America/Sao_Paulo'),
  // Europe (the SP-API EU endpoint also serves the Middle East, Africa and India)
  m('A28R8C7NBKEWEA', 'IE', 'Ireland', 'eu', 'EUR', 'en_IE', 'ie', 'sellercentral.amazon.ie', 'Europe/Dublin'),
  m('A1RKKUPIHCS9HS', 'ES', 'Spain', 'eu', 'EUR', 'es_ES', 'es', SELLER_CENTRAL_EUROPE, 'Europe/Paris'),
  m('A1F83G8C2ARO7P', 'GB', 'United Kingdom', 'eu', 'GBP', 'en_GB', 'co.uk', SELLER_CENTRAL_EUROPE, 'Europe/London'),
  m('A13V1IB3VIYZZH', 'FR', 'France', 'eu', 'EUR', 'fr_FR', 'fr', SELLER_CENTRAL_EUROPE, 'Europe/Paris'),
  m('AMEN7PMS3EDWL', 'BE', 'Belgium', 'eu', 'EUR', 'fr_BE', 'com.be', 'sellercentral.amazon.com.be', 'Europe/Brussels'),
  m('A1805IZSGTT6HS', 'NL', 'Netherlands', 'eu', 'EUR', 'nl_NL', 'nl', 'sellercentral.amazon.nl', 'Europe/Amsterdam'),
  m('A1PA6795UKMFR9', 'DE', 'Germany', 'eu', 'EUR', 'de_DE', 'de', SELLER_CENTRAL_EUROPE, 'Europe/Paris'),
  m('APJ6JRA9NG5V4', 'IT', 'Italy', 'eu', 'EUR', 'it_IT', 'it', SELLER_CENTRAL_EUROPE, 'Europe/Paris'),
  m('A2NODRKZP88ZB9', 'SE', 'Sweden', 'eu', 'SEK', 'sv_SE', 'se', 'sellercentral.amazon.se', 'Europe/Stockholm'),
  m('AE08WJ6YKNBMC', 'ZA', 'South Africa', 'eu', 'ZAR', 'en_ZA', 'co.za', 'sellercentral.amazon.co.za', 'Africa/Johannesburg'),
  m('A1C3SOZRARQ6R3', 'PL', 'Poland', 'eu', 'PLN', 'pl_PL', 'pl', 'sellercentral.amazon.pl', 'Europe/Warsaw'),
  m('ARBP9OOSHTCHU', 'EG', 'Egypt', 'eu', 'EGP', 'ar_EG', 'eg', 'sellercentral.amazon.eg', 'Africa/Cairo'),
  m('A33AVAJ2PDY3EV', 'TR', 'Turkey', 'eu', 'TRY', 'tr_TR', 'com.tr', 'sellercentral.amazon.com.tr', 'Europe/Istanbul'),
  m('A17E79C6D8DWNP', 'SA', 'Saudi Arabia', 'eu', 'SAR', 'ar_SA', 'sa', 'sellercentral.amazon.sa', 'Asia/Riyadh'),
  m('A2VIGQ35RCS4UG', 'AE', 'United Arab Emirates', 'eu', 'AED', 'en_AE', 'ae', 'sellercentral.amazon.ae', 'Asia/Dubai'),
  m('A21TJRUUN4KGV', 'IN', 'India', 'eu', 'INR', 'en_IN', 'in', 'sellercentral.amazon.in', 'Asia/Kolkata'),
  // Far East
  m('A19VAU5U5O7RUS', 'SG', 'Singapore', 'fe', 'SGD', 'en_SG', 'sg', 'sellercentral.amazon.sg', 'Asia/Singapore'),
  m('A39IBJ37TRP1C6', 'AU', 'Australia', 'fe', 'AUD', 'en_AU', 'com.au', 'sellercentral.amazon.com.au', 'Australia/Sydney'),
  m('A1VC38T7YXB528', 'JP', 'Japan', 'fe', 'JPY', 'ja_JP', 'co.jp', 'sellercentral.amazon.co.jp', 'Asia/Tokyo'),
])

export type SpApiRegionHosts = {
  /** `sellingpartnerapi-{na,eu,fe}.amazon.com` */
  apiHost: string
  /** LWA token host for SP-API grants: api.amazon.com in every region. */
  tokenHost: string
  /** The marketplace a region-only connect starts from (its Seller Central host). */
  defaultMarketplaceId: string
}

export const spApiRegions: Readonly<Record<Region, SpApiRegionHosts>> = Object.freeze({
  na: { apiHost: 'sellingpartnerapi-na.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'ATVPDKIKX0DER' },
  eu: { apiHost: 'sellingpartnerapi-eu.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'A1F83G8C2ARO7P' },
  fe: { apiHost: 'sellingpartnerapi-fe.amazon.com', tokenHost: 'api.amazon.com', defaultMarketplaceId: 'A1VC38T7YXB528' },
})

export type AdsRegionHosts = {
  /** Login with Amazon consent (`https://{host}/ap/oa`). */
  authorizeHost: string
  /** LWA token endpoint host for this region (`https://{host}/auth/o2/token`). */
  tokenHost: string
  /** Amazon Ads API host. */
  apiHost: string
}

export const adsRegions: Readonly<Record<Region, AdsRegionHosts>> = Object.freeze({
  na: { authorizeHost: 'www.amazon.com', tokenHost: 'api.amazon.com', apiHost: 'advertising-api.amazon.com' },
  eu: { authorizeHost: 'eu.account.amazon.com', tokenHost: 'api.amazon.co.uk', apiHost: 'advertising-api-eu.amazon.com' },
  fe: { authorizeHost: 'apac.account.amazon.com', tokenHost: 'api.amazon.co.jp', apiHost: 'advertising-api-fe.amazon.com' },
})

/** The Amazon Ads scope for campaign management (Sponsored Products/Brands/Display and DSP). */
export const ADS_CAMPAIGN_MANAGEMENT_SCOPE = 'advertising::campaign_management'

const byId = new Map(marketplaces.map((marketplace) => [marketplace.id, marketplace]))

export const marketplaceIdSchema = z.string().refine((id) => byId.has(id), { message: 'unknown Amazon marketplace id' })

export function marketplaceById(id: string): Marketplace | undefined {
  return byId.get(id)
}

export function marketplacesInRegion(region: Region): Marketplace[] {
  return marketplaces.filter((marketplace) => marketplace.region === region)
}

export function spApiHost(region: Region): string {
  return spApiRegions[region].apiHost
}

export function adsHosts(region: Region): AdsRegionHosts {
  return adsRegions[region]
}

export function sellerCentralHost(marketplaceId: string): string | undefined {
  return byId.get(marketplaceId)?.sellerCentralHost
}

/** Which region an SP-API host (`sellingpartnerapi-eu.amazon.com`) serves; undefined for other hosts. */
export function regionOfSpApiHost(host: string): Region | undefined {
  return regions.find((region) => spApiRegions[region].apiHost === host)
}

/** Which region an Amazon Ads API host serves; undefined for other hosts. */
export function regionOfAdsApiHost(host: string): Region | undefined {
  return regions.find((region) => adsRegions[region].apiHost === host)
}

/** Which region a Login with Amazon consent host (`eu.account.amazon.com`) belongs to. */
export function regionOfAdsAuthorizeHost(host: string): Region | undefined {
  return regions.find((region) => adsRegions[region].authorizeHost === host)
}

/** Every distinct LWA token host (api.amazon.com, api.amazon.co.uk, api.amazon.co.jp). */
export function lwaTokenHosts(): string[] {
  return [...new Set([...regions.map((region) => adsRegions[region].tokenHost), ...regions.map((region) => spApiRegions[region].tokenHost)])]
}
