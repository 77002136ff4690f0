// Prints a fresh Fernet key (32 random bytes, url-safe base64) for FERNET_KEYS.
// To rotate, prepend it: FERNET_KEYS="<new>,<old>", then let the refresh job re-encrypt stored credentials.
import { Fernet } from '../worker/src/crypto/fernet.ts'

console.log(Fernet.generateKey())
