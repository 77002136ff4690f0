import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { parseConfig } from '../src/env.ts'
import { configProblems } from './support/config-problems.ts'

const pem = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----'
const valid = {
  SUPABASE_URL: 'https://project.supabase.co',
  SUPABASE_ANON_KEY: 'anon',
  SUPABASE_SERVICE_ROLE_KEY: 'service',
  CLERK_JWT_KEY: pem,
  CLERK_AUTHORIZED_PARTIES: 'https://app.example.com, http://localhost:8787',
  CLERK_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
}

const problemsOf = (values: Record<string, unknown>) => configProblems(parseConfig, values)

describe('parseConfig', () => {
  it('accepts a complete configuration', () => {
    expect(parseConfig({ ...valid })).toMatchObject({ SUPABASE_URL: valid.SUPABASE_URL, CLERK_JWT_KEY: pem })
  })

  it('splits the authorized parties list', () => {
    expect(parseConfig({ ...valid }).CLERK_AUTHORIZED_PARTIES).toEqual(['https://app.example.com', 'http://localhost:8787'])
  })

  it('accepts a PEM whose newlines were pasted as \\n', () => {
    expect(parseConfig({ ...valid, CLERK_JWT_KEY: pem.replaceAll('\n', '\\n') }).CLERK_JWT_KEY).toBe(pem)
  })

  it('rejects a secret key or a JWKS where the PEM public key belongs', () => {
    expect(problemsOf({ ...valid, CLERK_JWT_KEY: 'sk_live_abc' })).toEqual([
      'CLERK_JWT_KEY is malformed (must be a PEM public key (-----BEGIN PUBLIC KEY-----))',
    ])
  })

  it('rejects an authorized party that is not an origin URL', () => {
    expect(problemsOf({ ...valid, CLERK_AUTHORIZED_PARTIES: 'https://ok.example, not a url' })[0]).toMatch(/^CLERK_AUTHORIZED_PARTIES is malformed/)
  })

  it('rejects a webhook secret without the whsec_ prefix', () => {
    expect(problemsOf({ ...valid, CLERK_WEBHOOK_SECRET: 'c2VjcmV0' })).toEqual(['CLERK_WEBHOOK_SECRET is malformed (must start with whsec_)'])
  })

  it('names every missing variable in one message', () => {
    const { SUPABASE_URL: _url, SUPABASE_SERVICE_ROLE_KEY: _key, ...partial } = valid
    expect(problemsOf(partial)).toEqual(['SUPABASE_URL is missing', 'SUPABASE_SERVICE_ROLE_KEY is missing'])
  })

  it('treats an empty value as missing', () => {
    expect(problemsOf({ ...valid, SUPABASE_ANON_KEY: '' })).toEqual(['SUPABASE_ANON_KEY is missing'])
  })

  it('names a malformed variable without echoing its value', () => {
    const [problem, ...rest] = problemsOf({ ...valid, SUPABASE_URL: 'ftp://secret-host' })
    expect(rest).toEqual([])
    expect(problem).toMatch(/^SUPABASE_URL is malformed/)
    expect(problem).not.toContain('secret-host')
  })
})

describe('a Worker started without configuration', () => {
  it('answers 503 with a JSON error naming what is missing', async () => {
    const { SUPABASE_URL: _dropped, ...rest } = env as unknown as Record<string, string>
    const response = await createApp().request('/api/health', {}, rest)
    expect(response.status).toBe(503)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('config_invalid')
    expect(body.error.message).toContain('SUPABASE_URL is missing')
  })
})
