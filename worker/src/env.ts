import { z } from 'zod'

/**
 * Configuration the Worker reads from its vars and secrets. Every setting is documented in
 * .dev.vars.example; parseConfig rejects a missing or malformed one with a message naming it.
 */
const configSchema = z.object({
  SUPABASE_URL: z.url({ protocol: /^https?$/ }),
  SUPABASE_ANON_KEY: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
})

export type Config = z.infer<typeof configSchema>

/** The raw bindings object Cloudflare hands the Worker: vars and secrets as strings. */
export type Bindings = { [K in keyof Config]?: string }

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

export function parseConfig(env: Record<string, unknown>): Config {
  const cached = parsed.get(env)
  if (cached) return cached
  const result = configSchema.safeParse(env)
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(issue, env)))
  parsed.set(env, result.data)
  return result.data
}
