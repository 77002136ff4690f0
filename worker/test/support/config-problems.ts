import { ConfigError } from '../../src/env.ts'

/** What a settings parser reports about `values`: its ConfigError's problems, or [] when they parse. */
export function configProblems(parse: (env: object) => unknown, values: Record<string, unknown>): string[] {
  try {
    parse(values)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}
