import { describe, expect, inject, it } from 'vitest'
import { version } from '../../../package.json'
import { fetchAmazon } from '../../src/amazon/amazon-fetch.ts'
import { amazonUrl } from '../../src/amazon/amazon-url.ts'
import { AMAZON_USER_AGENT } from '../../src/amazon/user-agent.ts'
import { amazonControl } from '../support/amazon.ts'

/** SP-API's documented form: `AppName/Version (Language=LanguageName[/Version]; Attribute=Value; …)`. */
const SP_API_USER_AGENT = /^[^/\s()]+\/[^\s()]+ \(Language=[^;()=\s]+(?:\/[^;()\s]+)?(?:; [A-Za-z]+=[^;()]+)*\)$/

type Recorded = { requests: Array<{ status?: number; userAgent?: string }> }

describe('AMAZON_USER_AGENT', () => {
  it('is in SP-API format, names the app, its version, the language and the platform, and fits in 500 characters', () => {
    expect(AMAZON_USER_AGENT).toMatch(SP_API_USER_AGENT)
    expect(AMAZON_USER_AGENT).toBe(`sellersync/${version} (Language=TypeScript; Platform=Cloudflare-Workers)`)
    expect(AMAZON_USER_AGENT.length).toBeLessThanOrEqual(500)
  })
})

describe('fetchAmazon', () => {
  it('sends the User-Agent whatever headers the caller passes, even one of its own', async () => {
    const headerForms: Array<RequestInit['headers'] | undefined> = [
      undefined,
      { accept: 'application/json', 'User-Agent': 'someone-else/1.0' },
      new Headers({ 'user-agent': '' }),
      [['user-agent', 'x'.repeat(600)]],
    ]
    for (const headers of headerForms) {
      // A path of its own, so the stand-in's log shows this request alone (other suites share the stand-in).
      const path = `/user-agent-test/${crypto.randomUUID()}`
      const response = await fetchAmazon('SP-API', amazonUrl(inject('amazonUrl'), 'sellingpartnerapi-na.amazon.com', path), { headers })
      await response.body?.cancel()
      expect(response.status).toBe(404) // past the User-Agent check (400), to the unknown path
      const { requests } = await amazonControl<Recorded>('GET', `/requests?${new URLSearchParams({ path })}`)
      expect(requests).toEqual([expect.objectContaining({ status: 404, userAgent: AMAZON_USER_AGENT })])
    }
  })

  it("keeps the caller's other headers", async () => {
    const url = amazonUrl(inject('amazonUrl'), 'sellingpartnerapi-eu.amazon.com', '/sellers/v1/marketplaceParticipations')
    const response = await fetchAmazon('SP-API', url, { headers: { 'x-amz-access-token': 'Atza|not-a-token' } })
    expect(response.status).toBe(403)
    // The stand-in saw the token (it was not "missing") and accepted the User-Agent.
    const body = (await response.json()) as { errors: Array<{ code: string; details: string }> }
    expect(body.errors[0]).toMatchObject({ code: 'Unauthorized', details: 'The access token you provided is revoked, malformed or invalid.' })
  })
})
