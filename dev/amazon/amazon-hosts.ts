import {
  lwaTokenHosts,
  marketplaces,
  type Region,
  regionOfAdsApiHost,
  regionOfAdsAuthorizeHost,
  regionOfSpApiHost,
} from '../../worker/src/amazon/regions.ts'

/** What an Amazon host name is, by the shared region table (worker/src/amazon/regions.ts). */
export type AmazonHost =
  | { service: 'sp_api_consent'; region: Region }
  | { service: 'ads_consent'; region: Region }
  | { service: 'lwa' }
  | { service: 'sp_api'; region: Region }
  | { service: 'ads'; region: Region }

export function classifyHost(host: string): AmazonHost | undefined {
  const name = host.toLowerCase()
  const sellerCentral = marketplaces.find((marketplace) => marketplace.sellerCentralHost === name)
  if (sellerCentral) return { service: 'sp_api_consent', region: sellerCentral.region }
  const adsConsentRegion = regionOfAdsAuthorizeHost(name)
  if (adsConsentRegion) return { service: 'ads_consent', region: adsConsentRegion }
  if (lwaTokenHosts().includes(name)) return { service: 'lwa' }
  const spApiRegion = regionOfSpApiHost(name)
  if (spApiRegion) return { service: 'sp_api', region: spApiRegion }
  const adsRegion = regionOfAdsApiHost(name)
  if (adsRegion) return { service: 'ads', region: adsRegion }
  return undefined
}
