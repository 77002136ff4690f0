import { describe, expect, it } from 'vitest'
import type { AmazonStandIn } from '../../amazon/server.ts'
import { ADS_EU_HOST, CLIENT, NA_ADVERTISER, adsAccessToken, call, control, start } from './stand-in-client.ts'

const V3 = 'application/vnd.spCampaign.v3+json'
const EU_PROFILE = '2000000000001'
const NA_PROFILE = '1000000000001'

type AdsCall = { token: string; scope?: string | null; host?: string; contentType?: string | null; accept?: string | null; body?: unknown }

function adsHeaders({ token, scope }: AdsCall): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'amazon-advertising-api-clientid': CLIENT.clientId,
    ...(scope ? { 'amazon-advertising-api-scope': scope } : {}),
  }
}

function listCampaigns(standIn: AmazonStandIn, options: AdsCall) {
  const { host = ADS_EU_HOST, scope = EU_PROFILE, contentType = V3, accept = V3, body = {} } = options
  const headers: Record<string, string> = adsHeaders({ ...options, scope })
  if (contentType !== null) headers['content-type'] = contentType
  if (accept !== null) headers.accept = accept
  return call(standIn.amazonUrl(host, '/sp/campaigns/list'), { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

function getProfile(standIn: AmazonStandIn, options: AdsCall & { profileId: string }) {
  const { host = ADS_EU_HOST, scope = options.profileId } = options
  return call(standIn.amazonUrl(host, `/v2/profiles/${options.profileId}`), { headers: adsHeaders({ ...options, scope }) })
}

describe('Amazon Ads API: profiles and Sponsored Products v3 campaigns', () => {
  it('GET /v2/profiles/{profileId} answers one of the user\'s profiles, its id a JSON number even past 2^53', async () => {
    const { standIn } = await start()
    const big = '9007199254740993' // 2^53 + 1: a JavaScript number cannot hold it
    standIn.nextAdsAccount({ accountId: 'amzn1.account.BIGPROFILE', profiles: [{ profileId: big, marketplaceId: 'A1PA6795UKMFR9' }] })
    const token = await adsAccessToken(standIn, 'amzn1.account.BIGPROFILE')
    const reply = await getProfile(standIn, { token, profileId: big })
    expect(reply.status).toBe(200)
    expect(reply.text).toContain(`"profileId":${big}`)
    expect(reply.body).toMatchObject({ countryCode: 'DE', accountInfo: { marketplaceStringId: 'A1PA6795UKMFR9' } })

    const euToken = await adsAccessToken(standIn)
    expect((await getProfile(standIn, { token: euToken, profileId: EU_PROFILE })).body.profileId).toBe(2_000_000_000_001)
    const otherOfMine = await getProfile(standIn, { token: euToken, profileId: '2000000000002', scope: EU_PROFILE })
    expect(otherOfMine.body.profileId).toBe(2_000_000_000_002)
    expect((await getProfile(standIn, { token: euToken, profileId: '2000000000099', scope: EU_PROFILE })).status).toBe(404)
  })

  it('the Scope header must name a profile the token\'s user manages, in the host\'s region (401 otherwise)', async () => {
    const { standIn } = await start()
    const token = await adsAccessToken(standIn)
    const missing = await listCampaigns(standIn, { token, scope: null })
    expect(missing.status).toBe(401)
    expect(missing.body).toMatchObject({ code: 'UNAUTHORIZED', details: 'Scope header is missing', requestId: expect.any(String) })
    const unknown = await listCampaigns(standIn, { token, scope: '123456789' })
    expect(unknown.body).toMatchObject({ code: 'UNAUTHORIZED', details: 'No matching advertiser found for scope' })
    // Someone else's profile in this region.
    standIn.nextAdsAccount({ accountId: 'amzn1.account.OTHEREU', profiles: [{ profileId: 42, marketplaceId: 'A1F83G8C2ARO7P' }] })
    const foreign = await listCampaigns(standIn, { token, scope: '42' })
    expect(foreign.status).toBe(401)
    expect(foreign.body.details).toBe('Not authorized to access scope')
    // The user's own EU profile does not exist on the NA host.
    expect((await listCampaigns(standIn, { token, host: 'advertising-api.amazon.com' })).body.details).toBe('No matching advertiser found for scope')
    // /v2/profiles itself needs no scope.
    expect((await call(standIn.amazonUrl(ADS_EU_HOST, '/v2/profiles'), { headers: adsHeaders({ token }) })).status).toBe(200)
  })

  it('POST /sp/campaigns/list: a few deterministic campaigns per profile, filters and pages', async () => {
    const { standIn } = await start()
    const token = await adsAccessToken(standIn)
    const all = await listCampaigns(standIn, { token })
    expect(all.status).toBe(200)
    expect(all.headers.get('content-type')).toBe(V3)
    expect(all.body.totalResults).toBe(3)
    expect(all.body.nextToken).toBeUndefined()
    expect(all.body.campaigns[0]).toEqual({
      campaignId: expect.stringMatching(/^\d{15}$/),
      name: 'Stand-in SP campaign 1',
      targetingType: 'AUTO',
      state: 'ENABLED',
      startDate: '2026-01-15',
      budget: { budgetType: 'DAILY', budget: 10 },
      dynamicBidding: { strategy: 'LEGACY_FOR_SALES', placementBidding: [] },
      tags: {},
    })
    expect((await listCampaigns(standIn, { token })).body).toEqual(all.body)
    const otherProfile = await listCampaigns(standIn, { token, scope: '2000000000002' })
    expect(otherProfile.body.campaigns[0].campaignId).not.toBe(all.body.campaigns[0].campaignId)

    const paused = await listCampaigns(standIn, { token, body: { stateFilter: { include: ['PAUSED', 'ARCHIVED'] }, includeExtendedDataFields: true } })
    expect(paused.body.campaigns.map((campaign: any) => campaign.state)).toEqual(['PAUSED', 'ARCHIVED'])
    expect(paused.body.campaigns[0].extendedData).toBeDefined()
    const byId = await listCampaigns(standIn, { token, body: { campaignIdFilter: { include: [all.body.campaigns[2].campaignId] } } })
    expect(byId.body.campaigns).toEqual([all.body.campaigns[2]])

    const page1 = await listCampaigns(standIn, { token, body: { maxResults: 2 } })
    expect(page1.body).toMatchObject({ totalResults: 3, nextToken: expect.any(String) })
    const page2 = await listCampaigns(standIn, { token, body: { maxResults: 2, nextToken: page1.body.nextToken } })
    expect([...page1.body.campaigns, ...page2.body.campaigns]).toEqual(all.body.campaigns)
    expect(page2.body.nextToken).toBeUndefined()

    for (const body of [{ stateFilter: { include: ['RUNNING'] } }, { maxResults: 0 }, { nextToken: 'bogus' }, 'not json']) {
      const refused = await listCampaigns(standIn, { token, body })
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: expect.any(String), requestId: expect.any(String) })
    }
  })

  it('speaks only application/vnd.spCampaign.v3+json: 415 for another Content-Type, 406 for another Accept', async () => {
    const { standIn } = await start()
    const token = await adsAccessToken(standIn)
    for (const contentType of ['application/json', null]) {
      const reply = await listCampaigns(standIn, { token, contentType })
      expect(reply.status).toBe(415)
      expect(reply.body).toMatchObject({ code: '415', details: 'Cannot consume content type', requestId: expect.any(String) })
    }
    for (const accept of ['application/json', 'text/html, application/xml']) {
      const reply = await listCampaigns(standIn, { token, accept })
      expect(reply.status).toBe(406)
      expect(reply.body).toMatchObject({ code: '406', details: 'No match for accept header' })
    }
    // Media types are case-insensitive and may carry parameters; a wildcard Accept (fetch's default) is fine.
    expect((await listCampaigns(standIn, { token, contentType: 'application/vnd.spcampaign.v3+json; charset=UTF-8', accept: '*/*' })).status).toBe(200)
  })

  it('throttles per profile: 429 with Retry-After in seconds, set through POST /ads-rate-limits', async () => {
    const { standIn, clock } = await start()
    const token = await adsAccessToken(standIn)
    expect((await control(standIn, 'POST', '/ads-rate-limits', { rate: 0.5, burst: 2 })).status).toBe(200)
    expect((await listCampaigns(standIn, { token })).status).toBe(200)
    expect((await getProfile(standIn, { token, profileId: EU_PROFILE })).status).toBe(200)
    const throttled = await listCampaigns(standIn, { token })
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('2')
    expect(throttled.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', requestId: expect.any(String) })
    // Another profile has its own bucket; listing profiles is not profile-scoped.
    expect((await listCampaigns(standIn, { token, scope: '2000000000002' })).status).toBe(200)
    expect((await call(standIn.amazonUrl(ADS_EU_HOST, '/v2/profiles'), { headers: adsHeaders({ token }) })).status).toBe(200)

    clock.now += 1500
    expect((await listCampaigns(standIn, { token })).headers.get('retry-after')).toBe('1')
    clock.now += 500
    expect((await listCampaigns(standIn, { token })).status).toBe(200)

    standIn.setAdsRateLimit({ rate: 100, burst: 100 })
    expect((await listCampaigns(standIn, { token })).status).toBe(200)
    expect((await control(standIn, 'POST', '/ads-rate-limits', { rate: 0, burst: 1 })).status).toBe(400)
  })

  it('logs the operation and the profile (never a token) for every Ads call', async () => {
    const { standIn } = await start()
    const token = await adsAccessToken(standIn)
    await call(standIn.amazonUrl(ADS_EU_HOST, '/v2/profiles'), { headers: adsHeaders({ token }) })
    await getProfile(standIn, { token, profileId: EU_PROFILE })
    await listCampaigns(standIn, { token })
    const naToken = await adsAccessToken(standIn, NA_ADVERTISER, 'api.amazon.com')
    await listCampaigns(standIn, { token: naToken, host: 'advertising-api.amazon.com', scope: NA_PROFILE })
    expect(standIn.requests({ kind: 'ads' }).map((record) => [record.operation, record.subject, record.status])).toEqual([
      ['listProfiles', undefined, 200],
      ['getProfile', EU_PROFILE, 200],
      ['listSponsoredProductsCampaigns', EU_PROFILE, 200],
      ['listSponsoredProductsCampaigns', NA_PROFILE, 200],
    ])
    expect(JSON.stringify(standIn.requests())).not.toContain(token)
  })
})
