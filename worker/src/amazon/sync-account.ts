import { type Account, recordAccountSync } from '../db/accounts.ts'
import type { Db } from '../db/supabase.ts'
import type { AmazonConfig, Bindings } from '../env.ts'
import type { TokenResult } from '../tokens/account-session.ts'
import type { RefreshFailure } from '../tokens/refresh-errors.ts'
import { accountSession } from '../tokens/session-stub.ts'
import { listAdsProfiles } from './ads-api.ts'
import { AmazonApiError } from './amazon-api-error.ts'
import { getMarketplaceParticipations } from './sp-api.ts'

/** Why a sync failed: a token failure (refresh error classes) or what Amazon's API answered. */
export class SyncError extends Error {
  override readonly name = 'SyncError'
  readonly code: RefreshFailure | 'amazon_rejected'
  constructor(code: SyncError['code']) {
    super(`sync failed: ${code}`)
    this.code = code
  }
}

/**
 * Re-reads what the grant opens (SP-API marketplaces, or the Ads profile's marketplace) with an access
 * token from the grant's AccountSession, and stores it with last_sync_at. A token Amazon refuses
 * before its expiry (the seller revoked the app; the token outlives the grant) is refreshed once, so a
 * revoked grant shows up as reauth_required instead of a vague rejection. The account must already be
 * known to belong to the caller. Service role for the write (result and event in one transaction).
 */
export async function syncAccount(env: Bindings, config: AmazonConfig, db: Db, account: Account): Promise<void> {
  if (!account.grant_id) throw new SyncError('not_found')
  const session = accountSession(env, account.grant_id)
  const grantId = account.grant_id
  const first = tokenOf(await session.accessToken(grantId))
  let marketplaces: string[]
  try {
    marketplaces = await readMarketplaces(config, account, first)
  } catch (error) {
    if (!(error instanceof AmazonApiError)) throw error
    if (error.kind !== 'unauthorized') return failSync(db, account, failureCode(error.kind))
    try {
      marketplaces = await readMarketplaces(config, account, tokenOf(await session.forceRefresh(grantId, first)))
    } catch (retryError) {
      if (!(retryError instanceof AmazonApiError)) throw retryError
      return failSync(db, account, failureCode(retryError.kind))
    }
  }
  // The status is the grant's to set (its refreshes); a sync only reports what Amazon's API said.
  await recordAccountSync(db, account.id, { marketplaces })
}

function tokenOf(result: TokenResult): string {
  if (!result.ok) throw new SyncError(result.failure)
  return result.accessToken
}

/** Amazon down or throttling is worth a retry later; anything else it said is a rejection. */
const failureCode = (kind: string) => (kind === 'unavailable' || kind === 'throttled' ? 'amazon_unavailable' : 'amazon_rejected')

async function readMarketplaces(config: AmazonConfig, account: Account, accessToken: string): Promise<string[]> {
  if (account.provider === 'sp_api') {
    return (await getMarketplaceParticipations(config.amazonBaseUrl, account.region, accessToken)).marketplaceIds
  }
  const profiles = await listAdsProfiles(config.amazonBaseUrl, account.region, config.adsClientId, accessToken)
  // A profile that no longer shows up has no marketplace any more.
  return profiles.filter((profile) => profile.profileId === account.external_id).map((profile) => profile.marketplaceId)
}

async function failSync(db: Db, account: Account, code: 'amazon_unavailable' | 'amazon_rejected'): Promise<never> {
  await recordAccountSync(db, account.id, { error: code })
  throw new SyncError(code)
}
