// `@auth-adapter` is resolved at build time (next.config.ts) to the Clerk or the local implementation.
declare module '@auth-adapter' {
  import type { AuthAdapter } from './auth-adapter.ts'
  export const authAdapter: AuthAdapter
}
