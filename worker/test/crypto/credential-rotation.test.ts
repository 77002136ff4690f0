import { describe, expect, it } from 'vitest'
import { supabaseGrantCipherStore } from '../../src/db/grant-cipher-store.ts'
import { Fernet, InvalidToken, MultiFernet } from '../../src/crypto/fernet.ts'
import { fernetKeyId } from '../../src/crypto/fernet-keys.ts'
import { reencryptCredentials } from '../../src/crypto/reencrypt-credentials.ts'
import { serviceClient } from '../support/db.ts'

const db = serviceClient()

/** A user with `count` grants whose tokens are encrypted under `key`; grant id → refresh token. */
async function seedCredentials(key: string, count: number) {
  const userId = `user_${crypto.randomUUID().replaceAll('-', '')}`
  const fernet = new Fernet(key)
  await db.rpc('sync_clerk_user', { p_id: userId, p_email: null, p_first_name: null, p_last_name: null, p_image_url: null, p_clerk_updated_at: 1 })
  const plaintexts = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    const refresh = `Atzr|refresh-${i}-${userId}`
    const inserted = await db
      .from('amazon_grants')
      .insert({
        user_id: userId,
        provider: 'sp_api',
        region: 'na',
        refresh_token: await fernet.encrypt(refresh),
        access_token: await fernet.encrypt(`Atza|access-${i}`),
        fernet_key_id: await fernetKeyId(key),
        // Never due: the cron of a parallel suite must not refresh these made-up tokens.
        status: 'reauth_required',
      })
      .select('id')
      .single()
    if (inserted.error) throw new Error(inserted.error.message)
    plaintexts.set(inserted.data.id, refresh)
  }
  return plaintexts
}

describe('re-encrypting stored credentials after a key rotation', () => {
  it('moves every row onto the newest key, in resumable batches, keeping the plaintext', async () => {
    const oldKey = Fernet.generateKey()
    const newKey = Fernet.generateKey()
    const plaintexts = await seedCredentials(oldKey, 5)
    const keys = new MultiFernet([new Fernet(newKey), new Fernet(oldKey)])
    const newKeyId = await fernetKeyId(newKey)
    const store = supabaseGrantCipherStore(db as never)

    // Other suites' rows share the table; only ours are under oldKey, the rest are skipped as undecryptable.
    let result = await reencryptCredentials(keys, newKeyId, store, { batchSize: 2, maxBatches: 1 })
    expect(result.done).toBe(false)
    let rotated = result.rotated
    while (!result.done) {
      result = await reencryptCredentials(keys, newKeyId, store, { batchSize: 2, after: result.cursor })
      rotated += result.rotated
    }
    expect(rotated).toBe(5)

    const rows = await db.from('amazon_grants').select('id, refresh_token, fernet_key_id').in('id', [...plaintexts.keys()])
    const onlyNew = new Fernet(newKey)
    for (const row of rows.data!) {
      expect(row.fernet_key_id).toBe(newKeyId)
      expect(new TextDecoder().decode(await onlyNew.decrypt(row.refresh_token))).toBe(plaintexts.get(row.id))
      await expect(new Fernet(oldKey).decrypt(row.refresh_token)).rejects.toThrow(InvalidToken)
    }
  })

  it('does not overwrite a credential changed since it was read', async () => {
    const oldKey = Fernet.generateKey()
    const newKey = Fernet.generateKey()
    const [grantId] = [...(await seedCredentials(oldKey, 1)).keys()]
    const store = supabaseGrantCipherStore(db as never)
    const [stale] = (await store.listStale(await fernetKeyId(newKey), null, 10_000)).filter((row) => row.id === grantId)
    // A token refresh lands between the read and the write.
    await db.from('amazon_grants').update({ access_token: await new Fernet(oldKey).encrypt('Atza|newer') }).eq('id', grantId!)

    const written = await store.saveRotated([
      { ...stale!, previousRefreshToken: stale!.refreshToken, previousAccessToken: stale!.accessToken, keyId: 'new' },
    ])
    expect(written).toBe(0)
    const row = await db.from('amazon_grants').select('access_token').eq('id', grantId!).single()
    expect(new TextDecoder().decode(await new Fernet(oldKey).decrypt(row.data!.access_token))).toBe('Atza|newer')
  })
})
