// The SP-API marketplaces per region, for the connect dialog and the cards. A copy of the ids, countries and
// regions in worker/src/amazon/regions.ts (the Worker's table): importing that module would bundle zod into
// the dashboard, for three fields. Keep the two in step (dev/test/web/marketplaces.test.ts compares them).

export type Region = 'na' | 'eu' | 'fe'
export type WebMarketplace = { id: string; countryCode: string; countryName: string; region: Region }

const m = (id: string, countryCode: string, countryName: string, region: Region): WebMarketplace => ({ id, countryCode, countryName, region })

/** In the order of Amazon's "Marketplace IDs" table; countryCode as getMarketplaceParticipations reports it (GB). */
export const marketplaces: readonly WebMarketplace[] = [
  m('A2EUQ1WTGCTBG2', 'CA', 'Canada', 'na'),
  m('ATVPDKIKX0DER', 'US', 'United States', 'na'),
  m('A1AM78C64UM0Y8', 'MX', 'Mexico', 'na'),
  m('A2Q3Y263D00KWC', 'BR', 'Brazil', 'na'),
  m('A28R8C7NBKEWEA', 'IE', 'Ireland', 'eu'),
  m('A1RKKUPIHCS9HS', 'ES', 'Spain', 'eu'),
  m('A1F83G8C2ARO7P', 'GB', 'United Kingdom', 'eu'),
  m('A13V1IB3VIYZZH', 'FR', 'France', 'eu'),
  m('AMEN7PMS3EDWL', 'BE', 'Belgium', 'eu'),
  m('A1805IZSGTT6HS', 'NL', 'Netherlands', 'eu'),
  m('A1PA6795UKMFR9', 'DE', 'Germany', 'eu'),
  m('APJ6JRA9NG5V4', 'IT', 'Italy', 'eu'),
  m('A2NODRKZP88ZB9', 'SE', 'Sweden', 'eu'),
  m('AE08WJ6YKNBMC', 'ZA', 'South Africa', 'eu'),
  m('A1C3SOZRARQ6R3', 'PL', 'Poland', 'eu'),
  m('ARBP9OOSHTCHU', 'EG', 'Egypt', 'eu'),
  m('A33AVAJ2PDY3EV', 'TR', 'Turkey', 'eu'),
  m('A17E79C6D8DWNP', 'SA', 'Saudi Arabia', 'eu'),
  m('A2VIGQ35RCS4UG', 'AE', 'United Arab Emirates', 'eu'),
  m('A21TJRUUN4KGV', 'IN', 'India', 'eu'),
  m('A19VAU5U5O7RUS', 'SG', 'Singapore', 'fe'),
  m('A39IBJ37TRP1C6', 'AU', 'Australia', 'fe'),
  m('A1VC38T7YXB528', 'JP', 'Japan', 'fe'),
]

/** The marketplace a region-only SP-API connect starts from (the Worker's spApiRegions[region].defaultMarketplaceId). */
export const defaultMarketplaceId: Record<Region, string> = { na: 'ATVPDKIKX0DER', eu: 'A1F83G8C2ARO7P', fe: 'A1VC38T7YXB528' }

export function marketplacesInRegion(region: Region): WebMarketplace[] {
  return marketplaces.filter((marketplace) => marketplace.region === region)
}

export function marketplaceById(id: string): WebMarketplace | undefined {
  return marketplaces.find((marketplace) => marketplace.id === id)
}
