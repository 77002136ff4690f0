import { randomUUID } from 'node:crypto'
import type { Sql } from 'postgres'
import { currentFernetKeyId, multiFernetFromConfig } from '../../worker/src/crypto/fernet-keys.ts'
import type { LocalStack } from '../../dev/local-stack.ts'

/** The stand-in's NA seller: every bench grant is one of its consents (the stand-in keeps each grant apart). */
export const BENCH_SELLER = 'A1NASTANDIN001'
const INSERT_BATCH = 1_000

export type SeedOptions = {
  userId: string
  count: number
  /** Prefix of the accounts' external ids (unique per user, provider and region). */
  externalIdPrefix: string
  /** The external id of the account at `index`, instead of prefix + number (e.g. the seller's real id). */
  externalId?: (index: number) => string
  accessTokenExpiresAt: Date
  nextRefreshAt: Date
}

/**
 * Seeds `count` grants straight into the database, as a connect would have left them: one user, one
 * amazon_grants row per consent with a real refresh token minted by the Amazon stand-in (in memory) and
 * Fernet-encrypted under the stack's key, and one user_accounts row pointing at each grant. Batched inserts
 * on the admin connection. Returns the grant ids.
 */
export async function seedGrants(sql: Sql, stack: LocalStack, options: SeedOptions): Promise<string[]> {
  const fernet = multiFernetFromConfig(stack.secrets.fernetKey)
  const keyId = await currentFernetKeyId(stack.secrets.fernetKey)
  await sql`
    insert into public.users (id, email, first_name, clerk_updated_at)
    values (${options.userId}, ${`${options.userId}@bench.invalid`}, 'Bench', ${Date.now()})
    on conflict (id) do nothing`
  const ids: string[] = []
  for (let start = 0; start < options.count; start += INSERT_BATCH) {
    const size = Math.min(INSERT_BATCH, options.count - start)
    const grants = await Promise.all(
      Array.from({ length: size }, async () => {
        const refreshToken = stack.amazon.issueRefreshToken({ clientId: stack.lwaApp.clientId, sellingPartnerId: BENCH_SELLER })
        return {
          id: randomUUID(),
          user_id: options.userId,
          provider: 'sp_api',
          region: 'na',
          refresh_token: await fernet.encrypt(refreshToken),
          // An access token about to expire (the stand-in never issued it: nobody uses it before the refresh).
          access_token: await fernet.encrypt(`Atza|bench-expiring-${randomUUID()}`),
          access_token_expires_at: options.accessTokenExpiresAt,
          fernet_key_id: keyId,
          next_refresh_at: options.nextRefreshAt,
        }
      }),
    )
    await sql`insert into public.amazon_grants ${sql(grants)}`
    const accounts = grants.map((grant, index) => ({
      user_id: options.userId,
      provider: 'sp_api',
      region: 'na',
      external_id: options.externalId?.(start + index) ?? `${options.externalIdPrefix}${String(start + index).padStart(7, '0')}`,
      display_name: `Bench seller ${start + index}`,
      grant_id: grant.id,
    }))
    await sql`insert into public.user_accounts ${sql(accounts)}`
    ids.push(...grants.map((grant) => grant.id))
  }
  return ids
}
