import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { renderConsentPage } from './consent-html.ts'
import { type ConsentRequest, consentDecision, errorPage, formAction, queryValue, redirectWith } from './consent-request.ts'
import { html, type Reply } from './http-io.ts'

const BRAND = 'Seller Central'

/**
 * `/{seller central host}/apps/authorize/consent?application_id&state[&version=beta][&redirect_uri]`
 * (SP-API website authorization workflow). Approve redirects to the redirect URI with `state`,
 * `selling_partner_id` and `spapi_oauth_code`; requests Amazon cannot trust get an error page.
 */
export function handleSpApiConsent(instance: AmazonInstance, request: ConsentRequest): Reply {
  if (request.path !== '/apps/authorize/consent') return errorPage(BRAND, 'This Seller Central page does not exist.', undefined, 404)
  if (request.method !== 'GET' && request.method !== 'POST') return errorPage(BRAND, 'Method not allowed.', undefined, 405)

  const applicationId = queryValue(request.query, 'application_id')
  if (!applicationId) return errorPage(BRAND, 'The authorization request has no application_id.')
  const client = instance.clients.byApplicationId(applicationId)
  if (!client) return errorPage(BRAND, 'We could not find the application you are trying to authorize.')
  if (client.draft && queryValue(request.query, 'version') !== 'beta') {
    return errorPage(BRAND, 'This application is in draft state: add version=beta to the authorization URI.', 'MD1000')
  }
  const state = queryValue(request.query, 'state')
  if (!state) return errorPage(BRAND, 'The authorization request has no state parameter.')

  const explicitRedirectUri = queryValue(request.query, 'redirect_uri')
  if (explicitRedirectUri !== undefined && !instance.clients.isRedirectAllowed(client, explicitRedirectUri)) {
    return errorPage(BRAND, "The redirect URI doesn't match one of the redirect URIs of this application.", 'MD5101')
  }
  const redirectUri = explicitRedirectUri ?? client.redirectUris?.[0]
  if (!redirectUri) return errorPage(BRAND, 'This application has no redirect URI to return to.', 'MD5101')

  if (request.method === 'GET') {
    const seller = instance.sellers.peek(request.region)
    return html(
      200,
      renderConsentPage({
        brand: BRAND,
        appName: client.name,
        summary: `${client.name} asks to access your selling account's data through the Selling Partner API. It can act for you until you revoke access in Manage Your Apps.`,
        appDetails: [
          ['Name', client.name],
          ['Application ID', applicationId],
        ],
        accountHeading: 'Signed in as',
        accountDetails: [
          ['Store', seller.storeName],
          ['Merchant token', seller.sellingPartnerId],
        ],
        listHeading: 'Marketplaces',
        listItems: seller.marketplaceIds.map((id) => {
          const marketplace = marketplaceById(id)!
          return `${marketplace.countryName} (${marketplace.name})`
        }),
        action: formAction(request),
      }),
    )
  }

  // Amazon documents no deny redirect for SP-API; this one follows Login with Amazon's (OAuth 2.0) shape.
  const decision = consentDecision(request, {
    brand: BRAND,
    redirectUri,
    state,
    description: 'The selling partner denied the authorization request.',
  })
  if (decision !== 'approve') return decision
  const seller = instance.sellers.take(request.region)
  const code = instance.authorizations.issueCode({
    clientId: client.clientId,
    region: seller.region,
    subject: { provider: 'sp_api', sellingPartnerId: seller.sellingPartnerId },
    redirectUri: explicitRedirectUri,
    scope: undefined,
    issuedAt: instance.clock.now(),
  })
  return redirectWith(redirectUri, { state, selling_partner_id: seller.sellingPartnerId, spapi_oauth_code: code })
}
