import { serviceClient } from './db.ts'

const db = serviceClient()

export type StoredGrant = {
  id: string
  user_id: string
  provider: string
  status: string
  refresh_token: string
  access_token: string | null
  access_token_expires_at: string | null
  fernet_key_id: string
  next_refresh_at: string | null
  refresh_attempts: number
  last_error_class: string | null
  last_refreshed_at: string | null
  lease_owner: string | null
  lease_expires_at: string | null
  refresh_started_at: string | null
}

/** The grant an account uses, read behind the API's back (service role); null when it has none. */
export async function grantOf(accountId: string): Promise<StoredGrant | null> {
  const { data: account, error } = await db.from('user_accounts').select('grant_id').eq('id', accountId).maybeSingle()
  if (error) throw new Error(error.message)
  if (!account?.grant_id) return null
  const { data, error: grantError } = await db.from('amazon_grants').select('*').eq('id', account.grant_id).maybeSingle()
  if (grantError) throw new Error(grantError.message)
  return data as StoredGrant | null
}

/** Changes the account's grant directly, e.g. to make its access token look expired. */
export async function updateGrantOf(accountId: string, patch: Partial<StoredGrant>): Promise<StoredGrant> {
  const grant = await grantOf(accountId)
  if (!grant) throw new Error(`account ${accountId} has no grant`)
  const { data, error } = await db.from('amazon_grants').update(patch).eq('id', grant.id).select('*').single()
  if (error) throw new Error(error.message)
  return data as StoredGrant
}

/** An access token that expired a second ago, as the database sees it. */
export const expiredNow = () => ({ access_token_expires_at: new Date(Date.now() - 1000).toISOString() })
