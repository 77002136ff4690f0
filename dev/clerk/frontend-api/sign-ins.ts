import { z } from 'zod'
import { clerkId } from '../clerk-ids.ts'
import { ClerkApiError, parseClerkParams, resourceNotFound } from '../clerk-errors.ts'
import type { ClerkInstance } from '../clerk-instance.ts'
import type { ClerkUser } from '../users.ts'

/**
 * Sign-in attempts (`/v1/client/sign_ins`), the Frontend API's SignIn object, for the one strategy this
 * instance offers: email address + password. Its JSON is Clerk's SignInJSON (clerk/javascript
 * packages/shared/src/types/signIn.ts); clerk-js and @clerk/ui drive their form from `status` and
 * `supported_first_factors`.
 */
export type SignInStatus = 'needs_identifier' | 'needs_first_factor' | 'complete'

export type SignInAttempt = {
  id: string
  clientId: string
  status: SignInStatus
  identifier: string | null
  userId: string | null
  createdSessionId: string | null
  passwordAttempts: number
  verifiedAt: number | null
  abandonAt: number
}

// A sign-in attempt Clerk has not seen finished is abandoned after a day.
const ABANDON_AFTER_MS = 24 * 60 * 60 * 1000

const createSchema = z.object({
  identifier: z.string().trim().min(1).optional(),
  strategy: z.string().optional(),
  password: z.string().optional(),
  locale: z.string().optional(),
})

const attemptSchema = z.object({ strategy: z.string().min(1), password: z.string().optional() })

export class SignIns {
  readonly #attempts = new Map<string, SignInAttempt>()
  readonly #instance: ClerkInstance

  constructor(instance: ClerkInstance) {
    this.#instance = instance
  }

  /** `POST /v1/client/sign_ins`: identifies the user; with `strategy=password` it also tries the password. */
  create(clientId: string, body: unknown): SignInAttempt {
    const input = parseClerkParams(createSchema, body)
    const attempt: SignInAttempt = {
      id: clerkId('sia'),
      clientId,
      status: 'needs_identifier',
      identifier: null,
      userId: null,
      createdSessionId: null,
      passwordAttempts: 0,
      verifiedAt: null,
      abandonAt: Date.now() + ABANDON_AFTER_MS,
    }
    if (input.identifier !== undefined) {
      const user = this.#instance.findUserByEmail(input.identifier)
      if (!user) {
        throw new ClerkApiError(422, [
          {
            message: "Couldn't find your account.",
            long_message: "Couldn't find your account.",
            code: 'form_identifier_not_found',
            meta: { param_name: 'identifier' },
          },
        ])
      }
      Object.assign(attempt, { status: 'needs_first_factor', identifier: input.identifier.toLowerCase(), userId: user.id })
    }
    this.#attempts.set(attempt.id, attempt)
    if (input.strategy !== undefined && attempt.userId) this.attemptFirstFactor(clientId, attempt.id, input)
    return { ...attempt }
  }

  get(clientId: string, id: string): SignInAttempt {
    return { ...this.#require(clientId, id) }
  }

  /** `POST /v1/client/sign_ins/:id/attempt_first_factor` with `strategy=password`: signs in or says why not. */
  attemptFirstFactor(clientId: string, id: string, body: unknown): SignInAttempt {
    const attempt = this.#require(clientId, id)
    const { strategy, password } = parseClerkParams(attemptSchema, body)
    if (attempt.status !== 'needs_first_factor' || !attempt.userId) {
      throw new ClerkApiError(400, [
        {
          message: 'Verification failed',
          long_message: 'This sign in attempt does not need a first factor verification.',
          code: 'verification_not_needed',
        },
      ])
    }
    if (strategy !== 'password') {
      throw new ClerkApiError(422, [
        {
          message: 'is invalid',
          long_message: `strategy does not match one of the allowed values for parameter strategy`,
          code: 'form_param_value_invalid',
          meta: { param_name: 'strategy' },
        },
      ])
    }
    if (!password) {
      throw new ClerkApiError(422, [
        { message: 'is missing', long_message: 'Enter password.', code: 'form_param_missing', meta: { param_name: 'password' } },
      ])
    }
    attempt.passwordAttempts += 1
    if (!this.#instance.verifyPassword(attempt.userId, password)) {
      throw new ClerkApiError(422, [
        {
          message: 'Password is incorrect. Try again, or use another method.',
          long_message: 'Password is incorrect. Try again, or use another method.',
          code: 'form_password_incorrect',
          meta: { param_name: 'password' },
        },
      ])
    }
    const session = this.#instance.createSession(attempt.userId, clientId)
    Object.assign(attempt, { status: 'complete', createdSessionId: session.id, verifiedAt: Date.now() })
    return { ...attempt }
  }

  /** SignInJSON for the attempt, as the Frontend API answers it. */
  json(attempt: SignInAttempt) {
    const user = attempt.userId ? this.#instance.getUser(attempt.userId) : null
    const email = user?.email_addresses.find((e) => e.email_address === attempt.identifier)
    return {
      object: 'sign_in',
      id: attempt.id,
      status: attempt.status,
      supported_identifiers: ['email_address'],
      identifier: attempt.identifier,
      user_data: user ? userData(user) : null,
      supported_first_factors:
        attempt.status === 'needs_identifier' || !user?.password_enabled ? [] : [{ strategy: 'password' }],
      supported_second_factors: null,
      first_factor_verification:
        attempt.passwordAttempts === 0
          ? null
          : {
              object: 'verification',
              status: attempt.status === 'complete' ? 'verified' : 'unverified',
              strategy: 'password',
              attempts: attempt.passwordAttempts,
              expire_at: null,
              verified_at_client: null,
              error: null,
            },
      second_factor_verification: null,
      created_session_id: attempt.createdSessionId,
      abandon_at: attempt.abandonAt,
      ...(email ? { identifier_id: email.id } : {}),
    }
  }

  #require(clientId: string, id: string): SignInAttempt {
    const attempt = this.#attempts.get(id)
    // Another client's attempt is as unknown as one that never existed.
    if (!attempt || attempt.clientId !== clientId) throw resourceNotFound(`No sign in was found with id ${id}`)
    return attempt
  }
}

function userData(user: ClerkUser) {
  return {
    first_name: user.first_name ?? undefined,
    last_name: user.last_name ?? undefined,
    image_url: user.image_url,
    has_image: user.has_image,
  }
}
