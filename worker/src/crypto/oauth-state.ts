import { base64urlEncode } from './base64url.ts'

/** 32 random bytes, base64url: an OAuth state or browser nonce nobody can guess (256 bits). */
export function randomOAuthSecret(): string {
  return base64urlEncode(crypto.getRandomValues(new Uint8Array(32))).replace(/=+$/, '')
}

/**
 * Lowercase hex SHA-256: what oauth_states stores instead of the state and nonce, so a leaked table
 * row cannot be replayed at the callback.
 */
export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)))
  let hex = ''
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0')
  return hex
}
