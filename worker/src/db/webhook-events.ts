import { check, type Db } from './supabase.ts'

/** Whether a Svix message was already processed (Svix redelivers on timeouts and errors). */
export async function wasProcessed(db: Db, svixId: string): Promise<boolean> {
  const row = check('read webhook event', await db.from('webhook_events').select('svix_id').eq('svix_id', svixId).maybeSingle())
  return row !== null
}

/** Records a processed message; a concurrent duplicate that got here first is fine. */
export async function markProcessed(db: Db, svixId: string, type: string): Promise<void> {
  check('record webhook event', await db.from('webhook_events').upsert({ svix_id: svixId, type }, { onConflict: 'svix_id', ignoreDuplicates: true }))
}
