import type { AccountCredentialsRow } from './database-types.ts'
import { check, type Db } from './supabase.ts'

export type StoredCredentials = Pick<AccountCredentialsRow, 'refresh_token' | 'access_token' | 'access_token_expires_at' | 'fernet_key_id'>

/** An account's encrypted tokens; null when none are stored. Service role (the table is closed to users). */
export async function getCredentials(db: Db, accountId: string): Promise<StoredCredentials | null> {
  return check(
    'read credentials',
    await db
      .from('account_credentials')
      .select('refresh_token, access_token, access_token_expires_at, fernet_key_id')
      .eq('account_id', accountId)
      .maybeSingle(),
  )
}

/**
 * Stores a refreshed access token; `refreshToken` only when it must change (LWA rotated it, or it
 * was under an older Fernet key). Ciphertexts come in encrypted under fernetKeyId. Service role.
 */
export async function saveRefreshedTokens(
  db: Db,
  accountId: string,
  tokens: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string | undefined; fernetKeyId: string },
): Promise<void> {
  const update: Partial<AccountCredentialsRow> = {
    access_token: tokens.accessToken,
    access_token_expires_at: tokens.accessTokenExpiresAt,
    fernet_key_id: tokens.fernetKeyId,
    last_refresh_error: null,
  }
  if (tokens.refreshToken !== undefined) update.refresh_token = tokens.refreshToken
  check('save refreshed tokens', await db.from('account_credentials').update(update).eq('account_id', accountId))
}

/** Notes a failed refresh (an error code, never a token). Service role. */
export async function recordRefreshFailure(db: Db, accountId: string, errorCode: string): Promise<void> {
  check('record refresh failure', await db.from('account_credentials').update({ last_refresh_error: errorCode }).eq('account_id', accountId))
}

/** Removes an account's tokens (disconnect). Service role. */
export async function deleteCredentials(db: Db, accountId: string): Promise<void> {
  check('delete credentials', await db.from('account_credentials').delete().eq('account_id', accountId))
}
