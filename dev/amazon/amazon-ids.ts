import { randomBytes, randomInt, randomUUID } from 'node:crypto'

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function randomString(alphabet: string, length: number): string {
  let result = ''
  for (let i = 0; i < length; i++) result += alphabet[randomInt(alphabet.length)]
  return result
}

/** An LWA access token: opaque, `Atza|` prefixed, several hundred characters like the real ones. */
export function accessToken(): string {
  return `Atza|${randomBytes(264).toString('base64url')}`
}

/** An LWA refresh token: opaque, `Atzr|` prefixed. */
export function refreshToken(): string {
  return `Atzr|${randomBytes(264).toString('base64url')}`
}

/** A Restricted Data Token: opaque, `Atz.sprdt|` prefixed like the Tokens API's. */
export function restrictedDataToken(): string {
  return `Atz.sprdt|${randomBytes(264).toString('base64url')}`
}

/** An authorization code (`spapi_oauth_code` / `code`): 20 letters, as LWA issues them. */
export function authorizationCode(): string {
  return randomString(LETTERS, 20)
}

/** A merchant / selling partner id: `A` and 13 upper-case letters and digits. */
export function sellingPartnerId(): string {
  return `A${randomString(UPPER_ALNUM, 13)}`
}

/** An Amazon Ads profile id: a large integer that still fits in a JavaScript number. */
export function adsProfileId(): number {
  return randomInt(1_000_000_000_000, 2 ** 48)
}

/** An LWA customer account id, as Login with Amazon names the signed-in user. */
export function amazonAccountId(): string {
  return `amzn1.account.${randomString(UPPER_ALNUM, 28)}`
}

/** SP-API and LWA request ids (`x-amzn-RequestId`) are UUIDs. */
export function requestId(): string {
  return randomUUID()
}

/** Amazon Ads puts a 20-character id into error bodies (`requestId`). */
export function adsRequestId(): string {
  return randomString(UPPER_ALNUM, 20)
}
