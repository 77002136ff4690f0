import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { ConfigError, parseConfig } from '../src/env.ts'

const valid = { SUPABASE_URL: 'https://project.supabase.co', SUPABASE_ANON_KEY: 'anon', SUPABASE_SERVICE_ROLE_KEY: 'service' }

function problemsOf(bindings: Record<string, unknown>): string[] {
  try {
    parseConfig(bindings)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('parseConfig', () => {
  it('accepts a complete configuration', () => {
    expect(parseConfig({ ...valid })).toMatchObject(valid)
  })

  it('names every missing variable in one message', () => {
    expect(problemsOf({ SUPABASE_ANON_KEY: 'anon' })).toEqual([
      'SUPABASE_URL is missing',
      'SUPABASE_SERVICE_ROLE_KEY is missing',
    ])
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
