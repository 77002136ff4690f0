import { z } from 'zod'
import type { UserRateLimiter } from './durable/user-rate-limiter.ts'

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
  /** Signing secret of the Clerk webhook endpoint (Svix). */
  CLERK_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_'),
  /** Optional JSON overriding rate limits per route group; parsed in rate-limit-policy.ts. */
  RATE_LIMITS: z.string().optional(),
})

export type Config = z.infer<typeof configSchema>

/** The bindings Cloudflare hands the Worker: vars and secrets as strings, plus Durable Objects. */
export type Bindings = { [K in keyof z.input<typeof configSchema>]?: string } & {
  USER_RATE_LIMITER: DurableObjectNamespace<UserRateLimiter>
}

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

// Bindings are fixed for the life of an isolate, so parse each env object once.
const parsed = new WeakMap<object, Config>()

export function parseConfig(env: object): Config {
  const cached = parsed.get(env)
  if (cached) return cached
  const values = env as Record<string, unknown>
  const result = configSchema.safeParse(values)
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(issue, values)))
  parsed.set(env, result.data)
  return result.data
}
