import { encryptingKeyId, encryptToken } from '../crypto/token-cipher.ts'
import { saveConnectedAccounts } from '../db/accounts.ts'
import type { OAuthStateRow } from '../db/database-types.ts'
import type { Db } from '../db/supabase.ts'
import type { AmazonConfig, Bindings } from '../env.ts'
import { accountSession } from '../tokens/session-stub.ts'
import { listAdsProfiles } from './ads-api.ts'
import { AmazonApiError } from './amazon-api-error.ts'
import { ConnectError, connectErrorOf } from './connect-errors.ts'
import { exchangeCode, LwaError, type LwaTokens } from './lwa-client.ts'
import { lwaClientFor } from './oauth-endpoints.ts'
import { getMarketplaceParticipations } from './sp-api.ts'

/** An Amazon account the grant opens, before it is saved. */
type Identified = { externalId: string; marketplaces: string[]; displayName: string | null }

/** The callback's parameters once the state has been consumed. */
export type ConsentResult = { code: string; sellingPartnerId: string | undefined }

/**
 * The callback's work after the state check: exchange the code, identify the account(s) the grant
 * opens, encrypt the tokens and save. Returns the saved account ids (the first is the one to show).
 * Every Amazon failure happens before the first write, so a failure saves nothing.
 *
 * Amazon Ads: one connected account per profile (an advertiser in one marketplace), as the schema
 * says (external_id = profile id), because every Ads API call is scoped to a profile. All profiles of
 * one consent share one grant (its refresh token) and are saved in one transaction: all or none.
 * A reconnect renews the grant the accounts already use, so its AccountSession forgets the cached
 * access token of the consent that was replaced.
 */
export async function completeConnect(env: Bindings, config: AmazonConfig, db: Db, state: OAuthStateRow, consent: ConsentResult): Promise<string[]> {
  let tokens: LwaTokens
  let accounts: Identified[]
  try {
    tokens = await exchangeCode(lwaClientFor(config, state.provider, state.region), consent.code, config.redirectUri)
    accounts = await identify(config, state, consent, tokens.accessToken)
  } catch (error) {
    if (error instanceof LwaError || error instanceof AmazonApiError) throw connectErrorOf(error)
    throw error
  }
  if (accounts.length === 0) throw new ConnectError('no_profiles')
  if (!tokens.refreshToken) throw new ConnectError('amazon_rejected', 'LWA returned no refresh token')

  const [refreshToken, accessToken, fernetKeyId] = await Promise.all([
    encryptToken(config, tokens.refreshToken),
    encryptToken(config, tokens.accessToken),
    encryptingKeyId(config),
  ])
  const saved = await saveConnectedAccounts(db, {
    userId: state.user_id,
    provider: state.provider,
    region: state.region,
    accounts,
    refreshToken,
    accessToken,
    accessTokenExpiresAt: tokens.expiresAt.toISOString(),
    fernetKeyId,
  })
  await Promise.all([...new Set(saved.map((account) => account.grant_id))].map((grantId) => grantId && accountSession(env, grantId).invalidate()))
  return saved.map((account) => account.id)
}

async function identify(config: AmazonConfig, state: OAuthStateRow, consent: ConsentResult, accessToken: string): Promise<Identified[]> {
  if (state.provider === 'sp_api') {
    const participations = await getMarketplaceParticipations(config.amazonBaseUrl, state.region, accessToken)
    return [{ externalId: consent.sellingPartnerId!, marketplaces: participations.marketplaceIds, displayName: defaultName(participations.storeName) }]
  }
  const profiles = await listAdsProfiles(config.amazonBaseUrl, state.region, config.adsClientId, accessToken)
  return profiles.map((profile) => ({ externalId: profile.profileId, marketplaces: [profile.marketplaceId], displayName: defaultName(profile.name) }))
}

/** Amazon's name for the account, fitted to display_name's rules (1–100 characters, not blank). */
function defaultName(name: string | undefined): string | null {
  const trimmed = name?.trim().slice(0, 100).trim()
  return trimmed ? trimmed : null
}
