import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { clerkId } from './clerk-ids.ts'
import { ClerkApiError, parseClerkParams, resourceNotFound } from './clerk-errors.ts'

/** The Backend API's email address object (the parts a Clerk-integrated app reads). */
export type ClerkEmailAddress = {
  id: string
  object: 'email_address'
  email_address: string
  reserved: boolean
  verification: { status: 'verified'; strategy: string; attempts: null; expire_at: null }
  linked_to: []
  created_at: number
  updated_at: number
}

/** The Backend API's User object, as returned by `/v1/users` and carried by `user.*` webhooks. */
export type ClerkUser = {
  id: string
  object: 'user'
  external_id: string | null
  username: null
  first_name: string | null
  last_name: string | null
  image_url: string
  has_image: boolean
  primary_email_address_id: string | null
  primary_phone_number_id: null
  primary_web3_wallet_id: null
  email_addresses: ClerkEmailAddress[]
  phone_numbers: []
  web3_wallets: []
  passkeys: []
  external_accounts: []
  saml_accounts: []
  enterprise_accounts: []
  public_metadata: Record<string, unknown>
  private_metadata: Record<string, unknown>
  unsafe_metadata: Record<string, unknown>
  password_enabled: boolean
  two_factor_enabled: boolean
  totp_enabled: boolean
  backup_code_enabled: boolean
  banned: boolean
  locked: boolean
  last_sign_in_at: number | null
  last_active_at: number | null
  created_at: number
  updated_at: number
}

/** What `DELETE /v1/users/:id` answers and what a `user.deleted` event carries. */
export type DeletedClerkUser = { id: string; object: 'user'; deleted: true }

const optionalName = z.string().max(256).nullable().optional()

const createUserSchema = z.object({
  email_address: z.array(z.email()).min(1),
  first_name: optionalName,
  last_name: optionalName,
  external_id: z.string().nullable().optional(),
  image_url: z.url().nullable().optional(),
  // Clerk's Backend API takes a plain password (and stores only a hash); 8 characters is its default minimum.
  password: z.string().min(8).max(72).optional(),
})

const updateUserSchema = z.object({
  first_name: optionalName,
  last_name: optionalName,
  external_id: z.string().nullable().optional(),
  image_url: z.url().nullable().optional(),
  password: z.string().min(8).max(72).optional(),
})

/** Body of `POST /v1/users` (the subset the stand-in supports). */
export type CreateUserParams = z.input<typeof createUserSchema>
/** Body of `PATCH /v1/users/:id`: fields left out stay as they are, null clears them. */
export type UpdateUserParams = z.input<typeof updateUserSchema>

/** Query of `GET /v1/users` and `GET /v1/users/count`. */
export type UserListQuery = { email_address?: string[]; user_id?: string[]; limit?: number; offset?: number }

/**
 * How the new user's email addresses were verified: `admin` for the Backend API (an admin vouches for them),
 * `email_code` for a Frontend API sign-up that verified its address with a code.
 */
export type CreateUserOptions = { emailVerificationStrategy?: 'admin' | 'email_code' }

/** The instance's users, in memory. Returns copies so callers cannot change stored state by accident. */
export class UserDirectory {
  readonly #users = new Map<string, ClerkUser>()
  /** scrypt hashes by user id: never part of a User object, as with Clerk. */
  readonly #passwords = new Map<string, PasswordHash>()
  readonly #instanceId: string

  constructor(instanceId: string) {
    this.#instanceId = instanceId
  }

  create(params: unknown, { emailVerificationStrategy = 'admin' }: CreateUserOptions = {}): ClerkUser {
    const input = parseClerkParams(createUserSchema, params)
    const emails = [...new Set(input.email_address.map((email) => email.toLowerCase()))]
    const taken = emails.find((email) => this.#findByEmail(email))
    if (taken) {
      throw new ClerkApiError(422, [
        {
          message: 'That email address is taken. Please try another.',
          long_message: 'That email address is taken. Please try another.',
          code: 'form_identifier_exists',
          meta: { param_name: 'email_address' },
        },
      ])
    }
    const now = Date.now()
    const id = clerkId('user')
    const emailAddresses = emails.map(
      (email): ClerkEmailAddress => ({
        id: clerkId('idn'),
        object: 'email_address',
        email_address: email,
        reserved: false,
        verification: { status: 'verified', strategy: emailVerificationStrategy, attempts: null, expire_at: null },
        linked_to: [],
        created_at: now,
        updated_at: now,
      }),
    )
    const user: ClerkUser = {
      id,
      object: 'user',
      external_id: input.external_id ?? null,
      username: null,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      image_url: input.image_url ?? this.#defaultImageUrl(id),
      has_image: Boolean(input.image_url),
      primary_email_address_id: emailAddresses[0]?.id ?? null,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      email_addresses: emailAddresses,
      phone_numbers: [],
      web3_wallets: [],
      passkeys: [],
      external_accounts: [],
      saml_accounts: [],
      enterprise_accounts: [],
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      password_enabled: input.password !== undefined,
      two_factor_enabled: false,
      totp_enabled: false,
      backup_code_enabled: false,
      banned: false,
      locked: false,
      last_sign_in_at: null,
      last_active_at: null,
      created_at: now,
      updated_at: now,
    }
    this.#users.set(id, user)
    if (input.password !== undefined) this.#passwords.set(id, hashPassword(input.password))
    return structuredClone(user)
  }

  update(id: string, params: unknown): ClerkUser {
    const user = this.#require(id)
    const input = parseClerkParams(updateUserSchema, params)
    if (input.first_name !== undefined) user.first_name = input.first_name
    if (input.last_name !== undefined) user.last_name = input.last_name
    if (input.external_id !== undefined) user.external_id = input.external_id
    if (input.image_url !== undefined) {
      user.image_url = input.image_url ?? this.#defaultImageUrl(id)
      user.has_image = input.image_url !== null
    }
    if (input.password !== undefined) {
      this.#passwords.set(id, hashPassword(input.password))
      user.password_enabled = true
    }
    this.#touch(user)
    return structuredClone(user)
  }

  /** Records a sign-in, as Clerk does when a session is created. */
  recordSignIn(id: string): void {
    const user = this.#require(id)
    user.last_sign_in_at = Date.now()
    user.last_active_at = user.last_sign_in_at
  }

  /** Whether `password` is the user's password; false for users without one. */
  verifyPassword(id: string, password: string): boolean {
    this.#require(id)
    const stored = this.#passwords.get(id)
    if (!stored) return false
    return timingSafeEqual(scryptSync(password, stored.salt, stored.hash.length), stored.hash)
  }

  /** The user with this email address (any of theirs, case-insensitive), if any. */
  findByEmail(email: string): ClerkUser | undefined {
    const user = this.#findByEmail(email.toLowerCase())
    return user && structuredClone(user)
  }

  delete(id: string): DeletedClerkUser {
    this.#require(id)
    this.#users.delete(id)
    this.#passwords.delete(id)
    return { id, object: 'user', deleted: true }
  }

  get(id: string): ClerkUser {
    return structuredClone(this.#require(id))
  }

  exists(id: string): boolean {
    return this.#users.has(id)
  }

  /** Newest first, as Clerk's default `order_by=-created_at`; 10 per page unless `limit` says otherwise, as Clerk. */
  list(query: UserListQuery = {}): ClerkUser[] {
    const offset = query.offset ?? 0
    const limit = query.limit ?? 10
    return this.#matching(query)
      .slice(offset, offset + limit)
      .map((user) => structuredClone(user))
  }

  count(query: UserListQuery = {}): number {
    return this.#matching(query).length
  }

  #matching(query: UserListQuery): ClerkUser[] {
    const emails = query.email_address?.map((email) => email.toLowerCase())
    return [...this.#users.values()]
      .filter((user) => !query.user_id?.length || query.user_id.includes(user.id))
      .filter((user) => !emails?.length || user.email_addresses.some((e) => emails.includes(e.email_address)))
      .sort((a, b) => b.created_at - a.created_at)
  }

  #require(id: string): ClerkUser {
    const user = this.#users.get(id)
    if (!user) throw resourceNotFound(`No user was found with id ${id}`)
    return user
  }

  #findByEmail(email: string): ClerkUser | undefined {
    return [...this.#users.values()].find((user) => user.email_addresses.some((e) => e.email_address === email))
  }

  // updated_at strictly increases, even within one millisecond: the webhook consumer keeps the newest
  // version by comparing it, so two changes must never carry the same value.
  #touch(user: ClerkUser): void {
    user.updated_at = Math.max(Date.now(), user.updated_at + 1)
  }

  // Clerk serves a generated avatar for users without an image; the URL only has to look like one.
  #defaultImageUrl(userId: string): string {
    const descriptor = Buffer.from(JSON.stringify({ type: 'default', iid: this.#instanceId, rid: userId }))
    return `https://img.clerk.com/${descriptor.toString('base64url')}`
  }
}

type PasswordHash = { salt: Buffer; hash: Buffer }

function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16)
  return { salt, hash: scryptSync(password, salt, 32) }
}
