import type { IncomingHttpHeaders } from 'node:http'
import { adsRegions, spApiRegions, type Region } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import type { Grant, GrantSubject } from './authorizations.ts'
import { json, mediaType, type Reply } from './http-io.ts'
import { grantTypes, type GrantType, type LwaClient } from './lwa-clients.ts'
import { lwaDescriptions as describe, lwaError, lwaHeaders } from './lwa-errors.ts'

export type TokenRequest = { method: string; host: string; headers: IncomingHttpHeaders; body: Buffer }

const FORM = 'application/x-www-form-urlencoded'

/** `grant_type` of a form-encoded token request, for the request log (a grant type is no secret). */
export function grantTypeOf(request: Pick<TokenRequest, 'headers' | 'body'>): string | undefined {
  if (mediaType(request.headers['content-type']) !== FORM) return undefined
  const value = new URLSearchParams(request.body.toString('utf8')).get('grant_type')
  return value && /^[a-z_:.-]{1,64}$/i.test(value) ? value : undefined
}

/** Whose grant a refresh_token request names (selling partner or Ads account id), for the request log. */
export function refreshSubjectOf(instance: AmazonInstance, body: Buffer): string | undefined {
  const token = new URLSearchParams(body.toString('utf8')).get('refresh_token')
  const subject = token ? instance.authorizations.grantForRefreshToken(token)?.subject : undefined
  if (!subject) return undefined
  return subject.provider === 'sp_api' ? subject.sellingPartnerId : subject.adsAccountId
}

/** Where a grant's codes and refresh tokens are redeemed: api.amazon.com for SP-API, the region's LWA host for Ads. */
export function tokenHostFor(subject: GrantSubject, region: Region): string {
  return subject.provider === 'sp_api' ? spApiRegions[region].tokenHost : adsRegions[region].tokenHost
}

/**
 * `POST /auth/o2/token` on api.amazon.com / api.amazon.co.uk / api.amazon.co.jp: the
 * `authorization_code` and `refresh_token` grants, form-encoded, with client credentials in the
 * form or as HTTP Basic. Errors are `{ error, error_description }`, 400 (401 for invalid_client).
 */
export function handleTokenRequest(instance: AmazonInstance, request: TokenRequest): Reply {
  if (request.method !== 'POST') return lwaError('invalid_request', 'The request method must be POST', { allow: 'POST' })
  if (mediaType(request.headers['content-type']) !== FORM) return lwaError('invalid_request', describe.contentType)
  const params = new URLSearchParams(request.body.toString('utf8'))
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) return lwaError('invalid_request', describe.repeated(key))
  }

  const grantType = params.get('grant_type')
  if (!grantType) return lwaError('invalid_request', describe.missing('grant_type'))
  if (!(grantTypes as readonly string[]).includes(grantType)) return lwaError('unsupported_grant_type', describe.unsupportedGrantType)

  const authenticated = authenticateClient(instance, request.headers.authorization, params)
  if ('reply' in authenticated) return authenticated.reply
  const { client } = authenticated
  if (!client.grantTypes.includes(grantType as GrantType)) return lwaError('unauthorized_client', describe.unauthorizedClient)

  return grantType === 'authorization_code'
    ? redeemAuthorizationCode(instance, client, request.host, params)
    : redeemRefreshToken(instance, client, request.host, params)
}

function authenticateClient(
  instance: AmazonInstance,
  authorization: string | undefined,
  params: URLSearchParams,
): { client: LwaClient } | { reply: Reply } {
  const basic = parseBasic(authorization)
  const challenge: Record<string, string> = basic ? { 'www-authenticate': 'Basic realm="Login with Amazon"' } : {}
  const failed = { reply: lwaError('invalid_client', describe.clientAuthentication, challenge) }
  if (basic === 'malformed') return failed
  if (basic && (params.has('client_secret') || (params.has('client_id') && params.get('client_id') !== basic.clientId))) {
    return { reply: lwaError('invalid_request', 'The request uses more than one client authentication method') }
  }
  const clientId = basic ? basic.clientId : params.get('client_id')
  const clientSecret = basic ? basic.clientSecret : params.get('client_secret')
  if (!clientId) return { reply: lwaError('invalid_request', describe.missing('client_id')) }
  if (!clientSecret) return failed
  const client = instance.clients.authenticate(clientId, clientSecret)
  return client ? { client } : failed
}

function parseBasic(authorization: string | undefined): { clientId: string; clientSecret: string } | 'malformed' | undefined {
  if (!authorization) return undefined
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization)?.[1]
  if (!encoded) return 'malformed'
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) return 'malformed'
  // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) }
  } catch {
    return 'malformed'
  }
}

function redeemAuthorizationCode(instance: AmazonInstance, client: LwaClient, host: string, params: URLSearchParams): Reply {
  const code = params.get('code')
  if (!code) return lwaError('invalid_request', describe.missing('code'))
  const found = instance.authorizations.findCode(code)
  const expired = found !== undefined && instance.clock.now() - found.issuedAt >= instance.authorizationCodeLifetimeMs
  // Unknown, used, expired, another client's, or brought to another region's token host: all one answer.
  if (!found || found.used || expired || found.clientId !== client.clientId || tokenHostFor(found.subject, found.region) !== host) {
    return lwaError('invalid_grant', describe.invalidGrant('code'))
  }
  if (found.redirectUri !== undefined) {
    const redirectUri = params.get('redirect_uri')
    if (redirectUri === null) return lwaError('invalid_request', describe.missing('redirect_uri'))
    if (redirectUri !== found.redirectUri) return lwaError('invalid_grant', describe.invalidGrant('redirect_uri'))
  }
  instance.authorizations.markUsed(code)
  const { grant, refreshToken } = instance.authorizations.createGrant({ clientId: client.clientId, region: found.region, subject: found.subject })
  return tokenResponse(instance, grant, refreshToken)
}

function redeemRefreshToken(instance: AmazonInstance, client: LwaClient, host: string, params: URLSearchParams): Reply {
  const refreshToken = params.get('refresh_token')
  if (!refreshToken) return lwaError('invalid_request', describe.missing('refresh_token'))
  const grant = instance.authorizations.grantForRefreshToken(refreshToken)
  if (!grant || grant.revoked || grant.clientId !== client.clientId || tokenHostFor(grant.subject, grant.region) !== host) {
    return lwaError('invalid_grant', describe.revokedRefreshToken)
  }
  const rotation = instance.takeRotation()
  const rotated = rotation ? instance.authorizations.rotateRefreshToken(refreshToken, rotation.keepOld) : undefined
  return tokenResponse(instance, grant, rotated)
}

function tokenResponse(instance: AmazonInstance, grant: Grant, refreshToken: string | undefined): Reply {
  const expiresIn = instance.accessTokenLifetimeSeconds
  const accessToken = instance.authorizations.issueAccessToken(grant, instance.clock.now() + expiresIn * 1000)
  return json(
    200,
    { access_token: accessToken, ...(refreshToken ? { refresh_token: refreshToken } : {}), token_type: 'bearer', expires_in: expiresIn },
    lwaHeaders(),
  )
}
