import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { renderConsentPage } from './consent-html.ts'
import { type ConsentRequest, consentDecision, errorPage, formAction, queryValue, redirectWith } from './consent-request.ts'
import { html, type Reply } from './http-io.ts'

const BRAND = 'Login with Amazon'

/** Scopes Login with Amazon grants to an Amazon Ads client. */
const KNOWN_SCOPES = new Set([
  'advertising::campaign_management',
  'advertising::audiences',
  'advertising::test:create_account',
  'cpc_advertising:campaign_management',
  'profile',
  'profile:user_id',
  'postal_code',
])

/**
 * `/{www.amazon.com|eu.account.amazon.com|apac.account.amazon.com}/ap/oa?client_id&scope&response_type=code&redirect_uri&state`
 * (Amazon Ads authorization grant). Approve redirects with `code`, `scope` and `state`; deny with
 * `error=access_denied`. An unknown client or an unlisted redirect URI gets an error page, never a redirect.
 */
export function handleAdsConsent(instance: AmazonInstance, request: ConsentRequest): Reply {
  if (request.path !== '/ap/oa') return errorPage(BRAND, 'This page does not exist.', undefined, 404)
  if (request.method !== 'GET' && request.method !== 'POST') return errorPage(BRAND, 'Method not allowed.', undefined, 405)

  const clientId = queryValue(request.query, 'client_id')
  const client = clientId === undefined ? undefined : instance.clients.byClientId(clientId)
  if (!client) return errorPage(BRAND, 'The client_id is missing or does not belong to a registered application.', 'invalid_request')
  const redirectUri = queryValue(request.query, 'redirect_uri')
  if (!redirectUri) return errorPage(BRAND, 'The authorization request has no redirect_uri.', 'invalid_request')
  if (!instance.clients.isRedirectAllowed(client, redirectUri)) {
    return errorPage(BRAND, 'The redirect URI you provided has not been whitelisted for your application.', 'invalid_request')
  }
  const state = queryValue(request.query, 'state')
  if (queryValue(request.query, 'response_type') !== 'code') {
    return redirectWith(redirectUri, {
      error: 'unsupported_response_type',
      error_description: 'The response_type must be code.',
      state,
    })
  }
  const scope = queryValue(request.query, 'scope')
  const scopes = scope?.split(' ').filter(Boolean) ?? []
  if (scopes.length === 0 || !scopes.every((name) => KNOWN_SCOPES.has(name))) {
    return redirectWith(redirectUri, { error: 'invalid_scope', error_description: 'An unknown scope was requested.', state })
  }

  if (request.method === 'GET') {
    const account = instance.adsAccounts.peek(request.region)
    return html(
      200,
      renderConsentPage({
        brand: BRAND,
        appName: client.name,
        summary: `${client.name} asks to manage your Amazon Ads campaigns and read your advertising data (${scopes.join(', ')}).`,
        appDetails: [
          ['Name', client.name],
          ['Client ID', client.clientId],
        ],
        accountHeading: 'Signed in as',
        accountDetails: [
          ['Name', account.name],
          ['Account', account.accountId],
        ],
        listHeading: 'Advertising profiles',
        listItems: account.profiles.map((profile) => {
          const marketplace = marketplaceById(profile.accountInfo.marketplaceStringId)!
          return `${profile.accountInfo.name} — ${marketplace.countryName}, ${profile.accountInfo.type} (profile ${profile.profileId})`
        }),
        action: formAction(request),
      }),
    )
  }

  const decision = consentDecision(request, { brand: BRAND, redirectUri, state, description: 'The user denied the request.' })
  if (decision !== 'approve') return decision
  const account = instance.adsAccounts.take(request.region)
  const code = instance.authorizations.issueCode({
    clientId: client.clientId,
    region: account.region,
    subject: { provider: 'ads', adsAccountId: account.accountId },
    redirectUri,
    scope: scopes.join(' '),
    issuedAt: instance.clock.now(),
  })
  return redirectWith(redirectUri, { code, scope: scopes.join(' '), state })
}
