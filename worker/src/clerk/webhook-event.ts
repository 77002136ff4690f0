import { z } from 'zod'
import { isBlank, safeText } from '../validation/safe-text.ts'

/** Clerk ids (`user_…`, `idn_…`): users.id allows at most 255 characters. */
const clerkId = safeText({ max: 255 })
/**
 * An optional profile text. Generous, and blank (empty, spaces, zero-width only) counts as absent:
 * refusing the event would leave the user unsynced until they edit their profile in Clerk.
 */
const profileText = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' && isBlank(value) ? null : value), safeText({ max }).nullable().optional())

/** The fields of Clerk's User object that we mirror (https://clerk.com/docs/reference/backend/types/backend-user). */
const clerkUser = z.object({
  id: clerkId,
  email_addresses: z.array(z.object({ id: clerkId, email_address: safeText({ max: 320 }) })).default([]),
  primary_email_address_id: clerkId.nullable().optional(),
  first_name: profileText(1024),
  last_name: profileText(1024),
  image_url: profileText(4096),
  updated_at: z.number().int().nonnegative(),
})

/** The events we act on; any other type is acknowledged and ignored. */
export const clerkWebhookEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user.created'), data: clerkUser }),
  z.object({ type: z.literal('user.updated'), data: clerkUser }),
  z.object({ type: z.literal('user.deleted'), data: z.object({ id: clerkId, deleted: z.literal(true).optional() }) }),
])

/** What every Clerk event has; the type is stored with the svix-id, so it must be storable text. */
export const anyClerkWebhookEvent = z.object({ type: safeText({ max: 128 }), data: z.unknown() })

export type ClerkUserData = z.infer<typeof clerkUser>

export function primaryEmail(user: ClerkUserData): string | null {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id)
  return (primary ?? user.email_addresses[0])?.email_address ?? null
}
