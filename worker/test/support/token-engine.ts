import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import worker from '../../src/index.ts'
import type { Bindings } from '../../src/env.ts'
import { amazonControl, callback, countAmazonRequests, decideConsent, startConnect } from './amazon.ts'
import { serviceClient } from './db.ts'
import { grantOf, updateGrantOf } from './grants.ts'

const db = serviceClient()
export const bindings = env as unknown as Bindings

/** The grant's access token is about to expire (2 minutes left) and its refresh is due now. */
export function makeDue(accountId: string) {
  return updateGrantOf(accountId, {
    access_token_expires_at: new Date(Date.now() + 2 * 60_000).toISOString(),
    next_refresh_at: new Date(Date.now() - 1000).toISOString(),
  })
}

/**
 * What claim_due_grants does for one grant (lease, attempt counted), without claiming other suites'
 * due grants from the shared database. Returns the lease owner the cron's message would carry.
 */
export async function leaseLikeCron(accountId: string): Promise<string> {
  const grant = (await grantOf(accountId))!
  const leaseOwner = crypto.randomUUID()
  const { error } = await db
    .from('amazon_grants')
    .update({
      lease_owner: leaseOwner,
      lease_expires_at: new Date(Date.now() + 120_000).toISOString(),
      refresh_started_at: null,
      refresh_attempts: grant.refresh_attempts + 1,
    })
    .eq('id', grant.id)
  if (error) throw new Error(error.message)
  return leaseOwner
}

/** Runs the queue consumer on one batch of claims, as the queue would; returns what it acked and retried. */
export async function deliverClaims(claims: Array<{ grantId: string; leaseOwner: string }>, attempts = 1) {
  const batch = createMessageBatch(
    'token-refresh',
    claims.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch, bindings)
  return getQueueResult(batch, ctx)
}

/** One Cron Trigger tick, awaited (its queued claims are then delivered by the local queue). */
export async function cronTick(tickEnv: Bindings = bindings) {
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), tickEnv)
}

/** LWA refresh_token requests the stand-in saw for one seller or Ads account. */
export const refreshesOf = (subject: string) => countAmazonRequests({ grantType: 'refresh_token', subject })

/** Connects an Ads login with the given profiles; returns the account ids and the advertiser's id. */
export async function connectAds(token: string, marketplaceIds: string[]) {
  const { account } = await amazonControl<{ account: { accountId: string } }>('POST', '/next-ads-account', {
    profiles: marketplaceIds.map((marketplaceId) => ({ marketplaceId })),
  })
  const { response, cookie } = await startConnect(token, { provider: 'ads', marketplace: marketplaceIds[0] })
  const back = await callback(await decideConsent(((await response.json()) as { url: string }).url), cookie)
  if (!new URL(back.headers.get('location')!).searchParams.get('connected')) throw new Error(`Ads connect failed: ${back.headers.get('location')}`)
  return account
}
