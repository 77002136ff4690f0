import type { Region } from '../../worker/src/amazon/regions.ts'
import { restrictedDataToken } from './amazon-ids.ts'
import type { Grant } from './authorizations.ts'
import { matchPathTemplate } from './path-templates.ts'
import type { SpApiOperation } from './sp-api-operations.ts'

/** `dataElements` the Tokens API knows (Tokens API reference, RestrictedResource). */
export const DATA_ELEMENTS = ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] as const
export type DataElement = (typeof DATA_ELEMENTS)[number]

/**
 * The restricted operations the stand-in serves ("Tokens API Use Case Guide", Restricted operations).
 * `rdtOnly`: refused with an LWA access token (the others answer without personal data). `generic`:
 * an RDT may name them with `{orderId}` instead of one order; Amazon refuses that for getOrder and
 * getOrderItems (and getOrders has no id).
 */
export const RESTRICTED_OPERATIONS: Partial<Record<SpApiOperation, { rdtOnly: boolean; generic: boolean }>> = {
  getOrders: { rdtOnly: false, generic: false },
  getOrder: { rdtOnly: false, generic: false },
  getOrderItems: { rdtOnly: false, generic: false },
  getOrderBuyerInfo: { rdtOnly: true, generic: true },
  getOrderAddress: { rdtOnly: true, generic: true },
  getOrderItemsBuyerInfo: { rdtOnly: true, generic: true },
}

/** One resource an RDT authorizes: a method and a specific path, or a template when `generic`. */
export type AuthorizedResource = { method: string; path: string; generic: boolean; dataElements: DataElement[] }

/** What a minted RDT stands for: one grant's seller, an application, one region's host, its resources. */
export type RestrictedDataToken = {
  grant: Grant
  /** The application allowed to use it: the minting one, or the delegatee named by `targetApplication`. */
  clientId: string
  region: Region
  resources: AuthorizedResource[]
  expiresAt: number
}

export type RestrictedDataTokenCheck =
  | { status: 'valid'; rdt: RestrictedDataToken }
  | { status: 'unknown' | 'expired' | 'revoked'; rdt?: RestrictedDataToken }

/** Amazon's RDT prefix: how the SP-API front door tells an RDT from an LWA access token. */
export function isRestrictedDataToken(token: string): boolean {
  return token.startsWith('Atz.sprdt|')
}

export const RDT_LIFETIME_SECONDS = 3600

/** The Tokens API's server-side state: opaque tokens, meaningful only through this map. Not refreshable. */
export class RestrictedDataTokens {
  readonly #tokens = new Map<string, RestrictedDataToken>()

  issue(rdt: RestrictedDataToken): string {
    const token = restrictedDataToken()
    this.#tokens.set(token, rdt)
    return token
  }

  check(token: string, now: number): RestrictedDataTokenCheck {
    const rdt = this.#tokens.get(token)
    if (!rdt) return { status: 'unknown' }
    if (rdt.grant.revoked) return { status: 'revoked', rdt }
    if (now >= rdt.expiresAt) return { status: 'expired', rdt }
    return { status: 'valid', rdt }
  }

  /** Every RDT issued so far expires now. Returns how many there are. */
  expireAll(now: number): number {
    for (const rdt of this.#tokens.values()) rdt.expiresAt = Math.min(rdt.expiresAt, now)
    return this.#tokens.size
  }

  clear(): void {
    this.#tokens.clear()
  }
}

/** The resource of the RDT that authorizes this call: same method, same path or a generic path it fits. */
export function authorizedResource(rdt: RestrictedDataToken, method: string, path: string): AuthorizedResource | undefined {
  return rdt.resources.find(
    (resource) => resource.method === method && (resource.generic ? matchPathTemplate(resource.path, path) !== undefined : resource.path === path),
  )
}
