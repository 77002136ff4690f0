import { randomInt } from 'node:crypto'
import { clerkId } from '../clerk-ids.ts'

/**
 * Where the stand-in "sends" email: a development instance of Clerk emails a one-time code when a sign-up's
 * email address is prepared for verification; the stand-in keeps the message here instead, for people and
 * tests to read (`GET /__dev/email-outbox`, secret key, or `ClerkStandIn.emailOutbox()`). Dev-only: the
 * codes are what a mailbox would show.
 *
 * Clerk's test mode, on for every development instance: an address with a `+clerk_test` subaddress
 * (`jane+clerk_test@example.com`) gets no email, and its code is always 424242
 * (https://clerk.com/docs/guides/development/testing/test-emails-and-phones). So those never appear here.
 */
export type SentEmail = {
  id: string
  object: 'email'
  to_email_address: string
  subject: string
  /** The one-time code the message carries. */
  code: string
  /** What the code verifies, e.g. the sign-up `sua_…`. */
  source_id: string
  sent_at: number
}

export const TEST_MODE_CODE = '424242'
const OUTBOX_LIMIT = 100

export function isTestEmailAddress(email: string): boolean {
  return /^[^@]*\+clerk_test@/i.test(email)
}

export class EmailOutbox {
  readonly #sent: SentEmail[] = []

  /** A fresh six-digit code for `email`, "sent" unless the address is a test-mode one. */
  sendVerificationCode(email: string, sourceId: string): string {
    if (isTestEmailAddress(email)) return TEST_MODE_CODE
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    this.#sent.push({
      id: clerkId('ema'),
      object: 'email',
      to_email_address: email,
      subject: `${code} is your verification code`,
      code,
      source_id: sourceId,
      sent_at: Date.now(),
    })
    if (this.#sent.length > OUTBOX_LIMIT) this.#sent.shift()
    return code
  }

  /** Newest first, as a mailbox lists them. */
  list(): SentEmail[] {
    return this.#sent.map((email) => ({ ...email })).reverse()
  }
}
