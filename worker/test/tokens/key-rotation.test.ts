// Key rotation as it runs in production: the same cron tick that queues refreshes re-encrypts a bounded
// batch of grants still on an older Fernet key, never touching attempts or schedule, never over a live lease.
import { describe, expect, it } from 'vitest'
import { Fernet } from '../../src/crypto/fernet.ts'
import { fernetKeyId } from '../../src/crypto/fernet-keys.ts'
import { runScheduledTick } from '../../src/tokens/scheduled.ts'
import { serviceClient } from '../support/db.ts'
import { bindings } from '../support/token-engine.ts'

const db = serviceClient()
const currentKey = bindings.FERNET_KEYS!.split(',')[0]!

async function seedGrants(key: string, rows: Array<Record<string, unknown>>) {
  const userId = `user_${crypto.randomUUID().replaceAll('-', '')}`
  await db.rpc('sync_clerk_user', { p_id: userId, p_email: null, p_first_name: null, p_last_name: null, p_image_url: null, p_clerk_updated_at: 1 })
  const fernet = new Fernet(key)
  const seeded = []
  for (const [index, extra] of rows.entries()) {
    const plaintext = `Atzr|rotation-${index}-${userId}`
    const { data, error } = await db
      .from('amazon_grants')
      .insert({
        user_id: userId,
        provider: 'sp_api',
        region: 'na',
        refresh_token: await fernet.encrypt(plaintext),
        access_token: await fernet.encrypt(`Atza|rotation-${index}`),
        fernet_key_id: await fernetKeyId(key),
        ...extra,
      })
      .select('*')
      .single()
    if (error) throw new Error(error.message)
    seeded.push({ row: data, plaintext })
  }
  return seeded
}

const stored = async (id: string) => (await db.from('amazon_grants').select('*').eq('id', id).single()).data!

describe('key rotation in the cron', () => {
  it('moves grants onto the newest key, keeping attempts and schedule, and waits for a live lease', async () => {
    const oldKey = Fernet.generateKey()
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const [plain, failing, leased] = await seedGrants(oldKey, [
      { next_refresh_at: later },
      { next_refresh_at: later, refresh_attempts: 3, last_error_class: 'unavailable' },
      { next_refresh_at: later, lease_owner: crypto.randomUUID(), lease_expires_at: later, refresh_started_at: new Date().toISOString() },
    ])
    // The deployment after step 1 of the README's rotation: the new key first, the old one still there.
    const rotatedEnv = { ...bindings, FERNET_KEYS: `${currentKey},${oldKey}` }
    const currentKeyId = await fernetKeyId(currentKey)

    await expect.poll(async () => { await runScheduledTick(rotatedEnv); return (await stored(failing!.row.id)).fernet_key_id }, { timeout: 15_000 }).toBe(currentKeyId)
    const newKeyOnly = new Fernet(currentKey)
    for (const { row, plaintext } of [plain!, failing!]) {
      const after = await stored(row.id)
      expect(after.fernet_key_id).toBe(currentKeyId)
      expect(new TextDecoder().decode(await newKeyOnly.decrypt(after.refresh_token))).toBe(plaintext)
      expect(after).toMatchObject({ refresh_attempts: row.refresh_attempts, next_refresh_at: row.next_refresh_at, last_error_class: row.last_error_class })
    }
    // A refresher holds the third one: rotation leaves it alone until the lease is gone.
    expect((await stored(leased!.row.id)).refresh_token).toBe(leased!.row.refresh_token)
    await db.from('amazon_grants').update({ lease_owner: null, lease_expires_at: null, refresh_started_at: null }).eq('id', leased!.row.id)
    const summary = await runScheduledTick(rotatedEnv)
    expect((await stored(leased!.row.id)).fernet_key_id).toBe(currentKeyId)
    expect(summary.reencrypted).toBeGreaterThanOrEqual(1)
  })
})
