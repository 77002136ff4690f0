import { check, type Db } from './supabase.ts'
import type { UserRow } from './database-types.ts'

export type Profile = Pick<UserRow, 'id' | 'email' | 'first_name' | 'last_name' | 'image_url' | 'created_at' | 'updated_at'>

/** The caller's own row, through their RLS-scoped client; null until Clerk's webhook has synced it. */
export async function getProfile(db: Db, userId: string): Promise<Profile | null> {
  return check(
    'read profile',
    await db.from('users').select('id, email, first_name, last_name, image_url, created_at, updated_at').eq('id', userId).maybeSingle(),
  )
}

/** Upserts a Clerk user unless a newer event already wrote it; true when applied. Service role. */
export async function syncClerkUser(
  db: Db,
  user: { id: string; email: string | null; firstName: string | null; lastName: string | null; imageUrl: string | null; updatedAt: number },
): Promise<boolean> {
  const applied = check(
    'sync user',
    await db.rpc('sync_clerk_user', {
      p_id: user.id,
      p_email: user.email,
      p_first_name: user.firstName,
      p_last_name: user.lastName,
      p_image_url: user.imageUrl,
      p_clerk_updated_at: user.updatedAt,
    }),
  )
  return applied === true
}

/**
 * Deletes the user for good: a tombstone keeps a late user.updated from bringing them back, and the schema
 * cascades to their accounts, credentials and OAuth states. Service role.
 */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  check('delete user', await db.rpc('delete_clerk_user', { p_id: userId }))
}
