// Runs the Clerk stand-in on its own:
//   npx node dev/clerk/main.ts [--port 0] [--authorized-party URL] [--webhook-url URL]
// Keys are the local stack's (.sellersync/: signing key, and the Backend API secret key and webhook
// secret in local-secrets.json), so a standalone stand-in accepts what the rest of the stack uses.
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadOrCreateLocalSecrets } from '../local-secrets.ts'
import { startClerkStandIn } from './server.ts'

const stateDir = join(import.meta.dirname, '..', '..', '.sellersync')
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'authorized-party': { type: 'string', default: 'http://localhost:8787' },
    'webhook-url': { type: 'string' },
  },
})

const secrets = await loadOrCreateLocalSecrets(stateDir)
const webhookUrl = values['webhook-url']
const standIn = await startClerkStandIn({
  port: Number(values.port),
  keyDir: stateDir,
  secretKey: secrets.clerkSecretKey,
  authorizedParty: values['authorized-party'],
  webhook: webhookUrl ? { url: webhookUrl, secret: secrets.clerkWebhookSecret } : undefined,
  log: (message) => console.error(message),
})

console.log(`Clerk stand-in on ${standIn.url} (secret key and webhook secret: ${join(stateDir, 'local-secrets.json')})`)
console.log(`  JWKS            ${standIn.url}/.well-known/jwks.json  (kid ${standIn.instanceId})`)
console.log(`  publishable key ${standIn.publishableKey}`)
console.log(`  Frontend API    ${standIn.url}/v1/client… as https://${standIn.frontendApiHost} (key ${standIn.frontendApiPublishableKey})`)
console.log(`  webhooks        ${webhookUrl ?? 'off (--webhook-url)'}`)
console.log(`  email outbox    ${standIn.url}/__dev/email-outbox  (sign-up codes; secret key)`)
console.log(`  API keys        ${standIn.url}/v1/api_keys… (Backend API), ${standIn.url}/api_keys… (Frontend API, <APIKeys/>)`)
console.log(`  test controls   ${standIn.url}/__dev/faults, /__dev/api-keys/verifications, /__dev/api-keys/clock  (secret key)`)
console.log(`  JWT public key (CLERK_JWT_KEY):\n${standIn.publicKeyPem}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void standIn.stop().then(() => process.exit(0)))
}
