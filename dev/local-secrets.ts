import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SignJWT, base64url } from 'jose'
import { Fernet } from '../worker/src/crypto/fernet.ts'

/**
 * Every secret the local stack needs, random per machine (kept, mode 0600, in the git-ignored
 * state directory so a restart keeps sessions and data valid) or per test run (never written).
 */
export type LocalSecrets = {
  /** Supabase project JWT secret (HS256) and the anon / service-role keys signed with it. */
  supabaseJwtSecret: string
  supabaseAnonKey: string
  supabaseServiceRoleKey: string
  /** Clerk stand-in Backend API key and Svix webhook signing secret. */
  clerkSecretKey: string
  clerkWebhookSecret: string
  /** Client secret of the local Login with Amazon app registered with the Amazon stand-in. */
  lwaClientSecret: string
  /** The Fernet key refresh tokens are encrypted with (FERNET_KEYS). */
  fernetKey: string
}

/**
 * Supabase's legacy API keys: HS256 JWTs whose `role` claim PostgREST switches to, signed with the UTF-8
 * bytes of the project JWT secret as Supabase does (the Worker signs API-key callers' tokens the same
 * way). Fixed times make them a function of the secret, so they are derived on every start, not stored.
 */
function signApiKey(role: 'anon' | 'service_role', jwtSecret: string): Promise<string> {
  return new SignJWT({ role, iss: 'supabase-local', ref: 'sellersync' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(1_764_547_200) // 2025-12-01
    .setExpirationTime(4_102_444_800) // 2100-01-01
    .sign(new TextEncoder().encode(jwtSecret))
}

async function createSecrets(): Promise<Omit<LocalSecrets, 'supabaseAnonKey' | 'supabaseServiceRoleKey'>> {
  return {
    supabaseJwtSecret: randomBytes(32).toString('base64url'),
    clerkSecretKey: `sk_test_${randomBytes(24).toString('base64url')}`,
    clerkWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    lwaClientSecret: `amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}`,
    fernetKey: Fernet.generateKey(),
  }
}

export async function loadOrCreateLocalSecrets(stateDir: string | null): Promise<LocalSecrets> {
  const file = stateDir && join(stateDir, 'local-secrets.json')
  const { supabaseAnonKey: _anon, supabaseServiceRoleKey: _service, ...stored }: Partial<LocalSecrets> =
    file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  // Keep what exists (sessions, data and .dev.vars stay valid); add secrets a newer version needs.
  const secrets = { ...(await createSecrets()), ...stored }
  if (file && Object.keys(stored).length !== Object.keys(secrets).length) {
    mkdirSync(stateDir!, { recursive: true })
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return {
    ...secrets,
    supabaseAnonKey: await signApiKey('anon', secrets.supabaseJwtSecret),
    supabaseServiceRoleKey: await signApiKey('service_role', secrets.supabaseJwtSecret),
  }
}

/** The project JWT secret as a JWK, so PostgREST holds it in one JWKS beside Clerk's public keys. */
export function jwtSecretAsJwk(jwtSecret: string) {
  return { kty: 'oct', k: base64url.encode(new TextEncoder().encode(jwtSecret)), alg: 'HS256' }
}
