import { decryptToken, encryptingKeyId, encryptToken } from '../crypto/token-cipher.ts'
import { type Account, recordAccountEvent, updateAccountState } from '../db/accounts.ts'
import { getCredentials, recordRefreshFailure, saveRefreshedTokens, type StoredCredentials } from '../db/credentials.ts'
import type { Db } from '../db/supabase.ts'
import type { AmazonConfig } from '../env.ts'
import { listAdsProfiles } from './ads-api.ts'
import { AmazonApiError } from './amazon-api-error.ts'
import { LwaError, refreshAccessToken } from './lwa-client.ts'
import { lwaClientFor } from './oauth-endpoints.ts'
import { getMarketplaceParticipations } from './sp-api.ts'

/** Refresh this long before expiry, so the token does not lapse between the check and the call. */
const EXPIRY_MARGIN_MS = 60_000

/** Why a sync failed: `reauth_required` means the seller must reconnect; the others are worth a retry. */
export class SyncError extends Error {
  override readonly name = 'SyncError'
  readonly code: 'reauth_required' | 'amazon_unavailable' | 'amazon_rejected'
  constructor(code: SyncError['code'], reason: string) {
    super(`${code}: ${reason}`)
    this.code = code
  }
}

/**
 * Refreshes the access token when it is missing or about to expire, then re-reads what the grant
 * opens (SP-API marketplaces, or the Ads profile's marketplace) and stores it with last_sync_at.
 * A cached token that Amazon refuses (the seller revoked the app; the token outlives the grant) is
 * refreshed once, so a revoked grant shows up as reauth_required instead of a vague rejection.
 * The account must already be known to belong to the caller. Service role for every write.
 */
export async function syncAccount(config: AmazonConfig, db: Db, userId: string, account: Account): Promise<Account> {
  const credentials = await getCredentials(db, account.id)
  if (!credentials) return markReauthRequired(db, userId, account, 'no_credentials')

  const expiresAt = credentials.access_token_expires_at ? Date.parse(credentials.access_token_expires_at) : 0
  const cached = credentials.access_token && expiresAt - EXPIRY_MARGIN_MS > Date.now() ? credentials.access_token : null
  // Amazon refusing a cached token before its expiry may mean the seller revoked the app: `read` then
  // answers undefined, we refresh, and LWA's answer tells (invalid_grant: reauth_required). A fresh token
  // is never given a second chance, so the second read always yields marketplaces or throws.
  const read = async (accessToken: string, cachedToken: boolean): Promise<string[] | undefined> => {
    try {
      return await readMarketplaces(config, account, accessToken)
    } catch (error) {
      if (!(error instanceof AmazonApiError)) throw error
      if (cachedToken && error.kind === 'unauthorized') return undefined
      return failSync(db, userId, account, failureCode(error.kind))
    }
  }
  const fromCache = cached ? await read(await decryptToken(config, cached), true) : undefined
  const marketplaces = fromCache ?? (await read(await refresh(config, db, userId, account, credentials), false))!
  const synced = await updateAccountState(db, account.id, {
    marketplaces,
    last_sync_at: new Date().toISOString(),
    last_error: null,
    ...(account.status === 'error' ? { status: 'active' as const } : {}),
  })
  await recordAccountEvent(db, { accountId: account.id, userId, kind: 'synced', detail: { marketplaces } })
  return synced
}

/**
 * Trades the stored refresh token for a new access token and stores both (re-encrypting the refresh
 * token whenever the encrypting key changed: one fernet_key_id covers both). Throws SyncError when LWA
 * refuses, after recording why.
 */
async function refresh(config: AmazonConfig, db: Db, userId: string, account: Account, credentials: StoredCredentials): Promise<string> {
  const refreshToken = await decryptToken(config, credentials.refresh_token)
  try {
    const tokens = await refreshAccessToken(lwaClientFor(config, account.provider, account.region), refreshToken)
    const keyId = await encryptingKeyId(config)
    // A new refresh token only if LWA rotated it; the same one again if the encrypting key changed.
    const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== refreshToken
    const newRefreshToken = rotated ? tokens.refreshToken! : keyId !== credentials.fernet_key_id ? refreshToken : undefined
    await saveRefreshedTokens(db, account.id, {
      accessToken: await encryptToken(config, tokens.accessToken),
      accessTokenExpiresAt: tokens.expiresAt.toISOString(),
      refreshToken: newRefreshToken === undefined ? undefined : await encryptToken(config, newRefreshToken),
      fernetKeyId: keyId,
    })
    await recordAccountEvent(db, { accountId: account.id, userId, kind: 'refreshed', detail: { rotated } })
    return tokens.accessToken
  } catch (error) {
    if (!(error instanceof LwaError)) throw error
    await recordRefreshFailure(db, account.id, error.kind)
    if (error.kind === 'invalid_grant' || error.kind === 'invalid_client') return markReauthRequired(db, userId, account, error.kind)
    return failSync(db, userId, account, failureCode(error.kind))
  }
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

async function markReauthRequired(db: Db, userId: string, account: Account, reason: string): Promise<never> {
  await updateAccountState(db, account.id, { status: 'reauth_required', last_error: 'reauth_required' })
  await recordAccountEvent(db, { accountId: account.id, userId, kind: 'reauth_required', detail: { reason } })
  throw new SyncError('reauth_required', reason)
}

async function failSync(db: Db, userId: string, account: Account, code: 'amazon_unavailable' | 'amazon_rejected'): Promise<never> {
  await updateAccountState(db, account.id, { last_error: code })
  await recordAccountEvent(db, { accountId: account.id, userId, kind: 'refresh_failed', detail: { error: code } })
  throw new SyncError(code, code)
}
