// The Overview's Sponsored Products campaigns: what Amazon Ads' `POST /sp/campaigns/list` (v3) answers,
// reduced to what the page shows.
import { formatMoney } from './money.ts'

export type CampaignSummary = {
  id: string
  name: string
  /** ENABLED, PAUSED, ARCHIVED (as Amazon writes it). */
  state: string
  budget: { amount: number; type: string } | null
}

export type CampaignList = { campaigns: CampaignSummary[]; totalResults: number | null; nextToken: string | null }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** `{ campaigns: [{ campaignId, name, state, budget: { budget, budgetType } }], totalResults, nextToken? }`. */
export function parseCampaignList(body: unknown): CampaignList {
  if (!isRecord(body) || !Array.isArray(body.campaigns)) throw new Error('Amazon Ads’ answer has no list of campaigns.')
  const campaigns = body.campaigns.flatMap((campaign): CampaignSummary[] => {
    if (!isRecord(campaign)) return []
    const id = typeof campaign.campaignId === 'string' || typeof campaign.campaignId === 'number' ? String(campaign.campaignId) : null
    if (!id) return []
    const budget = isRecord(campaign.budget) && typeof campaign.budget.budget === 'number' ? campaign.budget : null
    return [
      {
        id,
        name: typeof campaign.name === 'string' && campaign.name ? campaign.name : id,
        state: typeof campaign.state === 'string' ? campaign.state : 'UNKNOWN',
        budget: budget ? { amount: budget.budget as number, type: typeof budget.budgetType === 'string' ? budget.budgetType : 'DAILY' } : null,
      },
    ]
  })
  return {
    campaigns,
    totalResults: typeof body.totalResults === 'number' ? body.totalResults : null,
    nextToken: typeof body.nextToken === 'string' && body.nextToken ? body.nextToken : null,
  }
}

/** "Enabled", "Paused", "Archived". */
export function campaignStateLabel(state: string): string {
  return state.charAt(0).toUpperCase() + state.slice(1).toLowerCase()
}

/** "$25.00 a day" in the profile's currency when known, else the plain amount. */
export function budgetLabel(budget: CampaignSummary['budget'], currency: string | undefined): string {
  if (!budget) return '—'
  const amount = formatMoney(budget.amount, currency)
  return budget.type === 'DAILY' ? `${amount} a day` : `${amount} (${budget.type.toLowerCase()})`
}
