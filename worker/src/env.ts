/// <reference path="../worker-configuration.d.ts" />
import { z } from 'zod'
import { FernetKeysConfigError, multiFernetFromConfig } from './crypto/fernet-keys.ts'
import type { MultiFernet } from './crypto/fernet.ts'
import type { RefreshMessage } from './tokens/refresh-message.ts'

/** A PEM pasted into a secret often arrives with literal "\n" sequences; accept both forms. */
const pem = z
  .string()
  .transform((value) => value.replaceAll('\\n', '\n').trim())
  .pipe(z.string().regex(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/, 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)'))

const commaSeparatedOrigins = z
  .string()
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1, 'must list at least one origin'))

/**
 * Configuration the Worker reads from its vars and secrets. Every setting is documented in
 * .dev.vars.example; parseConfig rejects a missing or malformed one with a message naming it.
 */
const configSchema = z.object({
  SUPABASE_URL: z.url({ protocol: /^https?$/ }),
  SUPABASE_ANON_KEY: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  /** Clerk's JWT public key (PEM): session tokens are verified with it, without a network call. */
  CLERK_JWT_KEY: pem,
  /** Origins whose session tokens are accepted (the `azp` claim). */
  CLERK_AUTHORIZED_PARTIES: commaSeparatedOrigins,
  /** Clerk's publishable key, handed to the dashboard at run time by GET /api/client-config. */
  CLERK_PUBLISHABLE_KEY: z
    .preprocess((value) => (value === '' ? undefined : value), z.string().regex(/^pk_(test|live)_[A-Za-z0-9+/=_-]+$/, 'must be a Clerk publishable key (pk_test_… or pk_live_…)').optional()),
  /** Signing secret of the Clerk webhook endpoint (Svix). */
  CLERK_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_'),
  /** Optional JSON overriding rate limits per route group; parsed in rate-limit-policy.ts. */
  RATE_LIMITS: z.string().optional(),
  /** Clerk's secret key: the Worker verifies API keys (`ak_…`) with Clerk's Backend API. Without it, API keys are refused with 503. */
  CLERK_SECRET_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().regex(/^sk_(test|live)_\S+$/, 'must be a Clerk secret key (sk_test_… or sk_live_…)').optional()),
  /** Clerk's Backend API; default https://api.clerk.com (the local stack points it at the stand-in). */
  CLERK_API_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).default('https://api.clerk.com')),
  /**
   * The Supabase project's JWT secret. API-key callers have no Clerk session token to hand PostgREST, so
   * the Worker signs a 60-second one for the key's user with it (row-level security applies unchanged).
   */
  SUPABASE_JWT_SECRET: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(32, 'must be the project JWT secret (32 characters or more)').optional()),
})

export type Config = z.infer<typeof configSchema>

/** An optional variable: an empty value (a blank line in .dev.vars) counts as unset. */
const optional = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

const httpUrl = z.url({ protocol: /^https?$/ })

/** FERNET_KEYS, checked key by key; becomes the MultiFernet itself, so keys are imported once per isolate. */
const fernetKeys = z.string().transform((value, context): { keys: string; fernet: MultiFernet } => {
  try {
    return { keys: value, fernet: multiFernetFromConfig(value) }
  } catch (error) {
    if (!(error instanceof FernetKeysConfigError)) throw error
    context.addIssue({ code: 'custom', message: error.problems.join('; ') })
    return z.NEVER
  }
})

/**
 * What connecting Amazon accounts needs. Kept apart from configSchema so a deployment without Amazon
 * credentials still serves sign-in and profiles; the Amazon routes answer 503 config_invalid instead.
 */
const amazonConfigSchema = z.object({
  /** Dashboard origin (e.g. https://app.example.com); the OAuth callback redirects to `${APP_URL}/accounts?…`. */
  APP_URL: httpUrl.transform((value) => new URL(value).origin),
  /** Redirect URI registered with Amazon; default `${APP_URL}/api/auth/amazon/callback`. */
  OAUTH_REDIRECT_URI: optional(httpUrl),
  /** Comma-separated Fernet keys, newest first: the first encrypts tokens, all decrypt (rotation). */
  FERNET_KEYS: fernetKeys,
  /** Login with Amazon client id of the app's security profile (SP-API and, by default, Ads). */
  LWA_CLIENT_ID: z.string().min(1),
  /** Login with Amazon client secret belonging to LWA_CLIENT_ID. */
  LWA_CLIENT_SECRET: z.string().min(1),
  /** SP-API application id (amzn1.sp.solution.…) that Seller Central consent URLs carry. */
  SPAPI_APPLICATION_ID: z.string().min(1),
  /** 'true' while the SP-API app is a draft: consent URLs then carry version=beta. Default 'false'. */
  SPAPI_DRAFT_APP: optional(z.enum(['true', 'false'])).transform((value) => value === 'true'),
  /** LWA client id for Amazon Ads, when it differs from LWA_CLIENT_ID. */
  ADS_CLIENT_ID: optional(z.string().min(1)),
  /** LWA client secret for Amazon Ads, when it differs from LWA_CLIENT_SECRET. */
  ADS_CLIENT_SECRET: optional(z.string().min(1)),
  /** Base URL of the Amazon stand-in (local runs and tests); unset in production = the real Amazon hosts. */
  AMAZON_BASE_URL: optional(httpUrl),
})

/** The Amazon settings with defaults applied and FERNET_KEYS turned into a MultiFernet. */
export type AmazonConfig = {
  appUrl: string
  redirectUri: string
  fernetKeys: string
  fernet: MultiFernet
  lwaClientId: string
  lwaClientSecret: string
  spApiApplicationId: string
  spApiDraftApp: boolean
  adsClientId: string
  adsClientSecret: string
  amazonBaseUrl: string | undefined
}

/** Vars and secrets: not in wrangler.toml, so their names come from the schemas above, which check them. */
type Settings = { [K in keyof z.input<typeof configSchema> | keyof z.input<typeof amazonConfigSchema>]?: string }

/**
 * The bindings Cloudflare hands the Worker. Durable Objects and the Queue producer are wrangler.toml's, typed
 * by `Env` in worker/worker-configuration.d.ts (generated: `npm run types:worker`); wrangler cannot know a
 * queue's message type, so that one is given here. Vars and secrets are strings (Settings).
 */
export type Bindings = { [K in keyof Env]: K extends 'TOKEN_REFRESH_QUEUE' ? Queue<RefreshMessage> : Env[K] } & Settings

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid Worker configuration: ${problems.join('; ')}`)
    this.problems = problems
  }
}

function describe(issue: z.core.$ZodIssue, env: Record<string, unknown>): string {
  const variable = String(issue.path[0] ?? '(root)')
  if (env[variable] === undefined || env[variable] === '') return `${variable} is missing`
  return `${variable} is malformed (${issue.message})`
}

/**
 * A parser for one group of settings that throws a ConfigError naming every missing or malformed
 * variable. Bindings are fixed for the life of an isolate, so each env object is parsed once.
 */
function settingsParser<Output>(schema: z.ZodType<Output>) {
  const parsed = new WeakMap<object, Output>()
  return (env: object): Output => {
    const cached = parsed.get(env)
    if (cached) return cached
    const values = env as Record<string, unknown>
    const result = schema.safeParse(values)
    if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(issue, values)))
    parsed.set(env, result.data)
    return result.data
  }
}

export const parseConfig = settingsParser(configSchema)

/** The Amazon connect settings, with defaults applied and the Fernet keys loaded, once per env object. */
export const parseAmazonConfig = settingsParser(
  amazonConfigSchema.transform(
    (data): AmazonConfig => ({
      appUrl: data.APP_URL,
      redirectUri: data.OAUTH_REDIRECT_URI ?? `${data.APP_URL}/api/auth/amazon/callback`,
      fernetKeys: data.FERNET_KEYS.keys,
      fernet: data.FERNET_KEYS.fernet,
      lwaClientId: data.LWA_CLIENT_ID,
      lwaClientSecret: data.LWA_CLIENT_SECRET,
      spApiApplicationId: data.SPAPI_APPLICATION_ID,
      spApiDraftApp: data.SPAPI_DRAFT_APP,
      adsClientId: data.ADS_CLIENT_ID ?? data.LWA_CLIENT_ID,
      adsClientSecret: data.ADS_CLIENT_SECRET ?? data.LWA_CLIENT_SECRET,
      amazonBaseUrl: data.AMAZON_BASE_URL,
    }),
  ),
)
