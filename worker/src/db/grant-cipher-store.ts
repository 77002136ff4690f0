import type { CredentialCipherStore } from '../crypto/reencrypt-credentials.ts'
import { check, type Db } from './supabase.ts'

/**
 * amazon_grants as key rotation sees it (service role). A batch is written in one call to
 * save_reencrypted_grants, which rewrites a row only if both ciphertexts are still the ones read and
 * no refresher holds a live lease: a refresh in between is never overwritten or raced.
 */
export function supabaseGrantCipherStore(db: Db): CredentialCipherStore {
  return {
    async listStale(currentKeyId, after, limit) {
      // "< or >" rather than "neq": two range scans of the key-id index instead of a table scan.
      let query = db
        .from('amazon_grants')
        .select('id, refresh_token, access_token')
        .or(`fernet_key_id.lt.${currentKeyId},fernet_key_id.gt.${currentKeyId}`)
        .order('id')
        .limit(limit)
      if (after !== null) query = query.gt('id', after)
      const rows = check('list grants on older keys', await query) ?? []
      return rows.map((row) => ({ id: row.id, refreshToken: row.refresh_token, accessToken: row.access_token }))
    },

    async saveRotated(rows) {
      const written = check(
        'save re-encrypted grants',
        await db.rpc('save_reencrypted_grants', {
          p_rows: rows.map((row) => ({
            id: row.id,
            refresh_token: row.refreshToken,
            access_token: row.accessToken,
            previous_refresh_token: row.previousRefreshToken,
            previous_access_token: row.previousAccessToken,
            fernet_key_id: row.keyId,
          })),
        }),
      )
      return written ?? 0
    },
  }
}
