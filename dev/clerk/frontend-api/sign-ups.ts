import { z } from 'zod'
import { clerkId } from '../clerk-ids.ts'
import { ClerkApiError, type ClerkErrorDetail, parseClerkParams, resourceNotFound } from '../clerk-errors.ts'
import type { ClerkInstance } from '../clerk-instance.ts'
import type { EmailOutbox } from './email-outbox.ts'
import { PASSWORD_SETTINGS, SIGN_UP_REQUIRED_FIELDS, type SignUpField } from './environment.ts'

/**
 * Sign-ups (`/v1/client/sign_ups`), the Frontend API's SignUp object, for this instance's one way in:
 * email address + password + first and last name, the email address verified with a one-time code
 * (`email_code`). Its JSON is Clerk's SignUpJSON (clerk/javascript packages/shared/src/types/json.ts);
 * @clerk/ui drives its form from `status`, `missing_fields` and `unverified_fields`:
 *
 *   create/update with the fields  → missing_requirements, unverified_fields: [email_address]
 *   prepare_verification email_code → the code is "emailed" (email-outbox.ts), next_action: needs_attempt
 *   attempt_verification with code  → complete: the user is created (user.created webhook) and signed in
 *
 * A sign-up holds the password until the user exists, then forgets it; its JSON only says `has_password`.
 */
export type SignUpStatus = 'missing_requirements' | 'complete' | 'abandoned'

type EmailCodeVerification = {
  status: 'unverified' | 'verified'
  code: string | null
  attempts: number
  expireAt: number
  verifiedAtClient: string | null
}

export type SignUpAttempt = {
  id: string
  clientId: string
  emailAddress: string | null
  firstName: string | null
  lastName: string | null
  hasPassword: boolean
  locale: string | null
  timezone: string | null
  emailVerification: EmailCodeVerification | null
  createdUserId: string | null
  createdSessionId: string | null
  abandonAt: number
}

// As sign-ins: an unfinished sign-up is abandoned after a day.
const ABANDON_AFTER_MS = 24 * 60 * 60 * 1000
// Clerk's one-time codes expire after 10 minutes.
const CODE_LIFETIME_MS = 10 * 60 * 1000
// Wrong codes allowed before the verification fails and needs a new code (the stand-in's limit).
const MAX_CODE_ATTEMPTS = 5

const text = z.string().trim()
const fieldsSchema = z.object({
  email_address: text.optional(),
  password: z.string().optional(),
  first_name: text.optional(),
  last_name: text.optional(),
  locale: z.string().optional(),
  timezone: z.string().optional(),
  // Only plain sign-ups: no ticket, OAuth or web3 strategies on this instance.
  strategy: z.never().optional(),
})
const prepareSchema = z.object({ strategy: z.string().min(1) })
const attemptSchema = z.object({ strategy: z.string().min(1), code: z.string().trim().min(1) })

export class SignUps {
  readonly #attempts = new Map<string, SignUpAttempt>()
  /** Held only until the user is created; never part of a SignUpJSON. */
  readonly #passwords = new Map<string, string>()
  readonly #instance: ClerkInstance
  readonly #outbox: EmailOutbox

  constructor(instance: ClerkInstance, outbox: EmailOutbox) {
    this.#instance = instance
    this.#outbox = outbox
  }

  /** `POST /v1/client/sign_ups`: a new sign-up with whatever fields came along. */
  async create(clientId: string, body: unknown): Promise<SignUpAttempt> {
    const input = parseClerkParams(fieldsSchema, body)
    const attempt: SignUpAttempt = {
      id: clerkId('sua'),
      clientId,
      emailAddress: null,
      firstName: null,
      lastName: null,
      hasPassword: false,
      locale: input.locale ?? null,
      timezone: input.timezone ?? null,
      emailVerification: null,
      createdUserId: null,
      createdSessionId: null,
      abandonAt: Date.now() + ABANDON_AFTER_MS,
    }
    this.#apply(attempt, input)
    this.#attempts.set(attempt.id, attempt)
    await this.#completeIfReady(attempt)
    return { ...attempt }
  }

  /** `PATCH /v1/client/sign_ups/:id`: adds or changes fields; a changed email address needs verifying again. */
  async update(clientId: string, id: string, body: unknown): Promise<SignUpAttempt> {
    const attempt = this.#requireOpen(clientId, id)
    this.#apply(attempt, parseClerkParams(fieldsSchema, body))
    await this.#completeIfReady(attempt)
    return { ...attempt }
  }

  get(clientId: string, id: string): SignUpAttempt {
    return { ...this.#require(clientId, id) }
  }

  /** `POST …/prepare_verification` with `strategy=email_code`: emails a fresh code (replacing any earlier one). */
  prepareVerification(clientId: string, id: string, body: unknown): SignUpAttempt {
    const attempt = this.#requireOpen(clientId, id)
    requireEmailCode(parseClerkParams(prepareSchema, body).strategy)
    if (!attempt.emailAddress) {
      throw new ClerkApiError(422, [
        { message: 'is missing', long_message: 'Enter email address.', code: 'form_param_missing', meta: { param_name: 'email_address' } },
      ])
    }
    if (attempt.emailVerification?.status === 'verified') throw alreadyVerified()
    attempt.emailVerification = {
      status: 'unverified',
      code: this.#outbox.sendVerificationCode(attempt.emailAddress, attempt.id),
      attempts: 0,
      expireAt: Date.now() + CODE_LIFETIME_MS,
      verifiedAtClient: null,
    }
    return { ...attempt }
  }

  /** `POST …/attempt_verification` with `strategy=email_code` and `code`: verifies, and completes when nothing else is missing. */
  async attemptVerification(clientId: string, id: string, body: unknown): Promise<SignUpAttempt> {
    const attempt = this.#requireOpen(clientId, id)
    const { strategy, code } = parseClerkParams(attemptSchema, body)
    requireEmailCode(strategy)
    const verification = attempt.emailVerification
    if (!verification) {
      throw new ClerkApiError(400, [
        {
          message: 'No verification',
          long_message: 'This email address has no code to check yet: prepare the verification first.',
          code: 'verification_missing',
        },
      ])
    }
    if (verification.status === 'verified') throw alreadyVerified()
    if (verificationStatus(verification) === 'expired') {
      throw new ClerkApiError(400, [
        { message: 'expired', long_message: 'This verification has expired. You must create a new one.', code: 'verification_expired' },
      ])
    }
    if (verificationStatus(verification) === 'failed') throw tooManyAttempts()
    verification.attempts += 1
    if (code !== verification.code) {
      throw new ClerkApiError(422, [
        { message: 'is incorrect', long_message: 'Incorrect code', code: 'form_code_incorrect', meta: { param_name: 'code' } },
      ])
    }
    Object.assign(verification, { status: 'verified', code: null, verifiedAtClient: clientId })
    await this.#completeIfReady(attempt)
    return { ...attempt }
  }

  /** SignUpJSON for the attempt, as the Frontend API answers it. */
  json(attempt: SignUpAttempt) {
    const verification = attempt.emailVerification
    return {
      object: 'sign_up',
      id: attempt.id,
      status: signUpStatus(attempt),
      required_fields: [...SIGN_UP_REQUIRED_FIELDS],
      optional_fields: [],
      missing_fields: missingFields(attempt),
      unverified_fields: attempt.emailAddress && verification?.status !== 'verified' ? ['email_address'] : [],
      verifications: {
        // null until prepared: @clerk/ui prepares (sends the code) only for a sign-up without a pending one.
        email_address: verification ? emailVerificationJson(verification) : null,
        phone_number: null,
        web3_wallet: null,
        external_account: null,
      },
      username: null,
      first_name: attempt.firstName,
      last_name: attempt.lastName,
      email_address: attempt.emailAddress,
      phone_number: null,
      web3_wallet: null,
      external_account_strategy: null,
      external_account: null,
      has_password: attempt.hasPassword,
      unsafe_metadata: {},
      created_session_id: attempt.createdSessionId,
      created_user_id: attempt.createdUserId,
      abandon_at: attempt.abandonAt,
      legal_accepted_at: null,
      locale: attempt.locale,
      timezone: attempt.timezone,
    }
  }

  /** Validates the fields (every problem at once, as Clerk's form errors) and stores the valid ones. */
  #apply(attempt: SignUpAttempt, input: z.output<typeof fieldsSchema>): void {
    const errors: ClerkErrorDetail[] = []
    if (input.email_address !== undefined) {
      const email = input.email_address.toLowerCase()
      if (email !== '' && !z.email().safeParse(email).success) {
        errors.push(formError('form_param_format_invalid', 'email_address', 'is invalid', 'email_address must be a valid email address.'))
      } else if (email !== '' && this.#instance.findUserByEmail(email)) {
        const taken = 'That email address is taken. Please try another.'
        errors.push(formError('form_identifier_exists', 'email_address', taken, taken))
      }
    }
    if (input.password !== undefined) {
      if (input.password.length < PASSWORD_SETTINGS.min_length) {
        const short = `Passwords must be ${PASSWORD_SETTINGS.min_length} characters or more.`
        errors.push(formError('form_password_length_too_short', 'password', short, short))
      } else if (input.password.length > PASSWORD_SETTINGS.max_length) {
        const long = `Passwords must be less than ${PASSWORD_SETTINGS.max_length + 1} characters.`
        errors.push(formError('form_password_length_too_long', 'password', long, long))
      }
    }
    for (const name of ['first_name', 'last_name'] as const) {
      if ((input[name]?.length ?? 0) > 256) errors.push(formError('form_param_format_invalid', name, 'is too long', `${name} must be at most 256 characters.`))
    }
    if (errors.length > 0) throw new ClerkApiError(422, errors)

    if (input.email_address !== undefined) {
      const email = input.email_address.toLowerCase() || null
      if (email !== attempt.emailAddress) attempt.emailVerification = null // a new address, a new code
      attempt.emailAddress = email
    }
    if (input.password !== undefined) {
      this.#passwords.set(attempt.id, input.password)
      attempt.hasPassword = true
    }
    if (input.first_name !== undefined) attempt.firstName = input.first_name || null
    if (input.last_name !== undefined) attempt.lastName = input.last_name || null
    if (input.locale !== undefined) attempt.locale = input.locale
    if (input.timezone !== undefined) attempt.timezone = input.timezone
  }

  /**
   * Nothing missing and the email address verified: the user is created through the instance (so the
   * `user.created` webhook is delivered before this answers) and signed in on this client.
   */
  async #completeIfReady(attempt: SignUpAttempt): Promise<void> {
    if (missingFields(attempt).length > 0 || attempt.emailVerification?.status !== 'verified') return
    const user = await this.#instance.createUser(
      { email_address: [attempt.emailAddress], password: this.#passwords.get(attempt.id), first_name: attempt.firstName, last_name: attempt.lastName },
      { emailVerificationStrategy: 'email_code' },
    )
    this.#passwords.delete(attempt.id)
    const session = this.#instance.createSession(user.id, attempt.clientId)
    Object.assign(attempt, { createdUserId: user.id, createdSessionId: session.id })
  }

  #require(clientId: string, id: string): SignUpAttempt {
    const attempt = this.#attempts.get(id)
    // Another client's sign-up is as unknown as one that never existed.
    if (!attempt || attempt.clientId !== clientId) throw resourceNotFound(`No sign up was found with id ${id}`)
    return attempt
  }

  /** A sign-up that can still change: not complete, not abandoned. */
  #requireOpen(clientId: string, id: string): SignUpAttempt {
    const attempt = this.#require(clientId, id)
    const status = signUpStatus(attempt)
    if (status === 'abandoned') throw resourceNotFound(`No sign up was found with id ${id}`)
    if (status === 'complete') {
      throw new ClerkApiError(400, [
        { message: 'Sign up already complete', long_message: 'This sign up has already been completed.', code: 'sign_up_already_complete' },
      ])
    }
    return attempt
  }
}

function signUpStatus(attempt: SignUpAttempt): SignUpStatus {
  if (attempt.createdUserId) return 'complete'
  return Date.now() > attempt.abandonAt ? 'abandoned' : 'missing_requirements'
}

function missingFields(attempt: SignUpAttempt): SignUpField[] {
  const provided: Record<SignUpField, boolean> = {
    email_address: attempt.emailAddress !== null,
    password: attempt.hasPassword,
    first_name: attempt.firstName !== null,
    last_name: attempt.lastName !== null,
  }
  return attempt.createdUserId ? [] : SIGN_UP_REQUIRED_FIELDS.filter((field) => !provided[field])
}

function verificationStatus(verification: EmailCodeVerification): 'unverified' | 'verified' | 'expired' | 'failed' {
  if (verification.status === 'verified') return 'verified'
  if (verification.attempts >= MAX_CODE_ATTEMPTS) return 'failed'
  return Date.now() > verification.expireAt ? 'expired' : 'unverified'
}

/** Clerk's SignUpVerificationJSON; `next_action` as Clerk derives it from the status. */
function emailVerificationJson(verification: EmailCodeVerification) {
  const status = verificationStatus(verification)
  return {
    object: 'verification',
    status,
    strategy: 'email_code',
    attempts: verification.attempts,
    expire_at: verification.expireAt,
    verified_at_client: verification.verifiedAtClient,
    error: null,
    next_action: status === 'verified' ? '' : status === 'unverified' ? 'needs_attempt' : 'needs_prepare',
    supported_strategies: ['email_code'],
  }
}

function requireEmailCode(strategy: string): void {
  if (strategy !== 'email_code') {
    throw new ClerkApiError(422, [
      formError('form_param_value_invalid', 'strategy', 'is invalid', 'strategy does not match one of the allowed values for parameter strategy'),
    ])
  }
}

function alreadyVerified(): ClerkApiError {
  return new ClerkApiError(400, [
    { message: 'already verified', long_message: 'This verification has already been verified.', code: 'verification_already_verified' },
  ])
}

function tooManyAttempts(): ClerkApiError {
  return new ClerkApiError(400, [
    {
      message: 'failed',
      long_message: 'Too many failed attempts. You have to try again with the same or another method.',
      code: 'verification_failed',
    },
  ])
}

function formError(code: string, paramName: string, message: string, longMessage: string): ClerkErrorDetail {
  return { message, long_message: longMessage, code, meta: { param_name: paramName } }
}
