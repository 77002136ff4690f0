import { z } from 'zod'

/** What the cron puts on the token-refresh queue: which grant, and the lease its claim holds. No token, no ciphertext. */
export const refreshMessageSchema = z.object({ grantId: z.uuid(), leaseOwner: z.uuid() })

export type RefreshMessage = z.infer<typeof refreshMessageSchema>
