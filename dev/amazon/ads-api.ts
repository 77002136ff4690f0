import type { IncomingHttpHeaders } from 'node:http'
import type { Region } from '../../worker/src/amazon/regions.ts'
import type { AdsProfile } from './ads-accounts.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { adsError } from './ads-errors.ts'
import { requestId } from './amazon-ids.ts'
import { json, type Reply } from './http-io.ts'

export type AdsRequest = { method: string; host: string; region: Region; path: string; query: URLSearchParams; headers: IncomingHttpHeaders }

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * The Amazon Ads API hosts (`advertising-api{,-eu,-fe}.amazon.com`): `GET /v2/profiles` with
 * `Authorization: Bearer` and `Amazon-Advertising-API-ClientId`. Profiles are per region: a regional
 * host lists only the account's profiles in its region (none, for another region's account).
 */
export function handleAds(instance: AmazonInstance, request: AdsRequest): Reply {
  if (request.method !== 'GET' || request.path !== '/v2/profiles') {
    return adsError(404, 'NOT_FOUND', `Could not find resource for full path: https://${request.host}${request.path}`)
  }
  const clientId = header(request.headers, 'amazon-advertising-api-clientid')
  if (!clientId) return adsError(400, '400', 'Missing required header: Amazon-Advertising-API-ClientId')
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(request.headers, 'authorization') ?? '')?.[1]
  if (!bearer) return adsError(401, 'UNAUTHORIZED', 'HTTP 401 Unauthorized')
  const check = instance.authorizations.checkAccessToken(bearer, instance.clock.now())
  if (check.status !== 'valid') return adsError(401, 'UNAUTHORIZED', 'HTTP 401 Unauthorized')
  const { grant } = check
  // The ClientId header must name the application the token was issued to.
  if (clientId !== grant.clientId) return adsError(401, 'UNAUTHORIZED', 'Invalid Amazon-Advertising-API-ClientId')
  if (grant.subject.provider !== 'ads') return adsError(401, 'UNAUTHORIZED', 'The access token does not grant Amazon Ads access')

  const account = instance.adsAccounts.get(grant.subject.adsAccountId)
  if (!account) return adsError(401, 'UNAUTHORIZED', 'HTTP 401 Unauthorized')
  const types = request.query.get('profileTypeFilter')?.split(',').filter(Boolean)
  const profiles = account.region === request.region ? account.profiles : []
  const listed = types ? profiles.filter((profile) => types.includes(profile.accountInfo.type)) : profiles
  return profilesReply(listed)
}

/**
 * The profiles as Amazon writes them: every profileId a JSON number, including those past 2^53 that the
 * stand-in holds as digits (JSON.stringify would quote them), so clients must parse them without rounding.
 */
function profilesReply(profiles: AdsProfile[]): Reply {
  const reply = json(200, profiles, { 'x-amzn-RequestId': requestId() })
  // JSON.stringify writes the key as `"profileId":"digits"`; a quote inside any string value is escaped
  // (`\"`), so this matches only the field itself.
  return { ...reply, body: reply.body.replace(/"profileId":"(\d+)"/g, '"profileId":$1') }
}
