/**
 * Encryption with a caller-chosen IV, for the Fernet spec's generation vectors only. Production code must
 * use Fernet.encrypt: a repeated IV under one key leaks whether two tokens share a plaintext prefix.
 */
import { decodeFernetKey, importFernetKeys, sealToken, timestampField, toPlaintext } from '../../src/crypto/fernet-token.ts'

export async function encryptWithIv(
  key: string,
  data: Uint8Array | string,
  currentTime: number,
  iv: Uint8Array,
): Promise<string> {
  if (iv.length !== 16) throw new RangeError('Fernet IV must be 16 bytes')
  const keys = await importFernetKeys(decodeFernetKey(key))
  return sealToken(keys, toPlaintext(data), timestampField(currentTime), new Uint8Array(iv))
}
