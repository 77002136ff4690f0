import type { AdsOperationSpec } from './operation-spec.ts'

/**
 * The Amazon Ads API operations the proxy forwards. Amazon publishes no per-operation rates for the Ads
 * API (its limits are dynamic; calls past them get 429), so entries carry none.
 *
 * Sponsored Products v3 and reporting v3 select the operation's version by media type: a request with
 * another Content-Type is refused (415). The values are those of Amazon's own Postman collection
 * (github.com/amzn/ads-advanced-tools-docs, postman/Amazon_Ads_API.postman_collection.json at eba13ee),
 * which matches the "Sponsored Products version 3 migration guide" and the reporting v3 reference of the
 * Amazon Ads advanced tools center: Sponsored Products v3 sends its media type as Content-Type and
 * Accept; reporting v3 names only the request's Content-Type. Media types compare case-insensitively.
 */

const SP_CAMPAIGN = 'application/vnd.spCampaign.v3+json'
const SP_AD_GROUP = 'application/vnd.spAdGroup.v3+json'
const SP_KEYWORD = 'application/vnd.spKeyword.v3+json'
const SP_PRODUCT_AD = 'application/vnd.spProductAd.v3+json'
const SP_TARGETING_CLAUSE = 'application/vnd.spTargetingClause.v3+json'

export const ADS_OPERATIONS: readonly AdsOperationSpec[] = [
  { operationId: 'listProfiles', method: 'GET', path: '/v2/profiles' },
  { operationId: 'getProfileById', method: 'GET', path: '/v2/profiles/{profileId}' },
  { operationId: 'ListSponsoredProductsCampaigns', method: 'POST', path: '/sp/campaigns/list', contentType: SP_CAMPAIGN, accept: SP_CAMPAIGN },
  { operationId: 'ListSponsoredProductsAdGroups', method: 'POST', path: '/sp/adGroups/list', contentType: SP_AD_GROUP, accept: SP_AD_GROUP },
  { operationId: 'ListSponsoredProductsKeywords', method: 'POST', path: '/sp/keywords/list', contentType: SP_KEYWORD, accept: SP_KEYWORD },
  { operationId: 'ListSponsoredProductsProductAds', method: 'POST', path: '/sp/productAds/list', contentType: SP_PRODUCT_AD, accept: SP_PRODUCT_AD },
  { operationId: 'ListSponsoredProductsTargetingClauses', method: 'POST', path: '/sp/targets/list', contentType: SP_TARGETING_CLAUSE, accept: SP_TARGETING_CLAUSE },
  { operationId: 'createAsyncReport', method: 'POST', path: '/reporting/reports', contentType: 'application/vnd.createasyncreportrequest.v3+json' },
  { operationId: 'getAsyncReport', method: 'GET', path: '/reporting/reports/{reportId}' },
]
