// The API keys page's rules and wording: the scopes a key can get (the Worker's own table), the create form's
// defaults and checks, what the Worker's 400 says about each field, a key's status and dates, the curl line.
// No React and no client: node tests load this file.
import { API_KEY_SCOPES, type Scope } from '../../worker/src/auth/scopes.ts'
import { ApiError } from './api/api-error.ts'
import { relativeTime, timeAgo } from './relative-time.ts'

export type { Scope }

/** Every scope, in the Worker's order, with what it allows. */
export const SCOPE_CHOICES: ReadonlyArray<{ scope: Scope; description: string }> = (Object.keys(API_KEY_SCOPES) as Scope[]).map((scope) => ({
  scope,
  description: API_KEY_SCOPES[scope],
}))

/** What most scripts need: read the accounts, call Amazon for them. Nothing that changes accounts or reads buyers. */
export const DEFAULT_SCOPES: readonly Scope[] = ['accounts:read', 'amazon:proxy']

/** `amazon:proxy:pii` works only on top of `amazon:proxy`: the proxy's routes need that first. */
const NEEDS: Partial<Record<Scope, Scope>> = { 'amazon:proxy:pii': 'amazon:proxy' }

/**
 * The scopes after ticking (`checked`) or clearing one: a scope brings the one it needs along, and clearing a
 * scope clears those that need it. In the Worker's order, each once.
 */
export function toggleScope(selected: readonly Scope[], scope: Scope, checked: boolean): Scope[] {
  const next = new Set(selected)
  if (checked) {
    next.add(scope)
    const needed = NEEDS[scope]
    if (needed) next.add(needed)
  } else {
    next.delete(scope)
    for (const [dependent, needed] of Object.entries(NEEDS) as Array<[Scope, Scope]>) if (needed === scope) next.delete(dependent)
  }
  return SCOPE_CHOICES.map((choice) => choice.scope).filter((s) => next.has(s))
}

/** The note a scope's checkbox carries besides its description, when it needs another. */
export function scopeRequirement(scope: Scope): string | null {
  const needed = NEEDS[scope]
  return needed ? `Needs ${needed}, which is ticked with it.` : null
}

export const EXPIRY_CHOICES = [
  { value: '30', days: 30, label: 'In 30 days' },
  { value: '90', days: 90, label: 'In 90 days' },
  { value: '365', days: 365, label: 'In 365 days' },
  { value: 'never', days: null, label: 'Never' },
] as const satisfies ReadonlyArray<{ value: string; days: number | null; label: string }>

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value']
export const DEFAULT_EXPIRY: ExpiryChoice = '90'

/** `expires_in_days` for the request: null never expires. */
export function expiresInDays(choice: ExpiryChoice): number | null {
  return EXPIRY_CHOICES.find((c) => c.value === choice)!.days
}

/** The Worker's rule: 3–64 characters once surrounding white space is gone. */
export const KEY_NAME_LENGTH = { min: 3, max: 64 } as const

/** What is wrong with a name before it is sent, or null. The Worker checks the rest (control characters…). */
export function nameProblem(raw: string): string | null {
  const name = raw.trim()
  if (name === '') return 'Give the key a name.'
  if (name.length < KEY_NAME_LENGTH.min) return `Use at least ${KEY_NAME_LENGTH.min} characters.`
  if (name.length > KEY_NAME_LENGTH.max) return `Use at most ${KEY_NAME_LENGTH.max} characters (this is ${name.length}).`
  return null
}

export function scopesProblem(scopes: readonly Scope[]): string | null {
  return scopes.length === 0 ? 'Choose at least one scope.' : null
}

export type KeyFormErrors = { name?: string; scopes?: string; expiry?: string; form?: string }

const FIELD_OF: Record<string, keyof KeyFormErrors> = { 'json.name': 'name', 'json.scopes': 'scopes', 'json.expires_in_days': 'expiry' }

const sentence = (text: string) => {
  const trimmed = text.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/**
 * A failed create, as messages by field: the Worker's 400 `invalid_request` names each field in `details.issues`
 * (`json.name`, `json.scopes.1`…), its 409 `key_name_taken` is about the name; anything else (503
 * auth_unavailable, a network failure) is about the form.
 */
export function createErrors(error: unknown): KeyFormErrors {
  if (!(error instanceof ApiError)) return { form: 'Something went wrong while creating the key. Try again.' }
  if (error.code === 'key_name_taken') return { name: error.message }
  const issues = error.code === 'invalid_request' ? error.details?.issues : undefined
  if (!Array.isArray(issues) || issues.length === 0) return { form: error.message }
  const errors: KeyFormErrors = {}
  for (const issue of issues as Array<{ path?: unknown; message?: unknown }>) {
    const path = typeof issue.path === 'string' ? issue.path : ''
    const message = typeof issue.message === 'string' ? issue.message : 'is not valid'
    const field = Object.entries(FIELD_OF).find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? 'form'
    errors[field] ??= field === 'form' ? error.message : sentence(message)
  }
  return errors
}

export type KeyStatus = 'active' | 'revoked' | 'expired'
export const STATUS_LABELS: Record<KeyStatus, string> = { active: 'Active', revoked: 'Revoked', expired: 'Expired' }

/** Revoked outranks expired; a key past its expiry reads as expired even before the list is read again. */
export function keyStatus(key: { revoked: boolean; expired: boolean; expires_at: string | null }, now = Date.now()): KeyStatus {
  if (key.revoked) return 'revoked'
  if (key.expired || (key.expires_at !== null && Date.parse(key.expires_at) <= now)) return 'expired'
  return 'active'
}

const mediumDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium' })
const inDays = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const DAY_MS = 86_400_000

/**
 * "in 90 days (Feb 24, 2027)", "2 days ago (Nov 24, 2026)", or "Never". In days, as the form offers them (30 days
 * is not "next month"); within a day, hours or minutes.
 */
export function expiryText(expiresAt: string | null, now = Date.now()): string {
  if (expiresAt === null) return 'Never'
  const days = Math.round((Date.parse(expiresAt) - now) / DAY_MS)
  const relative = days === 0 ? relativeTime(expiresAt, now) : inDays.format(days, 'day')
  return `${relative} (${mediumDate.format(new Date(expiresAt))})`
}

/** "12 minutes ago", or "Never" for a key no request has used yet. */
export function lastUsedText(lastUsedAt: string | null, now = Date.now()): string {
  return lastUsedAt === null ? 'Never' : timeAgo(lastUsedAt, now)
}

/** A ready-to-run first call with the key: the caller's accounts. */
export function curlCommand(origin: string, secret: string): string {
  return `curl -H "Authorization: Bearer ${secret}" ${origin.replace(/\/$/, '')}/api/accounts`
}
