import type { Region } from '../../worker/src/amazon/regions.ts'
import { accessToken, authorizationCode, refreshToken } from './amazon-ids.ts'

/** Whose data a grant opens: a selling partner (SP-API) or an Amazon customer's Ads profiles. */
export type GrantSubject = { provider: 'sp_api'; sellingPartnerId: string } | { provider: 'ads'; adsAccountId: string }

/** An authorization code handed out by an approved consent page. */
export type AuthorizationCode = {
  code: string
  clientId: string
  region: Region
  subject: GrantSubject
  /** The `redirect_uri` the consent request carried explicitly (the token request must repeat it). */
  redirectUri: string | undefined
  scope: string | undefined
  issuedAt: number
  used: boolean
}

/** What a redeemed code becomes: the seller's consent for one client, alive until revoked. */
export type Grant = { id: number; clientId: string; region: Region; subject: GrantSubject; revoked: boolean }

export type AccessTokenCheck =
  | { status: 'valid'; grant: Grant }
  | { status: 'unknown' | 'expired' | 'revoked'; grant?: Grant }

/**
 * Login with Amazon's server-side state: codes, grants, refresh tokens and access tokens. Tokens are
 * random and only meaningful through these maps, like the real opaque `Atza|`/`Atzr|` tokens.
 */
export class Authorizations {
  readonly #codes = new Map<string, AuthorizationCode>()
  readonly #grants = new Map<number, Grant>()
  readonly #refreshTokens = new Map<string, number>()
  readonly #accessTokens = new Map<string, { grantId: number; expiresAt: number }>()
  #nextGrantId = 1

  issueCode(input: Omit<AuthorizationCode, 'code' | 'used'>): string {
    const code = authorizationCode()
    this.#codes.set(code, { ...input, code, used: false })
    return code
  }

  findCode(code: string): AuthorizationCode | undefined {
    return this.#codes.get(code)
  }

  markUsed(code: string): void {
    const found = this.#codes.get(code)
    if (found) found.used = true
  }

  /** A new grant and its first refresh token. */
  createGrant(input: Omit<Grant, 'id' | 'revoked'>): { grant: Grant; refreshToken: string } {
    const grant: Grant = { ...input, id: this.#nextGrantId++, revoked: false }
    this.#grants.set(grant.id, grant)
    const token = refreshToken()
    this.#refreshTokens.set(token, grant.id)
    return { grant, refreshToken: token }
  }

  grantForRefreshToken(token: string): Grant | undefined {
    const grantId = this.#refreshTokens.get(token)
    return grantId === undefined ? undefined : this.#grants.get(grantId)
  }

  /** Issues a new refresh token for the grant; the old one stops working unless `keepOld`. */
  rotateRefreshToken(oldToken: string, keepOld: boolean): string {
    const grantId = this.#refreshTokens.get(oldToken)
    if (grantId === undefined) throw new Error('unknown refresh token')
    if (!keepOld) this.#refreshTokens.delete(oldToken)
    const token = refreshToken()
    this.#refreshTokens.set(token, grantId)
    return token
  }

  issueAccessToken(grant: Grant, expiresAt: number): string {
    const token = accessToken()
    this.#accessTokens.set(token, { grantId: grant.id, expiresAt })
    return token
  }

  checkAccessToken(token: string, now: number): AccessTokenCheck {
    const found = this.#accessTokens.get(token)
    const grant = found && this.#grants.get(found.grantId)
    if (!found || !grant) return { status: 'unknown' }
    if (grant.revoked) return { status: 'revoked', grant }
    if (now >= found.expiresAt) return { status: 'expired', grant }
    return { status: 'valid', grant }
  }

  /** Revokes every grant of the subject (all clients); its tokens stop working. Returns how many. */
  revoke(subject: GrantSubject): number {
    let count = 0
    for (const grant of this.#grants.values()) {
      if (grant.revoked || !sameSubject(grant.subject, subject)) continue
      grant.revoked = true
      count++
    }
    return count
  }

  /** Every access token issued so far expires now (as if an hour had passed for each). */
  expireAccessTokens(now: number): number {
    for (const record of this.#accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, now)
    return this.#accessTokens.size
  }

  clear(): void {
    this.#codes.clear()
    this.#grants.clear()
    this.#refreshTokens.clear()
    this.#accessTokens.clear()
  }
}

export function sameSubject(a: GrantSubject, b: GrantSubject): boolean {
  if (a.provider === 'sp_api' && b.provider === 'sp_api') return a.sellingPartnerId === b.sellingPartnerId
  if (a.provider === 'ads' && b.provider === 'ads') return a.adsAccountId === b.adsAccountId
  return false
}
