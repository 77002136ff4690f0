import { z } from 'zod'
import { ConfigError } from './env.ts'

/**
 * Quotas, each counted on its own: authenticated API, the Amazon proxy, each API key, unauthenticated routes, inbound webhooks, and
 * failed authentications (per client address, on every route that needs a session).
 */
export const RATE_LIMIT_GROUPS = ['api', 'proxy', 'api_key', 'public', 'webhooks', 'auth_failures'] as const
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number]

/** One quota: at most `limit` units per `windowSeconds`, counted under `name`. */
export type RateLimitPolicy = { name: string; limit: number; windowSeconds: number }

type Quota = Omit<RateLimitPolicy, 'name'>

const DEFAULT_QUOTAS: Record<RateLimitGroup, Quota> = {
  // Dashboard and API consumers, per signed-in user.
  api: { limit: 120, windowSeconds: 60 },
  // Calls through the Amazon proxy, per signed-in user. Amazon's own per-operation limits are enforced
  // separately (and mostly tighter) by the proxy's token buckets; this caps one user's share of the Worker.
  proxy: { limit: 600, windowSeconds: 60 },
  // Every request made with one API key (any route), per key: a runaway script is stopped on its own.
  api_key: { limit: 300, windowSeconds: 60 },
  // The OAuth callback and the full health check, per client IP: a person connects an account now and
  // then, a monitor polls every few seconds; NAT can share an IP.
  public: { limit: 30, windowSeconds: 60 },
  // Svix delivers from a handful of IPs and retries in bursts, so keep this generous.
  webhooks: { limit: 600, windowSeconds: 60 },
  // Refused session tokens per client IP. A dashboard fails now and then (an expired token, renewed at
  // once); a steady stream of failures is probing, or a client stuck in a loop.
  auth_failures: { limit: 30, windowSeconds: 60 },
}

// The RateLimit-Policy `w` parameter is whole seconds, never zero; a day bounds how long a window
// (and the state kept for it) can live.
const quotaOverrideSchema = z.strictObject({
  limit: z.int().min(1).max(1_000_000).optional(),
  windowSeconds: z.int().min(1).max(86_400).optional(),
})

// Strict so a misspelt group ("API") is an error rather than a silently ignored override.
const overridesSchema = z.strictObject(
  Object.fromEntries(RATE_LIMIT_GROUPS.map((group) => [group, quotaOverrideSchema.optional()])) as Record<
    RateLimitGroup,
    z.ZodOptional<typeof quotaOverrideSchema>
  >,
)

function malformed(reason: string): ConfigError {
  return new ConfigError([`RATE_LIMITS is malformed (${reason})`])
}

function parseOverrides(raw: string): z.infer<typeof overridesSchema> {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw malformed('not JSON; expected e.g. {"api":{"limit":120,"windowSeconds":60}}')
  }
  const result = overridesSchema.safeParse(json)
  if (!result.success) {
    throw malformed(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '))
  }
  return result.data
}

// Vars are fixed for the life of an isolate, so each distinct value is parsed once.
const parsedByRaw = new Map<string, Record<RateLimitGroup, RateLimitPolicy>>()

/**
 * The policy of every group: the defaults above with the optional `RATE_LIMITS` var (JSON, per group
 * `limit` and/or `windowSeconds`) merged over them. Throws ConfigError naming RATE_LIMITS when malformed.
 */
export function rateLimitPolicies(raw: string | undefined): Record<RateLimitGroup, RateLimitPolicy> {
  const key = raw?.trim() ?? ''
  const cached = parsedByRaw.get(key)
  if (cached) return cached
  const overrides = key === '' ? {} : parseOverrides(key)
  const policies = Object.fromEntries(
    RATE_LIMIT_GROUPS.map((group) => [group, { name: group, ...DEFAULT_QUOTAS[group], ...overrides[group] }]),
  ) as Record<RateLimitGroup, RateLimitPolicy>
  parsedByRaw.set(key, policies)
  return policies
}
