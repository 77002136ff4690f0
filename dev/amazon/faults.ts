import { z } from 'zod'

/** Which requests a fault hits: a whole service, or one path (`/auth/o2/token`, or host-qualified). */
export const faultTargetSchema = z.union([
  z.enum(['lwa', 'sp_api', 'ads', 'consent']),
  z.string().regex(/^\/[^\s?#]*$/, 'a path target starts with "/" and has no query'),
])
export type FaultTarget = z.infer<typeof faultTargetSchema>

export const faultSpecSchema = z.discriminatedUnion('kind', [
  /** Answer with a 5xx in the service's own error shape. */
  z.object({ kind: z.literal('error'), target: faultTargetSchema, count: z.int().min(1).default(1), status: z.union([z.literal(500), z.literal(503)]).default(500) }),
  /** Hold the request: `ms` then carry on normally (a slow answer), or without `ms` until stop(). */
  z.object({ kind: z.literal('hang'), target: faultTargetSchema, count: z.int().min(1).default(1), ms: z.int().min(0).max(3_600_000).optional() }),
  /** Answer 429 in the service's own shape, whatever the bucket says. */
  z.object({ kind: z.literal('throttle'), target: faultTargetSchema, count: z.int().min(1).default(1) }),
  /**
   * LWA only: refuse the token request with this OAuth error, as LWA does when the app's client secret
   * was rotated or expired (invalid_client) or the grant is gone (invalid_grant).
   */
  z.object({
    kind: z.literal('lwa_error'),
    target: faultTargetSchema,
    count: z.int().min(1).default(1),
    error: z.enum(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request']),
  }),
])
export type FaultSpec = z.input<typeof faultSpecSchema>
export type Fault = z.output<typeof faultSpecSchema>

/** The service a request went to, as far as faults and the request log are concerned. */
export type ServiceKind = 'lwa' | 'sp_api' | 'ads' | 'consent'

/** Pending faults, consumed one per matching request, oldest first. */
export class FaultInjector {
  #pending: Array<{ fault: Fault; remaining: number }> = []

  add(spec: FaultSpec): Fault {
    const fault = faultSpecSchema.parse(spec)
    this.#pending.push({ fault, remaining: fault.count })
    return fault
  }

  /** The fault this request gets, if any (and counts it off). */
  take(kind: ServiceKind, host: string, path: string): Fault | undefined {
    const index = this.#pending.findIndex(({ fault }) => matches(fault.target, kind, host, path))
    if (index < 0) return undefined
    const entry = this.#pending[index]!
    if (--entry.remaining === 0) this.#pending.splice(index, 1)
    return entry.fault
  }

  pending(): Array<Fault & { remaining: number }> {
    return this.#pending.map(({ fault, remaining }) => ({ ...fault, remaining }))
  }

  clear(): void {
    this.#pending = []
  }
}

function matches(target: FaultTarget, kind: ServiceKind, host: string, path: string): boolean {
  if (!target.startsWith('/')) return target === kind
  return target === path || target === `/${host}${path}`
}
