import { describe, expect, it } from 'vitest'
import type { GrantAccount } from '../../src/db/grants.ts'
import { AccountDirectory, type DirectoryStorage } from '../../src/proxy/account-directory.ts'

const account = (id: string, userId: string, status: GrantAccount['status'] = 'active'): GrantAccount => ({
  id,
  user_id: userId,
  provider: 'sp_api',
  region: 'eu',
  external_id: `A${id}`,
  status,
})

function memoryStorage(): DirectoryStorage & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>()
  return {
    entries,
    get: <T>(key: string) => structuredClone(entries.get(key)) as T | undefined,
    put: (key, value) => void entries.set(key, structuredClone(value)),
    delete: (key) => entries.delete(key),
  }
}

describe('AccountDirectory', () => {
  it('answers owner, stranger and reauth from one load, shared by concurrent callers', async () => {
    let loads = 0
    const directory = new AccountDirectory(async () => (loads++, [account('1', 'user_a'), account('2', 'user_a', 'reauth_required')]), memoryStorage())
    const answers = await Promise.all([
      directory.check('g', 'user_a', '1', 0),
      directory.check('g', 'user_b', '1', 0),
      directory.check('g', 'user_a', '2', 0),
      directory.check('g', 'user_a', 'missing', 0),
    ])
    expect(answers).toEqual([
      { ok: true, account: { provider: 'sp_api', region: 'eu', externalId: 'A1' } },
      { ok: false, reason: 'account_not_found' },
      { ok: false, reason: 'account_reauth_required' },
      { ok: false, reason: 'account_not_found' },
    ])
    expect(loads).toBe(1)
  })

  it('survives the loss of memory through storage, until the list is five minutes old', async () => {
    const storage = memoryStorage()
    await new AccountDirectory(async () => [account('1', 'user_a')], storage).check('g', 'user_a', '1', 0)
    // A new object (the old one was evicted) that cannot reach the database.
    const unreachable = async (): Promise<GrantAccount[]> => {
      throw new Error('database down')
    }
    const revived = new AccountDirectory(unreachable, storage)
    expect(await revived.check('g', 'user_a', '1', 60_000)).toMatchObject({ ok: true })
    await expect(revived.check('g', 'user_a', '1', 5 * 60_000 + 1)).rejects.toThrow('database down')
  })

  it('forgets everything on clear(), storage included, and does not keep a failed load', async () => {
    const storage = memoryStorage()
    let accounts = [account('1', 'user_a')]
    let fail = false
    const directory = new AccountDirectory(async () => {
      if (fail) throw new Error('down')
      return accounts
    }, storage)
    await directory.check('g', 'user_a', '1', 0)
    accounts = []
    directory.clear()
    expect(storage.entries.size).toBe(0)
    fail = true
    await expect(directory.check('g', 'user_a', '1', 1)).rejects.toThrow('down')
    fail = false
    expect(await directory.check('g', 'user_a', '1', 2)).toEqual({ ok: false, reason: 'account_not_found' })
  })
})
