import type { AmazonConfig } from '../env.ts'
import { amazonUrl } from './amazon-url.ts'
import { ADS_CAMPAIGN_MANAGEMENT_SCOPE, adsHosts, sellerCentralHost, spApiRegions, type Provider, type Region } from './regions.ts'

/** Seller Central's consent page for the marketplace's host (SP-API website authorization workflow). */
export function spApiConsentUrl(config: AmazonConfig, marketplaceId: string, state: string): string {
  const host = sellerCentralHost(marketplaceId)
  if (!host) throw new TypeError('unknown marketplace id')
  const query = new URLSearchParams({ application_id: config.spApiApplicationId, state, redirect_uri: config.redirectUri })
  if (config.spApiDraftApp) query.set('version', 'beta')
  return amazonUrl(config.amazonBaseUrl, host, `/apps/authorize/consent?${query}`)
}

/** Login with Amazon's consent page for the Ads region, asking for campaign management. */
export function adsConsentUrl(config: AmazonConfig, region: Region, state: string): string {
  const query = new URLSearchParams({
    client_id: config.adsClientId,
    scope: ADS_CAMPAIGN_MANAGEMENT_SCOPE,
    response_type: 'code',
    redirect_uri: config.redirectUri,
    state,
  })
  return amazonUrl(config.amazonBaseUrl, adsHosts(region).authorizeHost, `/ap/oa?${query}`)
}

/** The LWA token endpoint and client for a provider's grants: api.amazon.com for SP-API, the region's host for Ads. */
export function lwaClientFor(config: AmazonConfig, provider: Provider, region: Region) {
  const host = provider === 'sp_api' ? spApiRegions[region].tokenHost : adsHosts(region).tokenHost
  return {
    tokenUrl: amazonUrl(config.amazonBaseUrl, host, '/auth/o2/token'),
    clientId: provider === 'sp_api' ? config.lwaClientId : config.adsClientId,
    clientSecret: provider === 'sp_api' ? config.lwaClientSecret : config.adsClientSecret,
  }
}
