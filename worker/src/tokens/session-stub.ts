import type { Bindings } from '../env.ts'

/** The grant's AccountSession: one object per grant id, wherever it is asked from. */
export function accountSession(env: Bindings, grantId: string) {
  return env.ACCOUNT_SESSION.get(env.ACCOUNT_SESSION.idFromName(grantId))
}
