import { createClient } from '@supabase/supabase-js'
import { inject } from 'vitest'

/** The service-role client, for tests to arrange and inspect rows behind the API's back. */
export function serviceClient() {
  return createClient(inject('supabaseUrl'), inject('supabaseServiceRoleKey'), {
    auth: { persistSession: false, autoRefreshToken: false },
  })
}
