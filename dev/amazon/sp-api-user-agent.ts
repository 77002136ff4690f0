import type { IncomingHttpHeaders } from 'node:http'
import type { Reply } from './http-io.ts'
import { invalidInput } from './sp-api-errors.ts'

/** SP-API refuses a User-Agent longer than this many characters. */
export const MAX_USER_AGENT_LENGTH = 500

/**
 * SP-API's User-Agent rule: every call must carry one, and Amazon rejects one over 500 characters.
 * Only presence and length are checked: the docs show the `AppName/Version (Language=…)` form as what
 * is acceptable but name no check of it. A blank header counts as none.
 */
export function userAgentProblem(headers: IncomingHttpHeaders): Reply | undefined {
  const userAgent = (headers['user-agent'] ?? '').trim()
  // Amazon documents the rule, not its answer: InvalidInput (400) is SP-API's error for a request it refuses as sent.
  if (userAgent === '') return invalidInput('The User-Agent header is missing.')
  if (userAgent.length > MAX_USER_AGENT_LENGTH) return invalidInput(`The User-Agent header is longer than ${MAX_USER_AGENT_LENGTH} characters.`)
  return undefined
}
