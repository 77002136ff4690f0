'use client'
// An Ads profile's Sponsored Products campaigns, read through the proxy (`POST /sp/campaigns/list`): name,
// state and budget, in the profile's currency.
import type { Account } from '../../lib/api/accounts.ts'
import { useSpCampaigns } from '../../lib/api/amazon-proxy.ts'
import { sharedCurrency } from '../../lib/marketplace-locale.ts'
import { budgetLabel, type CampaignList, campaignStateLabel } from '../../lib/sp-campaigns.ts'
import { ProxyErrorNotice } from '../ProxyErrorNotice.tsx'

export function CampaignsSection({ account }: { account: Account }) {
  const campaigns = useSpCampaigns(account)
  return (
    <section className="card stack" aria-labelledby="campaigns-heading" aria-busy={campaigns.isFetching}>
      <h2 id="campaigns-heading">Sponsored Products campaigns</h2>
      {campaigns.error && (
        <ProxyErrorNotice error={campaigns.error} failedAt={campaigns.errorUpdatedAt} onRetry={() => void campaigns.refetch()} autoRetry />
      )}
      {campaigns.data ? (
        <CampaignTable list={campaigns.data} currency={sharedCurrency(account.marketplaces)} />
      ) : (
        !campaigns.error && (
          <div className="skeleton" role="status" aria-busy="true" aria-label="Loading campaigns">
            <span className="bone wide" />
            <span className="bone" />
            <span className="bone" />
          </div>
        )
      )}
    </section>
  )
}

function CampaignTable({ list, currency }: { list: CampaignList; currency: string | undefined }) {
  if (list.campaigns.length === 0) return <p className="muted">No Sponsored Products campaigns in this profile yet.</p>
  return (
    <>
      {/* Not named after the section: two landmarks with one name cannot be told apart. */}
      <div className="table-scroll" role="region" aria-label="Campaign list" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">
            Sponsored Products campaigns
          </caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">State</th>
              <th scope="col" className="number">
                Budget
              </th>
            </tr>
          </thead>
          <tbody>
            {list.campaigns.map((campaign) => (
              <tr key={campaign.id}>
                <td className="wrap">{campaign.name}</td>
                <td>
                  <span className={`badge campaign-${campaign.state.toLowerCase()}`}>{campaignStateLabel(campaign.state)}</span>
                </td>
                <td className="number">{budgetLabel(campaign.budget, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.totalResults !== null && list.totalResults > list.campaigns.length && (
        <p className="small muted">
          The first {list.campaigns.length} of {list.totalResults} campaigns.
        </p>
      )}
    </>
  )
}
