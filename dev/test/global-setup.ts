import type { TestProject } from 'vitest/node'
import { databaseChoiceFromEnv } from '../db/database.ts'
import { startLocalStack } from '../local-stack.ts'
import { workerBindings } from '../worker-bindings.ts'

/** Starts one throwaway local stack for the whole test run and hands its coordinates to every suite. */
export default async function setup(project: TestProject) {
  const authorizedParty = 'http://localhost:8787'
  const stack = await startLocalStack({ database: databaseChoiceFromEnv(), stateDir: null, authorizedParty })
  project.provide('databaseMode', stack.databaseMode)
  // Schema suites on a server create their own throwaway databases there (PGlite runs them in-process).
  project.provide('databaseServerUrl', stack.databaseMode === 'postgres' ? stack.databaseAdminUrl : '')
  project.provide('supabaseUrl', stack.supabaseUrl)
  project.provide('supabaseAnonKey', stack.secrets.supabaseAnonKey)
  project.provide('supabaseServiceRoleKey', stack.secrets.supabaseServiceRoleKey)
  project.provide('clerkUrl', stack.clerk.url)
  project.provide('clerkSecretKey', stack.secrets.clerkSecretKey)
  project.provide('clerkJwtKey', stack.clerk.publicKeyPem)
  project.provide('clerkAuthorizedParty', authorizedParty)
  project.provide('amazonUrl', stack.amazon.url)
  project.provide('workerBindings', workerBindings(stack, { authorizedParties: [authorizedParty] }))
  return () => stack.stop()
}
