import type { RequestIdVariables } from 'hono/request-id'
import type { Bindings } from './env.ts'

/** How the caller proved who they are: the dashboard's Clerk session, or a Clerk API key with scopes. */
export type Credential = { kind: 'session'; sessionId: string } | { kind: 'api_key'; keyId: string; scopes: string[] }

/** What requireCaller puts on the context once the caller's credential is verified. */
export type CallerVariables = {
  userId: string
  credential: Credential
  /**
   * The JWT PostgREST runs the caller's queries with, so row-level security applies: the Clerk session
   * token itself, or for an API key a 60-second token the Worker signs for the key's user.
   */
  databaseToken: string
}

/** Hono's environment type for every router in the Worker. */
export type AppEnv = {
  Bindings: Bindings
  Variables: RequestIdVariables & Partial<CallerVariables>
}

/** For routers mounted behind requireCaller: the caller variables are always there. */
export type SessionEnv = { Bindings: Bindings; Variables: RequestIdVariables & CallerVariables }
