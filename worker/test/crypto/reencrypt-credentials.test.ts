import { afterEach, describe, expect, it, vi } from 'vitest'
import { Fernet, InvalidToken, MultiFernet } from '../../src/crypto/fernet.ts'
import { fernetKeyId } from '../../src/crypto/fernet-keys.ts'
import {
  reencryptCredentials,
  type CredentialCipherStore,
  type RotatedCipher,
  type StoredCipher,
} from '../../src/crypto/reencrypt-credentials.ts'

type Row = StoredCipher & { keyId: string }

/** The store contract, in memory: what the Supabase implementation does with SQL. */
class MemoryCipherStore implements CredentialCipherStore {
  readonly rows = new Map<string, Row>()
  readonly listCalls: Array<{ after: string | null; limit: number }> = []
  /** Runs between a listStale and the next saveRotated: lets a test play a concurrent writer. */
  beforeSave: (() => void) | null = null

  async listStale(currentKeyId: string, after: string | null, limit: number): Promise<StoredCipher[]> {
    this.listCalls.push({ after, limit })
    return [...this.rows.values()]
      .filter((row) => row.keyId !== currentKeyId && (after === null || row.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
      .map(({ id, refreshToken, accessToken }) => ({ id, refreshToken, accessToken }))
  }

  async saveRotated(updates: RotatedCipher[]): Promise<number> {
    this.beforeSave?.()
    let written = 0
    for (const update of updates) {
      const row = this.rows.get(update.id)
      // Compare-and-set on both ciphertexts as read.
      if (row === undefined || row.refreshToken !== update.previousRefreshToken) continue
      if (row.accessToken !== update.previousAccessToken) continue
      this.rows.set(update.id, {
        id: update.id,
        refreshToken: update.refreshToken,
        accessToken: update.accessToken,
        keyId: update.keyId,
      })
      written++
    }
    return written
  }
}

const oldKey = Fernet.generateKey()
const newKey = Fernet.generateKey()
const foreignKey = Fernet.generateKey()
const oldFernet = new Fernet(oldKey)
const newFernet = new Fernet(newKey)
const keys = new MultiFernet([newFernet, oldFernet])
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

async function seed(store: MemoryCipherStore) {
  const oldId = await fernetKeyId(oldKey)
  const newId = await fernetKeyId(newKey)
  for (let i = 1; i <= 7; i++) {
    const accountId = `acct-${String(i).padStart(2, '0')}`
    store.rows.set(accountId, {
      id: accountId,
      refreshToken: await oldFernet.encryptAtTime(`Atzr|refresh-${i}`, 1_700_000_000 + i),
      accessToken: i % 3 === 0 ? null : await oldFernet.encryptAtTime(`Atza|access-${i}`, 1_700_000_100 + i),
      keyId: oldId,
    })
  }
  // Already current: must not be listed or touched.
  store.rows.set('acct-00', {
    id: 'acct-00',
    refreshToken: await newFernet.encrypt('Atzr|current'),
    accessToken: null,
    keyId: newId,
  })
  // Under a key nobody has any more: counted as failed, left alone.
  store.rows.set('acct-04', {
    id: 'acct-04',
    refreshToken: await new Fernet(foreignKey).encrypt('Atzr|lost'),
    accessToken: null,
    keyId: 'gone',
  })
  return { newId, before: structuredClone(Object.fromEntries(store.rows)) }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('reencryptCredentials', () => {
  it('moves every decryptable row onto the current key, in resumable batches', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = new MemoryCipherStore()
    const { newId, before } = await seed(store)

    const first = await reencryptCredentials(keys, newId, store, { batchSize: 2, maxBatches: 2 })
    expect(first).toEqual({ rotated: 3, failed: 1, cursor: 'acct-04', done: false })
    expect(store.listCalls).toEqual([
      { after: null, limit: 2 },
      { after: 'acct-02', limit: 2 },
    ])

    const second = await reencryptCredentials(keys, newId, store, { batchSize: 2, after: first.cursor })
    expect(second).toEqual({ rotated: 3, failed: 0, cursor: 'acct-07', done: true })
    expect(store.listCalls.slice(2).map((call) => call.after)).toEqual(['acct-04', 'acct-06'])

    for (let i = 1; i <= 7; i++) {
      if (i === 4) continue
      const row = store.rows.get(`acct-0${i}`)!
      const original = before[`acct-0${i}`]!
      expect(row.keyId).toBe(newId)
      expect(text(await newFernet.decrypt(row.refreshToken))).toBe(`Atzr|refresh-${i}`)
      await expect(oldFernet.decrypt(row.refreshToken)).rejects.toBeInstanceOf(InvalidToken)
      // Rotation keeps the original timestamps.
      expect(await newFernet.extractTimestamp(row.refreshToken)).toBe(1_700_000_000 + i)
      if (original.accessToken === null) expect(row.accessToken).toBeNull()
      else {
        expect(text(await newFernet.decrypt(row.accessToken!))).toBe(`Atza|access-${i}`)
        expect(await newFernet.extractTimestamp(row.accessToken!)).toBe(1_700_000_100 + i)
      }
    }
    expect(store.rows.get('acct-00')).toEqual(before['acct-00'])
    expect(store.rows.get('acct-04')).toEqual(before['acct-04'])

    // Nothing stale is left but the undecryptable row, which a fresh run reports again.
    expect(await reencryptCredentials(keys, newId, store)).toEqual({ rotated: 0, failed: 1, cursor: 'acct-04', done: true })
  })

  it('reports done with an unchanged cursor when nothing is stale', async () => {
    const store = new MemoryCipherStore()
    const result = await reencryptCredentials(keys, await fernetKeyId(newKey), store, { after: 'acct-09' })
    expect(result).toEqual({ rotated: 0, failed: 0, cursor: 'acct-09', done: true })
  })

  it('does not overwrite rows changed after they were read', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = new MemoryCipherStore()
    const { newId } = await seed(store)
    const refreshedRefresh = await newFernet.encrypt('Atzr|refreshed-by-job')
    const refreshedAccess = await newFernet.encrypt('Atza|refreshed-by-job')
    store.beforeSave = () => {
      // The refresh job replaced acct-01's tokens, and only acct-02's access token, meanwhile.
      store.rows.set('acct-01', { ...store.rows.get('acct-01')!, refreshToken: refreshedRefresh, accessToken: refreshedAccess, keyId: newId })
      store.rows.set('acct-02', { ...store.rows.get('acct-02')!, accessToken: refreshedAccess })
      store.beforeSave = null
    }
    const result = await reencryptCredentials(keys, newId, store, { batchSize: 3, maxBatches: 1 })
    expect(result).toEqual({ rotated: 1, failed: 0, cursor: 'acct-03', done: false })
    expect(store.rows.get('acct-01')!.refreshToken).toBe(refreshedRefresh)
    expect(store.rows.get('acct-02')!.accessToken).toBe(refreshedAccess)
    expect(store.rows.get('acct-03')!.keyId).toBe(newId)
  })

  it('never logs a token', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const store = new MemoryCipherStore()
    const { newId, before } = await seed(store)
    await reencryptCredentials(keys, newId, store)
    expect(warn).toHaveBeenCalledTimes(1)
    const logged = [...warn.mock.calls, ...log.mock.calls, ...error.mock.calls].flat().map(String).join('\n')
    expect(logged).toContain('acct-04')
    for (const row of Object.values(before)) {
      expect(logged).not.toContain(row.refreshToken.slice(20, 40))
      if (row.accessToken !== null) expect(logged).not.toContain(row.accessToken.slice(20, 40))
    }
  })

  it('lets store failures through, so the caller retries from its cursor', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = new MemoryCipherStore()
    const { newId } = await seed(store)
    store.saveRotated = async () => {
      throw new Error('database unavailable')
    }
    await expect(reencryptCredentials(keys, newId, store)).rejects.toThrow('database unavailable')
  })

  it('rejects nonsensical options', async () => {
    const store = new MemoryCipherStore()
    await expect(reencryptCredentials(keys, 'id', store, { batchSize: 0 })).rejects.toBeInstanceOf(RangeError)
    await expect(reencryptCredentials(keys, 'id', store, { maxBatches: 0 })).rejects.toBeInstanceOf(RangeError)
  })
})
