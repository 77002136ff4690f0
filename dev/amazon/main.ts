// Runs the Amazon stand-in on its own:
//   npx node dev/amazon/main.ts [--port 0] [--client-id ID] [--client-secret SECRET]
//                               [--application-id ID] [--redirect-uri URL]...
// One port serves every Amazon host: https://{host}{path} becomes {url}/{host}{path}.
// The default client is a fixed, local-only Login with Amazon app; pass your own to match .dev.vars.
import { parseArgs } from 'node:util'
import { adsRegions, regions, spApiRegions } from '../../worker/src/amazon/regions.ts'
import { startAmazonStandIn } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'amzn1.application-oa2-client.sellersynclocal' },
    'client-secret': { type: 'string', default: 'amzn1.oa2-cs.v1.sellersync-local-development-only' },
    'application-id': { type: 'string', default: 'amzn1.sp.solution.sellersync-local' },
    'redirect-uri': { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
  },
})

const standIn = await startAmazonStandIn({
  port: Number(values.port),
  clients: [
    {
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      applicationId: values['application-id'],
      name: 'sellersync (local)',
      redirectUris: values['redirect-uri']?.length ? values['redirect-uri'] : undefined,
    },
  ],
  log: values.quiet ? undefined : (line) => console.error(line),
})

console.log(`Amazon stand-in on ${standIn.url}`)
console.log(`  LWA client id   ${values['client-id']} (secret from --client-secret; the default is for local use only)`)
console.log(`  SP-API app id   ${values['application-id']}`)
for (const region of regions) {
  console.log(
    `  ${region}  SP-API ${standIn.amazonUrl(spApiRegions[region].apiHost, '/')}  Ads ${standIn.amazonUrl(adsRegions[region].apiHost, '/')}  consent ${standIn.amazonUrl(adsRegions[region].authorizeHost, '/ap/oa')}`,
  )
}
console.log(`  token endpoint  ${standIn.amazonUrl('api.amazon.com', '/auth/o2/token')}`)
console.log(`  controls        ${standIn.url}/__control/{requests,throttles,faults,latency,rate-limits,next-seller,revoke,reset,…}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void standIn.stop().then(() => process.exit(0)))
}
