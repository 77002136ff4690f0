import type { LocalStack } from './local-stack.ts'

/** The Worker's vars and secrets for a local stack: what `npm run dev` writes to .dev.vars and tests bind. */
export function workerBindings(stack: LocalStack, { authorizedParties }: { authorizedParties: string[] }): Record<string, string> {
  return {
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_ANON_KEY: stack.secrets.supabaseAnonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.secrets.supabaseServiceRoleKey,
    CLERK_JWT_KEY: stack.clerk.publicKeyPem,
    CLERK_PUBLISHABLE_KEY: stack.clerk.publishableKey,
    CLERK_AUTHORIZED_PARTIES: authorizedParties.join(','),
    CLERK_WEBHOOK_SECRET: stack.secrets.clerkWebhookSecret,
    CLERK_SECRET_KEY: stack.secrets.clerkSecretKey,
    CLERK_API_URL: stack.clerk.url,
    SUPABASE_JWT_SECRET: stack.secrets.supabaseJwtSecret,
    FERNET_KEYS: stack.secrets.fernetKey,
    APP_URL: new URL(stack.lwaApp.redirectUri).origin,
    LWA_CLIENT_ID: stack.lwaApp.clientId,
    LWA_CLIENT_SECRET: stack.lwaApp.clientSecret,
    SPAPI_APPLICATION_ID: stack.lwaApp.applicationId,
    SPAPI_DRAFT_APP: 'true',
    AMAZON_BASE_URL: stack.amazon.url,
  }
}
