import type { Bindings } from './env.ts'

/** Hono's environment type for every router in the Worker. */
export type AppEnv = { Bindings: Bindings }
