import type { IncomingHttpHeaders } from 'node:http'
import type { Region } from '../../worker/src/amazon/regions.ts'
import type { AdsAccount, AdsProfile } from './ads-accounts.ts'
import { listSponsoredProductsCampaigns } from './ads-campaigns.ts'
import { adsError, adsThrottled, adsUnauthorized } from './ads-errors.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import { requestId } from './amazon-ids.ts'
import { json, type Reply } from './http-io.ts'
import { matchPathTemplate, type PathParams } from './path-templates.ts'

export type AdsRequest = {
  method: string
  host: string
  region: Region
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
}

/** The Ads operations served; `scoped` ones need an Amazon-Advertising-API-Scope (a profile id). */
const ADS_OPERATIONS = [
  { operation: 'listProfiles', method: 'GET', path: '/v2/profiles', scoped: false },
  { operation: 'getProfile', method: 'GET', path: '/v2/profiles/{profileId}', scoped: true },
  { operation: 'listSponsoredProductsCampaigns', method: 'POST', path: '/sp/campaigns/list', scoped: true },
] as const
type AdsOperation = (typeof ADS_OPERATIONS)[number]['operation']

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function matchAdsOperation(method: string, path: string): { operation: AdsOperation; scoped: boolean; params: PathParams } | undefined {
  for (const candidate of ADS_OPERATIONS) {
    const params = candidate.method === method ? matchPathTemplate(candidate.path, path) : undefined
    if (params) return { operation: candidate.operation, scoped: candidate.scoped, params }
  }
  return undefined
}

export function adsOperationOf(method: string, path: string): AdsOperation | undefined {
  return matchAdsOperation(method, path)?.operation
}

/** The profile a request names in its Scope header, for the request log (an id, never a token). */
export function adsSubjectOf(headers: IncomingHttpHeaders): string | undefined {
  const scope = header(headers, 'amazon-advertising-api-scope')?.trim()
  return scope && /^\d{1,20}$/.test(scope) ? scope : undefined
}

/**
 * The Amazon Ads API hosts (`advertising-api{,-eu,-fe}.amazon.com`): `Authorization: Bearer` and
 * `Amazon-Advertising-API-ClientId` on every call, plus `Amazon-Advertising-API-Scope` naming one of the
 * user's profiles on the scoped ones, throttled per profile (429 + Retry-After). Profiles are per
 * region: a regional host sees only the profiles in its region.
 */
export function handleAds(instance: AmazonInstance, request: AdsRequest): Reply {
  const match = matchAdsOperation(request.method, request.path)
  if (!match) return adsError(404, 'NOT_FOUND', `Could not find resource for full path: https://${request.host}${request.path}`)

  const clientId = header(request.headers, 'amazon-advertising-api-clientid')
  if (!clientId) return adsError(400, '400', 'Missing required header: Amazon-Advertising-API-ClientId')
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(request.headers, 'authorization') ?? '')?.[1]
  if (!bearer) return adsError(401, 'UNAUTHORIZED', adsUnauthorized.token)
  const check = instance.authorizations.checkAccessToken(bearer, instance.clock.now())
  if (check.status !== 'valid') return adsError(401, 'UNAUTHORIZED', adsUnauthorized.token)
  const { grant } = check
  // The ClientId header must name the application the token was issued to.
  if (clientId !== grant.clientId) return adsError(401, 'UNAUTHORIZED', adsUnauthorized.clientId)
  if (grant.subject.provider !== 'ads') return adsError(401, 'UNAUTHORIZED', adsUnauthorized.notAds)
  const account = instance.adsAccounts.get(grant.subject.adsAccountId)
  if (!account) return adsError(401, 'UNAUTHORIZED', adsUnauthorized.token)
  const profiles = account.region === request.region ? account.profiles : []

  if (match.operation === 'listProfiles') {
    const types = request.query.get('profileTypeFilter')?.split(',').filter(Boolean)
    return profilesReply(types ? profiles.filter((profile) => types.includes(profile.accountInfo.type)) : profiles)
  }

  const scoped = scopeProfile(instance, request, profiles)
  if ('status' in scoped) return scoped
  const taken = instance.adsRateLimiter.take(String(scoped.profileId))
  if (!taken.allowed) return adsThrottled(Math.max(1, Math.ceil(taken.retryAfterMs / 1000)))

  switch (match.operation) {
    case 'getProfile': {
      const profile = profiles.find((candidate) => String(candidate.profileId) === match.params.profileId)
      return profile ? profilesReply(profile) : adsError(404, 'NOT_FOUND', `Profile ${match.params.profileId} not found`)
    }
    case 'listSponsoredProductsCampaigns':
      return listSponsoredProductsCampaigns(scoped, request.headers, request.body)
  }
}

/**
 * The profile the Scope header names, if the token's user may manage it; else the Ads 401 for a missing
 * header, a profile this region does not have, or someone else's profile.
 */
function scopeProfile(instance: AmazonInstance, request: AdsRequest, own: AdsProfile[]): AdsProfile | Reply {
  const scope = header(request.headers, 'amazon-advertising-api-scope')?.trim()
  if (!scope) return adsError(401, 'UNAUTHORIZED', adsUnauthorized.scopeMissing)
  const profile = own.find((candidate) => String(candidate.profileId) === scope)
  if (profile) return profile
  const inRegion = (account: AdsAccount) => account.region === request.region
  const elsewhere = instance.adsAccounts.all().some((account) => inRegion(account) && account.profiles.some((candidate) => String(candidate.profileId) === scope))
  return adsError(401, 'UNAUTHORIZED', elsewhere ? adsUnauthorized.notAuthorized : adsUnauthorized.noAdvertiser)
}

/**
 * Profiles as Amazon writes them: every profileId a JSON number, including those past 2^53 that the
 * stand-in holds as digits (JSON.stringify would quote them), so clients must parse them without rounding.
 */
function profilesReply(profiles: AdsProfile[] | AdsProfile): Reply {
  const reply = json(200, profiles, { 'x-amzn-RequestId': requestId() })
  // JSON.stringify writes the key as `"profileId":"digits"`; a quote inside any string value is escaped
  // (`\"`), so this matches only the field itself.
  return { ...reply, body: reply.body.replace(/"profileId":"(\d+)"/g, '"profileId":$1') }
}
