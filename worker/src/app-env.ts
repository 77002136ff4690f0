import type { RequestIdVariables } from 'hono/request-id'
import type { Bindings } from './env.ts'

/** What requireSession puts on the context once the caller's Clerk session token is verified. */
export type SessionVariables = {
  userId: string
  sessionId: string
  /** The caller's own session token, forwarded to Supabase so row-level security applies. */
  sessionToken: string
}

/** Hono's environment type for every router in the Worker. */
export type AppEnv = {
  Bindings: Bindings
  Variables: RequestIdVariables & Partial<SessionVariables>
}

/** For routers mounted behind requireSession: the session variables are always there. */
export type SessionEnv = { Bindings: Bindings; Variables: RequestIdVariables & SessionVariables }
