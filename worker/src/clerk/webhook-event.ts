import { z } from 'zod'

/** The fields of Clerk's User object that we mirror (https://clerk.com/docs/reference/backend/types/backend-user). */
const clerkUser = z.object({
  id: z.string().min(1),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })).default([]),
  primary_email_address_id: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  image_url: z.string().nullable().optional(),
  updated_at: z.number().int().nonnegative(),
})

/** The events we act on; any other type is acknowledged and ignored. */
export const clerkWebhookEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user.created'), data: clerkUser }),
  z.object({ type: z.literal('user.updated'), data: clerkUser }),
  z.object({ type: z.literal('user.deleted'), data: z.object({ id: z.string().min(1), deleted: z.literal(true).optional() }) }),
])

export const anyClerkWebhookEvent = z.object({ type: z.string().min(1), data: z.unknown() })

export type ClerkUserData = z.infer<typeof clerkUser>

export function primaryEmail(user: ClerkUserData): string | null {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id)
  return (primary ?? user.email_addresses[0])?.email_address ?? null
}
