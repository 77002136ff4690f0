import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'
import type { AdsProfile } from './ads-accounts.ts'
import { adsError } from './ads-errors.ts'
import { requestId } from './amazon-ids.ts'
import { json, mediaType, parseJson, type Reply } from './http-io.ts'
import { decodePageToken, encodePageToken } from './page-tokens.ts'
import { digits, stableHash } from './stable-hash.ts'

/** Sponsored Products v3 speaks only its own media type, both ways. */
const SP_CAMPAIGN_MEDIA_TYPE = 'application/vnd.spcampaign.v3+json'
const CAMPAIGNS_PER_PROFILE = 3
const MAX_RESULTS = 1000
const STATES = ['ENABLED', 'PAUSED', 'ARCHIVED'] as const

type Campaign = {
  campaignId: string
  name: string
  targetingType: 'AUTO' | 'MANUAL'
  state: (typeof STATES)[number]
  startDate: string
  budget: { budgetType: 'DAILY'; budget: number }
  dynamicBidding: { strategy: 'LEGACY_FOR_SALES'; placementBidding: Array<{ placement: string; percentage: number }> }
  tags: Record<string, string>
}

const listRequestSchema = z.object({
  stateFilter: z.object({ include: z.array(z.enum(STATES)).min(1) }).optional(),
  campaignIdFilter: z.object({ include: z.array(z.string().regex(/^\d+$/)).min(1) }).optional(),
  nameFilter: z.object({ include: z.array(z.string().min(1)).min(1) }).optional(),
  maxResults: z.int().min(1).max(MAX_RESULTS).optional(),
  nextToken: z.string().min(1).optional(),
  includeExtendedDataFields: z.boolean().optional(),
})

/** A few campaigns per profile, the same on every call: ids are digit strings, as v3 writes them. */
function generateCampaigns(profile: AdsProfile): Campaign[] {
  return Array.from({ length: CAMPAIGNS_PER_PROFILE }, (_, index) => {
    const seed = stableHash(`${profile.profileId}/campaign/${index}`)
    return {
      campaignId: `${1 + (seed % 9)}${digits(stableHash(`id/${seed}`), 14)}`,
      name: `Stand-in SP campaign ${index + 1}`,
      targetingType: index % 2 === 0 ? 'AUTO' : 'MANUAL',
      state: STATES[index % STATES.length]!,
      startDate: `2026-0${1 + index}-15`,
      budget: { budgetType: 'DAILY', budget: 10 * (index + 1) },
      dynamicBidding: { strategy: 'LEGACY_FOR_SALES', placementBidding: [] },
      tags: {},
    }
  })
}

/**
 * Sponsored Products v3 `POST /sp/campaigns/list` for one profile: `Content-Type` and `Accept` must be
 * `application/vnd.spCampaign.v3+json` (415 "Cannot consume content type", 406 "No match for accept
 * header", as the Ads API answers), filters by state, id and name, pages with `maxResults` / `nextToken`.
 */
export function listSponsoredProductsCampaigns(profile: AdsProfile, headers: IncomingHttpHeaders, body: Buffer): Reply {
  if (mediaType(headers['content-type']) !== SP_CAMPAIGN_MEDIA_TYPE) return adsError(415, '415', 'Cannot consume content type')
  if (!accepts(headers.accept)) return adsError(406, '406', 'No match for accept header')
  const parsed = listRequestSchema.safeParse(body.length === 0 ? {} : parseJson(body.toString('utf8')))
  if (!parsed.success) return adsError(400, 'INVALID_ARGUMENT', parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '))
  const request = parsed.data
  const offset = request.nextToken === undefined ? 0 : decodePageToken(request.nextToken)
  if (offset === undefined) return adsError(400, 'INVALID_ARGUMENT', 'nextToken: invalid')

  const matching = generateCampaigns(profile).filter(
    (campaign) =>
      (!request.stateFilter || request.stateFilter.include.includes(campaign.state)) &&
      (!request.campaignIdFilter || request.campaignIdFilter.include.includes(campaign.campaignId)) &&
      (!request.nameFilter || request.nameFilter.include.includes(campaign.name)),
  )
  const end = offset + (request.maxResults ?? MAX_RESULTS)
  const campaigns = matching.slice(offset, end).map((campaign) =>
    request.includeExtendedDataFields
      ? { ...campaign, extendedData: { servingStatus: campaign.state === 'ENABLED' ? 'CAMPAIGN_STATUS_ENABLED' : `CAMPAIGN_${campaign.state}` } }
      : campaign,
  )
  return json(
    200,
    { campaigns, totalResults: matching.length, ...(end < matching.length ? { nextToken: encodePageToken(end) } : {}) },
    { 'content-type': 'application/vnd.spCampaign.v3+json', 'x-amzn-RequestId': requestId() },
  )
}

// Whether an Accept header admits the v3 media type. A wildcard does (fetch sends one when none is set);
// an absent header does not.
function accepts(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => [SP_CAMPAIGN_MEDIA_TYPE, '*/*', 'application/*'].includes(mediaType(range)))
}
