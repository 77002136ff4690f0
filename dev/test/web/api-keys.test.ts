// The API keys page's pure parts: the scopes offered (the Worker's table), the form's defaults and checks, the
// Worker's 400 mapped onto the fields, a key's status and dates, the curl line shown with a new secret.
import { describe, expect, it } from 'vitest'
import { API_KEY_SCOPES } from '../../../worker/src/auth/scopes.ts'
import { ApiError } from '../../../web/lib/api/api-error.ts'
import {
  createErrors,
  curlCommand,
  DEFAULT_EXPIRY,
  DEFAULT_SCOPES,
  EXPIRY_CHOICES,
  expiresInDays,
  expiryText,
  keyStatus,
  lastUsedText,
  nameProblem,
  SCOPE_CHOICES,
  scopeRequirement,
  scopesProblem,
  toggleScope,
} from '../../../web/lib/api-keys.ts'

const now = Date.parse('2026-11-26T12:00:00Z')
const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString()

describe('the scopes a key can get', () => {
  it('offers every scope of the Worker, in its order, with its description; the default reads accounts and calls Amazon', () => {
    expect(SCOPE_CHOICES.map((c) => c.scope)).toEqual(['accounts:read', 'accounts:write', 'amazon:proxy', 'amazon:proxy:pii'])
    for (const { scope, description } of SCOPE_CHOICES) expect(description).toBe(API_KEY_SCOPES[scope])
    expect(DEFAULT_SCOPES).toEqual(['accounts:read', 'amazon:proxy'])
  })

  it('ticks amazon:proxy with amazon:proxy:pii, and clears the PII scope with amazon:proxy', () => {
    expect(toggleScope(['accounts:read'], 'amazon:proxy:pii', true)).toEqual(['accounts:read', 'amazon:proxy', 'amazon:proxy:pii'])
    expect(toggleScope(['accounts:read', 'amazon:proxy', 'amazon:proxy:pii'], 'amazon:proxy', false)).toEqual(['accounts:read'])
    expect(toggleScope(['amazon:proxy', 'amazon:proxy:pii'], 'amazon:proxy:pii', false)).toEqual(['amazon:proxy'])
    expect(scopeRequirement('amazon:proxy:pii')).toMatch(/^Needs amazon:proxy/)
    expect(scopeRequirement('accounts:read')).toBeNull()
  })

  it('keeps the Worker’s order and each scope once, whatever the order of the clicks', () => {
    let scopes = toggleScope([], 'amazon:proxy', true)
    scopes = toggleScope(scopes, 'accounts:write', true)
    scopes = toggleScope(scopes, 'accounts:write', true)
    scopes = toggleScope(scopes, 'accounts:read', true)
    expect(scopes).toEqual(['accounts:read', 'accounts:write', 'amazon:proxy'])
    expect(toggleScope(scopes, 'accounts:read', false)).toEqual(['accounts:write', 'amazon:proxy'])
  })
})

describe('the create form’s checks', () => {
  it('wants a name of 3–64 characters once trimmed, as the Worker does', () => {
    expect(nameProblem('')).toBe('Give the key a name.')
    expect(nameProblem('   ')).toBe('Give the key a name.')
    expect(nameProblem(' ab ')).toBe('Use at least 3 characters.')
    expect(nameProblem('  Nightly sync  ')).toBeNull()
    expect(nameProblem('x'.repeat(64))).toBeNull()
    expect(nameProblem('x'.repeat(65))).toBe('Use at most 64 characters (this is 65).')
  })

  it('wants at least one scope', () => {
    expect(scopesProblem([])).toBe('Choose at least one scope.')
    expect(scopesProblem(['accounts:read'])).toBeNull()
  })

  it('offers 30, 90 and 365 days and never, 90 by default', () => {
    expect(EXPIRY_CHOICES.map((c) => [c.label, expiresInDays(c.value)])).toEqual([
      ['In 30 days', 30],
      ['In 90 days', 90],
      ['In 365 days', 365],
      ['Never', null],
    ])
    expect(DEFAULT_EXPIRY).toBe('90')
  })
})

describe('createErrors', () => {
  const invalid = (issues: Array<{ path: string; message: string }>) =>
    new ApiError(400, 'invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues })

  it('puts each issue of the Worker’s 400 on the field it names', () => {
    expect(
      createErrors(
        invalid([
          { path: 'json.name', message: 'must not contain control characters' },
          { path: 'json.scopes.1', message: 'Invalid option: expected one of "accounts:read"|"accounts:write"' },
          { path: 'json.expires_in_days', message: 'Too big: expected number to be <=365' },
        ]),
      ),
    ).toEqual({
      name: 'Must not contain control characters.',
      scopes: 'Invalid option: expected one of "accounts:read"|"accounts:write".',
      expiry: 'Too big: expected number to be <=365.',
    })
  })

  it('keeps the first issue of a field, and says the rest about the form', () => {
    const error = invalid([
      { path: 'json.name', message: 'must be at least 3 characters' },
      { path: 'json.name', message: 'must not be blank' },
      { path: 'json', message: 'Unrecognized key: "subject"' },
    ])
    expect(createErrors(error)).toEqual({ name: 'Must be at least 3 characters.', form: error.message })
  })

  it('puts the Worker’s 409 for a name the user already gave a key on the name', () => {
    expect(createErrors(new ApiError(409, 'key_name_taken', 'You already have a key of that name; choose another.'))).toEqual({
      name: 'You already have a key of that name; choose another.',
    })
  })

  it('says anything else about the form: Clerk unavailable, a network failure, a render bug', () => {
    expect(createErrors(new ApiError(503, 'auth_unavailable', 'API keys cannot be managed right now; try again shortly.'))).toEqual({
      form: 'API keys cannot be managed right now; try again shortly.',
    })
    expect(createErrors(new ApiError(0, 'network_error', 'Could not reach the server.'))).toEqual({ form: 'Could not reach the server.' })
    expect(createErrors(new ApiError(400, 'invalid_request', 'Malformed JSON in request body'))).toEqual({ form: 'Malformed JSON in request body' })
    expect(createErrors(new TypeError('x is undefined')).form).toMatch(/^Something went wrong/)
  })
})

describe('a key’s status and dates', () => {
  const key = { revoked: false, expired: false, expires_at: inDays(90) as string | null }

  it('is revoked before expired, and expired once its date has passed even if the list says otherwise', () => {
    expect(keyStatus(key, now)).toBe('active')
    expect(keyStatus({ ...key, expires_at: null }, now)).toBe('active')
    expect(keyStatus({ ...key, revoked: true, expired: true }, now)).toBe('revoked')
    expect(keyStatus({ ...key, expired: true }, now)).toBe('expired')
    expect(keyStatus({ ...key, expires_at: inDays(-1) }, now)).toBe('expired')
  })

  it('words the expiry and the last use', () => {
    expect(expiryText(null, now)).toBe('Never')
    expect(expiryText(inDays(90), now)).toBe('in 90 days (Feb 24, 2027)')
    expect(expiryText(inDays(30), now)).toBe('in 30 days (Dec 26, 2026)')
    expect(expiryText(inDays(365), now)).toBe('in 365 days (Nov 26, 2027)')
    expect(expiryText(inDays(1), now)).toBe('tomorrow (Nov 27, 2026)')
    expect(expiryText(inDays(-2), now)).toBe('2 days ago (Nov 24, 2026)')
    expect(expiryText(new Date(now + 3 * 3_600_000).toISOString(), now)).toBe('in 3 hours (Nov 26, 2026)')
    expect(lastUsedText(null, now)).toBe('Never')
    expect(lastUsedText(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5 minutes ago')
  })
})

describe('curlCommand', () => {
  it('calls the accounts list with the key, on this origin', () => {
    expect(curlCommand('https://app.sellersync.example', 'ak_abc123')).toBe('curl -H "Authorization: Bearer ak_abc123" https://app.sellersync.example/api/accounts')
    expect(curlCommand('http://localhost:8787/', 'ak_x')).toBe('curl -H "Authorization: Bearer ak_x" http://localhost:8787/api/accounts')
  })
})
