import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { parseAmazonConfig } from '../src/env.ts'
import { configProblems } from './support/config-problems.ts'

const bindings = env as unknown as Record<string, string>
const amazon = {
  APP_URL: 'https://app.example.com/',
  FERNET_KEYS: bindings.FERNET_KEYS!,
  LWA_CLIENT_ID: 'amzn1.application-oa2-client.test',
  LWA_CLIENT_SECRET: 'secret',
  SPAPI_APPLICATION_ID: 'amzn1.sp.solution.test',
}

const problemsOf = (values: Record<string, unknown>) => configProblems(parseAmazonConfig, values)

describe('parseAmazonConfig', () => {
  it('applies the defaults: redirect URI from APP_URL, Ads client = LWA client, not a draft app, real Amazon hosts', () => {
    const config = parseAmazonConfig({ ...amazon })
    expect(config).toMatchObject({
      appUrl: 'https://app.example.com',
      redirectUri: 'https://app.example.com/api/auth/amazon/callback',
      adsClientId: amazon.LWA_CLIENT_ID,
      adsClientSecret: amazon.LWA_CLIENT_SECRET,
      spApiDraftApp: false,
      amazonBaseUrl: undefined,
    })
  })

  it('takes the optional overrides, treating empty values as unset', () => {
    const config = parseAmazonConfig({ ...amazon, ADS_CLIENT_ID: 'ads-id', ADS_CLIENT_SECRET: '', SPAPI_DRAFT_APP: 'true', OAUTH_REDIRECT_URI: 'https://api.example.com/cb' })
    expect(config).toMatchObject({ adsClientId: 'ads-id', adsClientSecret: 'secret', spApiDraftApp: true, redirectUri: 'https://api.example.com/cb' })
  })

  it('names a malformed FERNET_KEYS without echoing it', () => {
    const [problem, ...rest] = problemsOf({ ...amazon, FERNET_KEYS: 'not-a-fernet-key' })
    expect(rest).toEqual([])
    expect(problem).toMatch(/^FERNET_KEYS is malformed \(key 1 of 1 is invalid/)
    expect(problem).not.toContain('not-a-fernet-key')
  })

  it('names every missing variable and rejects a bad SPAPI_DRAFT_APP', () => {
    expect(problemsOf({ APP_URL: amazon.APP_URL, SPAPI_DRAFT_APP: 'yes' })).toEqual([
      'FERNET_KEYS is missing',
      'LWA_CLIENT_ID is missing',
      'LWA_CLIENT_SECRET is missing',
      'SPAPI_APPLICATION_ID is missing',
      expect.stringMatching(/^SPAPI_DRAFT_APP is malformed/),
    ])
  })

  it('makes the Amazon routes answer 503 config_invalid when FERNET_KEYS is broken', async () => {
    const response = await createApp().request('/api/auth/amazon/callback?state=x', { headers: { 'cf-connecting-ip': '10.9.9.9' } }, { ...env, FERNET_KEYS: 'broken' })
    expect(response.status).toBe(503)
    expect(((await response.json()) as { error: { code: string; message: string } }).error.message).toContain('FERNET_KEYS is malformed')
  })
})
