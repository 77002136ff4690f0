import type { SupabaseClient } from '@supabase/supabase-js'
import type { CredentialCipherStore, RotatedCipher } from '../crypto/reencrypt-credentials.ts'

// Writes per batch run a few at a time: enough to hide latency, well inside a Worker's subrequest budget.
const PARALLEL_WRITES = 8

/**
 * account_credentials as the re-encryption sees it, through the service-role client (the table is
 * unreachable for every other role). A row is rewritten only if both ciphertexts are still the ones
 * read, so a token refresh that lands in between is never overwritten.
 */
export function supabaseCredentialCipherStore(serviceDb: SupabaseClient): CredentialCipherStore {
  const credentials = () => serviceDb.from('account_credentials')
  return {
    async listStale(currentKeyId, after, limit) {
      let query = credentials()
        .select('account_id, refresh_token, access_token')
        .neq('fernet_key_id', currentKeyId)
        .order('account_id')
        .limit(limit)
      if (after !== null) query = query.gt('account_id', after)
      const { data, error } = await query
      if (error) throw new Error(`listing stale credentials failed (${error.code})`)
      return (data as Array<{ account_id: string; refresh_token: string; access_token: string | null }>).map((row) => ({
        accountId: row.account_id,
        refreshToken: row.refresh_token,
        accessToken: row.access_token,
      }))
    },

    async saveRotated(rows) {
      let written = 0
      const save = async (row: RotatedCipher) => {
        let update = credentials()
          .update({ refresh_token: row.refreshToken, access_token: row.accessToken, fernet_key_id: row.keyId }, { count: 'exact' })
          .eq('account_id', row.accountId)
          .eq('refresh_token', row.previousRefreshToken)
        update = row.previousAccessToken === null ? update.is('access_token', null) : update.eq('access_token', row.previousAccessToken)
        const { count, error } = await update
        if (error) throw new Error(`saving re-encrypted credentials failed (${error.code})`)
        written += count ?? 0
      }
      for (let start = 0; start < rows.length; start += PARALLEL_WRITES) {
        await Promise.all(rows.slice(start, start + PARALLEL_WRITES).map(save))
      }
      return written
    },
  }
}
