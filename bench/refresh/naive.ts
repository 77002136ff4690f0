import { createClient } from '@supabase/supabase-js'
import { currentFernetKeyId, multiFernetFromConfig } from '../../worker/src/crypto/fernet-keys.ts'
import { spApiRegions } from '../../worker/src/amazon/regions.ts'
import type { LocalStack } from '../../dev/local-stack.ts'

/**
 * The baseline: refresh grants one after another, the way an SDK does it on demand — read the row
 * through PostgREST, decrypt the refresh token, POST the refresh_token grant to LWA (the stand-in, with
 * the same injected latency), encrypt the new access token, write the row back through PostgREST.
 * Returns the elapsed milliseconds.
 */
export async function naiveRefresh(stack: LocalStack, supabaseUrl: string, grantIds: string[]): Promise<number> {
  const db = createClient(supabaseUrl, stack.secrets.supabaseServiceRoleKey, {
    db: { schema: 'public' },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
  const fernet = multiFernetFromConfig(stack.secrets.fernetKey)
  const keyId = await currentFernetKeyId(stack.secrets.fernetKey)
  const tokenUrl = stack.amazon.amazonUrl(spApiRegions.na.tokenHost, '/auth/o2/token')

  const started = performance.now()
  for (const id of grantIds) {
    const read = await db.from('amazon_grants').select('id, refresh_token').eq('id', id).single()
    if (read.error) throw new Error(`naive: read grant failed: ${read.error.message}`)
    const refreshToken = new TextDecoder().decode(await fernet.decrypt(read.data.refresh_token as string))

    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: stack.lwaApp.clientId,
        client_secret: stack.lwaApp.clientSecret,
      }),
    })
    const tokens = (await response.json()) as { access_token?: string; refresh_token?: string; expires_in?: number }
    if (!response.ok || !tokens.access_token || !tokens.expires_in) throw new Error(`naive: LWA answered ${response.status}`)

    const expiresAt = new Date(Date.now() + tokens.expires_in * 1000)
    const written = await db
      .from('amazon_grants')
      .update({
        access_token: await fernet.encrypt(tokens.access_token),
        ...(tokens.refresh_token ? { refresh_token: await fernet.encrypt(tokens.refresh_token) } : {}),
        access_token_expires_at: expiresAt.toISOString(),
        fernet_key_id: keyId,
        next_refresh_at: new Date(expiresAt.getTime() - 5 * 60_000).toISOString(),
        refresh_attempts: 0,
        last_refreshed_at: new Date().toISOString(),
        last_attempt_at: new Date().toISOString(),
      })
      .eq('id', id)
    if (written.error) throw new Error(`naive: write grant failed: ${written.error.message}`)
  }
  return performance.now() - started
}
