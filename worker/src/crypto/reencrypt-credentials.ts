/**
 * Moves stored credentials onto the current Fernet key after a rotation (a new key prepended to
 * FERNET_KEYS). Batched and resumable: each call does at most `maxBatches` batches and returns the cursor
 * to continue from. Re-encryption keeps each token's timestamp (MultiFernet.rotate).
 */
import { InvalidToken, type MultiFernet } from './fernet.ts'

export type StoredCipher = { id: string; refreshToken: string; accessToken: string | null }

export type RotatedCipher = StoredCipher & {
  /** The refresh-token ciphertext that was read: the compare-and-set condition. */
  previousRefreshToken: string
  /**
   * The access-token ciphertext that was read. The refresh job may replace only the access token (LWA
   * does not always issue a new refresh token), so a store should compare this too, or a newer access
   * token could be overwritten with a re-encrypted older one.
   */
  previousAccessToken: string | null
  /** fernetKeyId of the key the new ciphertexts are under. */
  keyId: string
}

export interface CredentialCipherStore {
  /** Rows whose fernet_key_id differs from currentKeyId, ordered by id, strictly after `after`, at most `limit`. */
  listStale(currentKeyId: string, after: string | null, limit: number): Promise<StoredCipher[]>
  /** Writes re-encrypted tokens and the new key id; must only update a row if its ciphertext is still the one read (compare-and-set), returning how many were written. */
  saveRotated(rows: RotatedCipher[]): Promise<number>
}

export type ReencryptOptions = {
  /** Rows per listStale/saveRotated round trip (default 100). */
  batchSize?: number
  /** Resume after this id (a previous run's cursor); null or absent starts at the beginning. */
  after?: string | null
  /** Stop after this many batches (default: no limit), e.g. to stay within one invocation's budget. */
  maxBatches?: number
}

export type ReencryptResult = {
  /** Rows written under the current key. */
  rotated: number
  /** Rows no configured key could decrypt: skipped and left as they are. */
  failed: number
  /** The last id looked at: pass it as `after` to continue. */
  cursor: string | null
  /** True when no stale rows remain after the cursor. */
  done: boolean
}

const DEFAULT_BATCH_SIZE = 100

export async function reencryptCredentials(
  keys: MultiFernet,
  currentKeyId: string,
  store: CredentialCipherStore,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer')
  if (!(maxBatches >= 1)) throw new RangeError('maxBatches must be at least 1')

  let cursor = options.after ?? null
  let rotated = 0
  let failed = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const rows = await store.listStale(currentKeyId, cursor, batchSize)
    const updates: RotatedCipher[] = []
    for (const row of rows) {
      const update = await reencryptRow(keys, currentKeyId, row)
      if (update === null) failed++
      else updates.push(update)
    }
    // Rows changed since they were read fail the compare-and-set: someone else wrote them, nothing to do.
    if (updates.length > 0) rotated += await store.saveRotated(updates)
    if (rows.length > 0) cursor = rows[rows.length - 1]!.id
    if (rows.length < batchSize) return { rotated, failed, cursor, done: true }
  }
  return { rotated, failed, cursor, done: false }
}

/** Null when a token cannot be decrypted with any configured key (the row is then left alone). */
async function reencryptRow(keys: MultiFernet, keyId: string, row: StoredCipher): Promise<RotatedCipher | null> {
  try {
    const refreshToken = await keys.rotate(row.refreshToken)
    const accessToken = row.accessToken === null ? null : await keys.rotate(row.accessToken)
    return {
      id: row.id,
      refreshToken,
      accessToken,
      previousRefreshToken: row.refreshToken,
      previousAccessToken: row.accessToken,
      keyId,
    }
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error
    // A grant id is not secret; the token is never logged.
    console.warn(`reencryptCredentials: no configured Fernet key decrypts the tokens of grant ${row.id}`)
    return null
  }
}
