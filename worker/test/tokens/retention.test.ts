// Retention in the cron: each tick prunes one bounded batch of expired connect attempts, processed
// webhook ids and old audit events (prune_expired; the bounds are tested in supabase/tests/schema.test.ts).
// Other suites share the database (and tick too), so this checks its own rows, not exact counts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runScheduledTick } from '../../src/tokens/scheduled.ts'
import { serviceClient } from '../support/db.ts'
import { bindings } from '../support/token-engine.ts'

const db = serviceClient()
const DAY = 86_400_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
const hex = () => [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('')

afterEach(() => {
  vi.restoreAllMocks()
})

async function must<T>(operation: PromiseLike<{ data: T; error: { message: string } | null }>): Promise<T> {
  const { data, error } = await operation
  if (error) throw new Error(error.message)
  return data
}

describe('retention in the cron tick', () => {
  it('prunes what is past its age, keeps what is not, and logs the counts', async () => {
    const userId = `user_${crypto.randomUUID().replaceAll('-', '')}`
    await must(db.rpc('sync_clerk_user', { p_id: userId, p_email: null, p_first_name: null, p_last_name: null, p_image_url: null, p_clerk_updated_at: 1 }))
    const state = (expiredAgo: number) => ({
      state_hash: hex(),
      nonce_hash: hex(),
      user_id: userId,
      provider: 'sp_api',
      region: 'na',
      created_at: ago(expiredAgo + 10 * 60_000),
      expires_at: ago(expiredAgo),
    })
    const [oldState, recentState] = [state(2 * DAY), state(DAY / 2)]
    await must(db.from('oauth_states').insert([oldState, recentState]))
    const [oldWebhook, recentWebhook] = [`msg_${crypto.randomUUID()}`, `msg_${crypto.randomUUID()}`]
    await must(
      db.from('webhook_events').insert([
        { svix_id: oldWebhook, type: 'user.updated', received_at: ago(8 * DAY) },
        { svix_id: recentWebhook, type: 'user.updated', received_at: ago(6 * DAY) },
      ]),
    )
    const events = await must(
      db
        .from('account_events')
        .insert([
          { user_id: userId, kind: 'synced', created_at: ago(401 * DAY) },
          { user_id: userId, kind: 'synced', created_at: ago(399 * DAY) },
        ])
        .select('id')
        .order('id'),
    )

    const log = vi.spyOn(console, 'log')
    const summary = await runScheduledTick(bindings)

    expect(summary.pruned).toEqual({ oauthStates: expect.any(Number), webhookEvents: expect.any(Number), accountEvents: expect.any(Number) })
    const line = log.mock.calls.map(([first]) => String(first)).find((text) => text.includes('"token_refresh_tick"'))
    expect(JSON.parse(line!)).toMatchObject({ pruned: summary.pruned })

    const states = await must(db.from('oauth_states').select('state_hash').in('state_hash', [oldState.state_hash, recentState.state_hash]))
    expect(states).toEqual([{ state_hash: recentState.state_hash }])
    const webhooks = await must(db.from('webhook_events').select('svix_id').in('svix_id', [oldWebhook, recentWebhook]))
    expect(webhooks).toEqual([{ svix_id: recentWebhook }])
    const left = await must(db.from('account_events').select('id').eq('user_id', userId))
    expect(left).toEqual([{ id: events![1]!.id }])
  })
})
