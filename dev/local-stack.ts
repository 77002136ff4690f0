import { startAmazonStandIn, type AmazonStandIn } from './amazon/server.ts'
import { startClerkStandIn, type ClerkStandIn } from './clerk/server.ts'
import { startDatabase, type DatabaseChoice } from './db/database.ts'
import { startGateway } from './gateway.ts'
import { jwtSecretAsJwk, loadOrCreateLocalSecrets, type LocalSecrets } from './local-secrets.ts'
import { startPostgrest } from './postgrest.ts'

export type LocalStackOptions = {
  database: DatabaseChoice
  /** Where data, keys and secrets persist; null = throwaway (tests). */
  stateDir: string | null
  /** Fixed ports for a stable .dev.vars; omitted = any free port. */
  ports?: { database?: number; supabase?: number; clerk?: number; amazon?: number }
  /** The dashboard origin: Clerk session tokens are issued for it (`azp`), Amazon redirects back to it. */
  authorizedParty: string
  /** Where the Clerk stand-in delivers its Svix-signed webhooks. */
  clerkWebhookUrl?: string
  seed?: boolean
  /** How long the Amazon stand-in's access tokens live (default 3600 s, Amazon's). */
  amazonAccessTokenLifetimeSeconds?: number
  log?: (message: string) => void
}

export type LocalStack = {
  databaseMode: 'pglite' | 'postgres'
  /** Superuser connection to the database (PGlite serves one connection at a time: mind PostgREST's). */
  databaseAdminUrl: string
  supabaseUrl: string
  secrets: LocalSecrets
  clerk: ClerkStandIn
  amazon: AmazonStandIn
  /** The local Login with Amazon app registered with the Amazon stand-in. */
  lwaApp: { clientId: string; clientSecret: string; applicationId: string; redirectUri: string }
  stop(): Promise<void>
}

const LOCAL_LWA_CLIENT_ID = 'amzn1.application-oa2-client.sellersync-local'
const LOCAL_SPAPI_APPLICATION_ID = 'amzn1.sp.solution.sellersync-local'

/**
 * Everything the Worker talks to, locally: Postgres (PGlite or a server) with the schema applied,
 * the real PostgREST, a Supabase-style gateway in front of it, and the Clerk stand-in.
 * Started in dependency order; on any failure what already started is stopped again.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {})
  const stops: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => {})
  }
  try {
    const secrets = await loadOrCreateLocalSecrets(options.stateDir)

    const clerk = await startClerkStandIn({
      port: options.ports?.clerk,
      keyDir: options.stateDir,
      secretKey: secrets.clerkSecretKey,
      authorizedParty: options.authorizedParty,
      webhook: options.clerkWebhookUrl ? { url: options.clerkWebhookUrl, secret: secrets.clerkWebhookSecret } : undefined,
    })
    stops.push(() => clerk.stop())
    log(`Clerk stand-in   ${clerk.url}`)

    const lwaApp = {
      clientId: LOCAL_LWA_CLIENT_ID,
      clientSecret: secrets.lwaClientSecret,
      applicationId: LOCAL_SPAPI_APPLICATION_ID,
      redirectUri: `${options.authorizedParty}/api/auth/amazon/callback`,
    }
    // Registered as a draft app, like a new SP-API app in Seller Central: consent needs version=beta.
    const amazon = await startAmazonStandIn({
      port: options.ports?.amazon,
      accessTokenLifetimeSeconds: options.amazonAccessTokenLifetimeSeconds,
      clients: [{ ...lwaApp, redirectUris: [lwaApp.redirectUri], name: 'sellersync (local)', draft: true }],
    })
    stops.push(() => amazon.stop())
    log(`Amazon stand-in  ${amazon.url}`)

    const database = await startDatabase(options.database, {
      stateDir: options.stateDir,
      port: options.ports?.database,
      seed: options.seed,
    })
    stops.push(() => database.stop())
    log(`Postgres         ${database.mode === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL server'} ${new URL(database.adminUrl).host}`)

    const postgrest = await startPostgrest({
      databaseUrl: database.postgrestUrl,
      jwks: { keys: [jwtSecretAsJwk(secrets.supabaseJwtSecret), ...clerk.jwks.keys] },
      settings: database.postgrestSettings,
    })
    stops.push(() => postgrest.stop())

    const gateway = await startGateway({
      postgrestUrl: postgrest.url,
      apiKeys: [secrets.supabaseAnonKey, secrets.supabaseServiceRoleKey],
      port: options.ports?.supabase,
    })
    stops.push(() => gateway.stop())
    log(`Supabase API     ${gateway.url}/rest/v1 (PostgREST)`)

    return { databaseMode: database.mode, databaseAdminUrl: database.adminUrl, supabaseUrl: gateway.url, secrets, clerk, amazon, lwaApp, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
