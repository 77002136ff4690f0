import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JWK } from 'jose'
import type { ApiKeyJson, CreateApiKeyParams, CreatedApiKeyJson, StoredApiKey } from './api-keys.ts'
import { ClerkInstance, type MintSessionTokenOptions } from './clerk-instance.ts'
import { type Fault, FaultInjector, type FaultSpec, type VerificationCounts, VerificationLog } from './dev-controls.ts'
import { EmailOutbox, type SentEmail } from './frontend-api/email-outbox.ts'
import { createFrontendApi } from './frontend-api/http-routes.ts'
import { createRequestHandler } from './http-api.ts'
import type { ClerkSession } from './sessions.ts'
import { loadOrCreateSigningKey } from './signing-key.ts'
import type { ClerkUser, CreateUserParams, DeletedClerkUser, UpdateUserParams, UserListQuery } from './users.ts'
import { type WebhookDeliveryAttempt, WebhookSender, type WebhookTarget } from './webhooks.ts'

export type { ClerkSession } from './sessions.ts'
export type { ClerkUser, CreateUserParams, DeletedClerkUser, UpdateUserParams, UserListQuery } from './users.ts'
export type { ClerkEvent, WebhookDeliveryAttempt, WebhookTarget } from './webhooks.ts'
export type { SessionTokenClaims } from './session-token.ts'
export type { MintSessionTokenOptions } from './clerk-instance.ts'
export type { SentEmail } from './frontend-api/email-outbox.ts'
export type { ApiKeyJson, CreateApiKeyParams, CreatedApiKeyJson, StoredApiKey } from './api-keys.ts'
export type { Fault, FaultSpec, VerificationCounts, VerificationOutcome } from './dev-controls.ts'

export type ClerkStandInOptions = {
  /** 0 or omitted: any free port. Always bound to 127.0.0.1. */
  port?: number
  /** Where the signing key persists (`.sellersync/`); null: a fresh key per start (tests). */
  keyDir: string | null
  /** The Backend API key callers must present, like `sk_test_…`. */
  secretKey: string
  /** The dashboard origin, put into tokens as `azp`. */
  authorizedParty: string
  /** Where to deliver `user.*` events; can be set later with `setWebhook`. */
  webhook?: WebhookTarget
  /** Session token lifetime; Clerk's default is 60 s. */
  sessionTokenLifetimeSeconds?: number
  /** Receives one line per failed webhook attempt; silent by default. */
  log?: (message: string) => void
  /**
   * The host name `frontendApiPublishableKey` names, shaped like a Clerk development instance's
   * (`<slug>.clerk.accounts.dev`); default `sellersync-local.clerk.accounts.dev`. See that field.
   */
  frontendApiHost?: string
}

export type ClerkStandIn = {
  /** Base URL of both APIs, e.g. `http://127.0.0.1:41234` (Backend API under `/v1`). */
  url: string
  /** `iss` of session tokens: the URL, without a trailing slash, as a Frontend API URL is. */
  issuer: string
  jwks: { keys: JWK[] }
  /** SPKI PEM of the signing key: `CLERK_JWT_KEY` / `jwtKey`. */
  publicKeyPem: string
  /**
   * `pk_test_…` encoding this stand-in's host (`127.0.0.1:PORT`), as Clerk's publishable keys encode the
   * Frontend API host: what the dashboard's local build reads to find the stand-in over plain http.
   */
  publishableKey: string
  /**
   * `pk_test_…` for the dashboard's Clerk build (clerk-js): it names `frontendApiHost`, a Clerk-style
   * development host, because clerk-js talks to its Frontend API over https only and runs the
   * development-instance (`__clerk_db_jwt` dev browser) flow only for such hosts. Nothing resolves that
   * name: a browser reaches this stand-in through it only where requests to `https://<frontendApiHost>/`
   * are mapped to `url` (the browser test routes them so).
   */
  frontendApiPublishableKey: string
  /** The host `frontendApiPublishableKey` names, e.g. `sellersync-local.clerk.accounts.dev`. */
  frontendApiHost: string
  /** The instance id (`ins_…`): the JWKS `kid` and webhooks' `instance_id`. */
  instanceId: string
  createUser(params: CreateUserParams): Promise<ClerkUser>
  updateUser(userId: string, params: UpdateUserParams): Promise<ClerkUser>
  deleteUser(userId: string): Promise<DeletedClerkUser>
  getUser(userId: string): ClerkUser
  listUsers(query?: UserListQuery): ClerkUser[]
  createSession(userId: string): ClerkSession
  revokeSession(sessionId: string): ClerkSession
  mintSessionToken(sessionId: string, options?: MintSessionTokenOptions): Promise<string>
  /** Every webhook delivery attempt so far, oldest first. */
  deliveries(): WebhookDeliveryAttempt[]
  /** The verification emails the Frontend API "sent" (sign-up codes), newest first; `+clerk_test` addresses get none. */
  emailOutbox(): SentEmail[]
  setWebhook(webhook: WebhookTarget | undefined): void
  /** `POST /v1/api_keys`: the key with its secret, the only time the secret is shown. */
  createApiKey(params: CreateApiKeyParams): CreatedApiKeyJson
  /** `POST /v1/api_keys/:id/revoke`. */
  revokeApiKey(apiKeyId: string, revocationReason?: string | null): ApiKeyJson
  /** What the stand-in keeps of its API keys: a SHA-256 of each secret, never the secret. */
  storedApiKeys(): StoredApiKey[]
  /** `POST /v1/api_keys/verify` calls received so far (`GET /__dev/api-keys/verifications`), all or one key's. */
  apiKeyVerifications(filter?: { apiKeyId?: string }): VerificationCounts
  resetApiKeyVerifications(): void
  /** Moves the API keys' clock forward (`POST /__dev/api-keys/clock`): keys expire without waiting. */
  advanceApiKeyClock(ms: number): void
  /** Makes Clerk fail (`POST /__dev/faults`); see dev-controls.ts. */
  addFault(spec: FaultSpec): Fault
  /** Deletes one fault or all (`DELETE /__dev/faults[/:id]`); requests a hang holds go on. */
  deleteFaults(id?: string): boolean
  stop(): Promise<void>
}

/** Starts the Clerk stand-in on 127.0.0.1. Resolves once it accepts connections. */
export async function startClerkStandIn(options: ClerkStandInOptions): Promise<ClerkStandIn> {
  const signingKey = await loadOrCreateSigningKey(options.keyDir)
  const jwks = { keys: [signingKey.publicJwk] }
  const webhooks = new WebhookSender(signingKey.kid, options.log)
  webhooks.setTarget(options.webhook)

  // The issuer is the listening URL, known only once the port is bound; requests need it, so the
  // handler is attached after listen (nothing can connect before the URL is handed out).
  const server = createServer()
  // Idle connections are for the client (workerd) to close: closing first races its next request (see dev/gateway.ts).
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = `127.0.0.1:${port}`
  const url = `http://${host}`

  const instance = new ClerkInstance({
    signingKey,
    issuer: url,
    authorizedParty: options.authorizedParty,
    sessionTokenLifetimeSeconds: options.sessionTokenLifetimeSeconds ?? 60,
    webhooks,
  })
  const emailOutbox = new EmailOutbox()
  const faults = new FaultInjector()
  const verifications = new VerificationLog()
  const frontendApi = createFrontendApi({ instance, appOrigin: new URL(options.authorizedParty).origin, instanceId: signingKey.kid, emailOutbox })
  server.on(
    'request',
    createRequestHandler({
      instance,
      jwks,
      secretKey: options.secretKey,
      authorizedParty: options.authorizedParty,
      deliveries: () => webhooks.attempts(),
      emailOutbox: () => emailOutbox.list(),
      frontendApi,
      faults,
      verifications,
    }),
  )
  const frontendApiHost = options.frontendApiHost ?? 'sellersync-local.clerk.accounts.dev'
  const publishableKeyFor = (fapiHost: string) => `pk_test_${Buffer.from(`${fapiHost}$`).toString('base64').replace(/=+$/, '')}`

  let stopped: Promise<void> | undefined
  return {
    url,
    issuer: url,
    jwks,
    publicKeyPem: signingKey.publicKeyPem,
    publishableKey: publishableKeyFor(host),
    frontendApiPublishableKey: publishableKeyFor(frontendApiHost),
    frontendApiHost,
    instanceId: signingKey.kid,
    createUser: (params) => instance.createUser(params),
    updateUser: (userId, params) => instance.updateUser(userId, params),
    deleteUser: (userId) => instance.deleteUser(userId),
    getUser: (userId) => instance.getUser(userId),
    listUsers: (query) => instance.listUsers(query),
    createSession: (userId) => instance.createSession(userId),
    revokeSession: (sessionId) => instance.revokeSession(sessionId),
    mintSessionToken: (sessionId, mintOptions) => instance.mintSessionToken(sessionId, mintOptions),
    deliveries: () => webhooks.attempts(),
    emailOutbox: () => emailOutbox.list(),
    setWebhook: (webhook) => webhooks.setTarget(webhook),
    createApiKey: (params) => instance.createApiKey(params),
    revokeApiKey: (apiKeyId, revocationReason = null) => instance.revokeApiKey(apiKeyId, { revocation_reason: revocationReason }),
    storedApiKeys: () => instance.storedApiKeys(),
    apiKeyVerifications: (filter) => verifications.counts(filter),
    resetApiKeyVerifications: () => verifications.clear(),
    advanceApiKeyClock: (ms) => instance.clock.advance(ms),
    addFault: (spec) => faults.add(spec),
    deleteFaults: (id) => faults.delete(id),
    stop() {
      stopped ??= (async () => {
        faults.delete() // lets held requests finish, so close() is not kept waiting
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections() // keep-alive clients would otherwise hold close() open
        await webhooks.close()
        await closed
      })()
      return stopped
    },
  }
}
