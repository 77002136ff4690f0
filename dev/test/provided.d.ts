// What dev/test/global-setup.ts provides to every suite (read with `inject(name)` from vitest).
declare module 'vitest' {
  export interface ProvidedContext {
    /** 'pglite' (embedded, default) or 'postgres' (a real PostgreSQL server). */
    databaseMode: 'pglite' | 'postgres'
    /** Superuser URL of the PostgreSQL server in 'postgres' mode; '' with PGlite. */
    databaseServerUrl: string
    /** Supabase-style gateway in front of the real PostgREST: `${supabaseUrl}/rest/v1/...`. */
    supabaseUrl: string
    supabaseAnonKey: string
    supabaseServiceRoleKey: string
    /** Clerk stand-in (dev/clerk): JWKS, Backend API subset, Svix-signed webhooks. */
    clerkUrl: string
    clerkSecretKey: string
    /** PEM public key of the stand-in's signing key, as Clerk's dashboard shows it ("JWT public key"). */
    clerkJwtKey: string
    /** The `azp` the stand-in puts in session tokens (the dashboard's origin). */
    clerkAuthorizedParty: string
    /** Amazon stand-in (dev/amazon): `${amazonUrl}/{real host}{path}`, controls under `/__control`. */
    amazonUrl: string
    /** Vars and secrets for the Worker under test, pointing at the stack above. */
    workerBindings: Record<string, string>
  }
}
export {}
