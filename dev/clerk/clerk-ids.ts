import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
// KSUIDs count seconds from this epoch (2014-05-13), so their ids sort by creation time.
const KSUID_EPOCH_SECONDS = 1_400_000_000

/**
 * A Clerk- (and Svix-) style id: a type prefix and a 27-character base62 KSUID, e.g. `user_2ZcT…`.
 * Code that parses ids by prefix (`user_`, `sess_`, `msg_`) sees what it would from the real services.
 */
export function clerkId(prefix: 'user' | 'idn' | 'sess' | 'client' | 'ins' | 'msg' | 'sia' | 'sua' | 'ema' | 'dvb'): string {
  const timestamp = Buffer.alloc(4)
  timestamp.writeUInt32BE(Math.floor(Date.now() / 1000) - KSUID_EPOCH_SECONDS)
  let value = BigInt(`0x${Buffer.concat([timestamp, randomBytes(16)]).toString('hex')}`)
  let digits = ''
  while (value > 0n) {
    digits = BASE62[Number(value % 62n)] + digits
    value /= 62n
  }
  return `${prefix}_${digits.padStart(27, '0')}`
}
