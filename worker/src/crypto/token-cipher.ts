import type { AmazonConfig } from '../env.ts'
import { currentFernetKeyId } from './fernet-keys.ts'

// The key id is a digest of the first key; FERNET_KEYS is fixed per isolate, so compute it once.
const keyIds = new Map<string, Promise<string>>()

/** The fingerprint of the key that encrypts now, stored next to each credential row. */
export function encryptingKeyId(config: AmazonConfig): Promise<string> {
  let id = keyIds.get(config.fernetKeys)
  if (!id) {
    id = currentFernetKeyId(config.fernetKeys)
    keyIds.set(config.fernetKeys, id)
  }
  return id
}

/** An LWA token as a Fernet token under the newest key. */
export function encryptToken(config: AmazonConfig, token: string): Promise<string> {
  return config.fernet.encrypt(token)
}

/** The LWA token inside a stored Fernet token (any configured key). Throws InvalidToken if none fits. */
export async function decryptToken(config: AmazonConfig, ciphertext: string): Promise<string> {
  return new TextDecoder().decode(await config.fernet.decrypt(ciphertext))
}
