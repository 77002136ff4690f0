import { describe, expect, it } from 'vitest'
import { ADS_EU_HOST, CLIENT, EU_SELLER, NA_HOST, NA_SELLER, adsAccessToken, call, control, spApi, spApiAccessToken, start } from './stand-in-client.ts'

describe('throttle counters', () => {
  it('count 429s per subject and operation, SP-API and Ads, bucket and injected alike; zero when Amazon never throttled', async () => {
    const { standIn } = await start({
      rateLimits: { getMarketplaceParticipations: { rate: 0.001, burst: 1 } },
      adsRateLimit: { rate: 0.001, burst: 1 },
    })
    const euToken = await spApiAccessToken(standIn)
    const naToken = await spApiAccessToken(standIn, NA_SELLER)
    expect(standIn.throttles()).toEqual([])
    expect((await control(standIn, 'GET', '/throttles')).body).toEqual({ total: 0, throttles: [] })

    for (let i = 0; i < 3; i++) await spApi(standIn, euToken, '/sellers/v1/marketplaceParticipations')
    await spApi(standIn, naToken, '/sellers/v1/marketplaceParticipations', { host: NA_HOST })
    standIn.throttleNext('sp_api')
    await spApi(standIn, naToken, '/orders/v0/orders', { host: NA_HOST })

    const adsToken = await adsAccessToken(standIn)
    const profiles = (scope: string) =>
      call(standIn.amazonUrl(ADS_EU_HOST, `/v2/profiles/${scope}`), {
        headers: { authorization: `Bearer ${adsToken}`, 'amazon-advertising-api-clientid': CLIENT.clientId, 'amazon-advertising-api-scope': scope },
      })
    for (let i = 0; i < 2; i++) await profiles('2000000000001')

    expect(standIn.throttles({ subject: EU_SELLER })).toEqual([{ subject: EU_SELLER, kind: 'sp_api', operation: 'getMarketplaceParticipations', count: 2 }])
    expect(standIn.throttles({ subject: NA_SELLER })).toEqual([{ subject: NA_SELLER, kind: 'sp_api', operation: 'getOrders', count: 1 }])
    const overHttp = await control(standIn, 'GET', '/throttles?subject=2000000000001')
    expect(overHttp.body).toEqual({ total: 1, throttles: [{ subject: '2000000000001', kind: 'ads', operation: 'getProfile', count: 1 }] })
    expect((await control(standIn, 'GET', '/throttles')).body.total).toBe(4)
    expect(JSON.stringify(standIn.throttles())).not.toContain(euToken)

    // The counters are read from the request log: clearing it starts them over.
    await control(standIn, 'DELETE', '/requests')
    expect(standIn.throttles()).toEqual([])
  })
})
