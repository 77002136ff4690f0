import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

export const grantTypes = ['authorization_code', 'refresh_token'] as const
export type GrantType = (typeof grantTypes)[number]

const httpUrl = z.url({ protocol: /^https?$/ })

/** A registered Login with Amazon application (security profile), optionally an SP-API app. */
export const lwaClientSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** The SP-API application id (`amzn1.sp.solution.…`) consent URLs carry; omit for Ads-only clients. */
  applicationId: z.string().min(1).optional(),
  /** Shown on the consent pages. */
  name: z.string().min(1).optional(),
  /**
   * Allowed return URLs. When set, consent rejects any other `redirect_uri` (SP-API error MD5101,
   * LWA "redirect URI … not whitelisted"), and an SP-API consent without one redirects to the first.
   * When omitted, any http(s) URL is accepted (convenient for tests on random ports).
   */
  redirectUris: z.array(httpUrl).min(1).optional(),
  /** A draft SP-API app: consent needs `version=beta` (else error MD1000). */
  draft: z.boolean().default(false),
  /** Grant types this client may use at the token endpoint; others get `unauthorized_client`. */
  grantTypes: z.array(z.enum(grantTypes)).default([...grantTypes]),
})

export type LwaClientSeed = z.input<typeof lwaClientSchema>
export type LwaClient = z.output<typeof lwaClientSchema> & { name: string }

const digest = (value: string) => createHash('sha256').update(value).digest()

export class LwaClients {
  readonly #byClientId = new Map<string, LwaClient>()

  constructor(seeds: LwaClientSeed[]) {
    for (const seed of seeds) {
      const parsed = lwaClientSchema.parse(seed)
      this.#byClientId.set(parsed.clientId, { ...parsed, name: parsed.name ?? parsed.applicationId ?? parsed.clientId })
    }
  }

  byClientId(clientId: string): LwaClient | undefined {
    return this.#byClientId.get(clientId)
  }

  byApplicationId(applicationId: string): LwaClient | undefined {
    return [...this.#byClientId.values()].find((client) => client.applicationId === applicationId)
  }

  /** The client if the secret is right; compared as digests (equal length, constant time). */
  authenticate(clientId: string, clientSecret: string): LwaClient | undefined {
    const client = this.#byClientId.get(clientId)
    if (!client) return undefined
    return timingSafeEqual(digest(client.clientSecret), digest(clientSecret)) ? client : undefined
  }

  isRedirectAllowed(client: LwaClient, redirectUri: string): boolean {
    if (client.redirectUris) return client.redirectUris.includes(redirectUri)
    return httpUrl.safeParse(redirectUri).success
  }
}
