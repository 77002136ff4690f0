/**
 * The two ways Fernet input can be wrong. Neither message ever includes a key or a token: they end up in
 * logs, and the whole point of Fernet is that those stay secret.
 */

/**
 * A token that is malformed, tampered with, expired, from the future, or made with another key. One error
 * for all of these on purpose (as in Python's `cryptography`): telling them apart would help an attacker.
 */
export class InvalidToken extends Error {
  override readonly name = 'InvalidToken'
  constructor() {
    super('Invalid Fernet token')
  }
}

/** A Fernet key that is not 32 bytes of padded url-safe base64. */
export class InvalidFernetKey extends Error {
  override readonly name = 'InvalidFernetKey'
}
