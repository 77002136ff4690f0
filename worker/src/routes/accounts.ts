import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { SessionEnv } from '../app-env.ts'
import { SyncError, syncAccount } from '../amazon/sync-account.ts'
import { providerSchema, regionSchema } from '../amazon/regions.ts'
import { type Account, disconnectAccount, getAccount, listAccountEvents, listAccounts, renameAccount, setDefaultAccount } from '../db/accounts.ts'
import { serviceDb, userDb } from '../db/supabase.ts'
import { parseAmazonConfig, parseConfig } from '../env.ts'
import { callerSecurity } from '../auth/scopes.ts'
import { errorResponse, errorResponses } from '../errors.ts'
import { refreshFailureResponses } from '../tokens/refresh-errors.ts'
import { accountSession } from '../tokens/session-stub.ts'
import { safeText } from '../validation/safe-text.ts'
import { isUuid } from '../validation/uuid.ts'

/** Amazon asks sellers to re-authorize a public SP-API app every 365 days (Ads grants have no such term). */
const REAUTHORIZE_AFTER_MS = 365 * 24 * 60 * 60 * 1000

/** How many audit events GET /api/accounts/{id}/events returns. */
const EVENTS_LIMIT = 20

const TokenHealthSchema = z
  .object({
    status: z.enum(['active', 'refreshing', 'reauth_required', 'error']).openapi({
      description: 'The grant’s state: `refreshing` while a renewal runs, `error` after 8 failed renewals in a row (still retried hourly).',
    }),
    renewed_at: z.string().nullable().openapi({ description: 'When Amazon last issued an access token for this account (connect or renewal)' }),
    expires_at: z.string().nullable().openapi({ description: 'When the current access token expires; it is renewed 5 minutes before' }),
    next_refresh_at: z.string().nullable().openapi({ description: 'When the next renewal (or retry, after a failure) is due' }),
    failed_attempts: z.number().int().openapi({ description: 'Renewals failed in a row (0 when the last one worked)' }),
    last_error: z
      .enum(['invalid_grant', 'invalid_client', 'unavailable', 'throttled', 'invalid_request', 'key_missing'])
      .nullable()
      .openapi({
        description:
          'Why the last renewal failed: `invalid_grant` (the seller must reconnect), `invalid_client` / `invalid_request` / `key_missing` ' +
          '(sellersync’s side: nothing for the seller to do), `unavailable` / `throttled` (Amazon; retried with backoff). Null after a success.',
      }),
  })
  .openapi('TokenHealth')

const AccountEventSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(['connected', 'reconnected', 'refreshed', 'refresh_failed', 'reauth_required', 'synced', 'renamed', 'default_changed', 'disconnected']),
    detail: z.record(z.string(), z.unknown()).openapi({ description: 'Codes and names only, never tokens' }),
    created_at: z.string(),
  })
  .openapi('AccountEvent')

const AccountSchema = z
  .object({
    id: z.uuid(),
    provider: providerSchema,
    region: regionSchema,
    external_id: z.string().openapi({ description: 'SP-API selling partner id, or the Amazon Ads profile id' }),
    login_id: z.uuid().nullable().openapi({
      description:
        'Accounts connected through the same Amazon login share it (an Amazon Ads login’s profiles, connected in one consent). ' +
        'An opaque id, not Amazon’s; null when no authorization is stored.',
    }),
    marketplaces: z.array(z.string()).openapi({ example: ['ATVPDKIKX0DER'] }),
    display_name: z.string().nullable(),
    status: z.enum(['active', 'refreshing', 'reauth_required', 'error', 'disconnected']),
    is_default: z.boolean(),
    authorized_at: z.string(),
    reauthorize_by: z
      .string()
      .nullable()
      .openapi({ description: 'SP-API: authorized_at + 365 days, Amazon’s yearly re-authorization; reconnect before then. Ads: null (no yearly term).' }),
    last_sync_at: z.string().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    token: TokenHealthSchema.nullable().openapi({ description: 'The access token’s health; null when no authorization is stored (reconnect)' }),
  })
  .openapi('Account')

const AccountListSchema = z.object({ accounts: z.array(AccountSchema) }).openapi('AccountList')

const AccountPatchSchema = z
  .strictObject({
    display_name: safeText({ max: 100, trim: true })
      .nullable()
      .optional()
      .openapi({ description: 'null clears the name' }),
    is_default: z.literal(true).optional().openapi({ description: 'Makes this the default account (the previous one stops being it)' }),
  })
  .refine((patch) => patch.display_name !== undefined || patch.is_default !== undefined, { message: 'give display_name or is_default' })
  .openapi('AccountPatch')

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0b5e4f9c-2b7d-4c1a-9f1e-6d2a8c3b4e5f' }) })

const accountResponse = { description: 'The account', content: { 'application/json': { schema: AccountSchema } } }

function present(account: Account) {
  const { grant, grant_id: loginId, ...fields } = account
  const reauthorizeBy = account.provider === 'sp_api' ? new Date(Date.parse(account.authorized_at) + REAUTHORIZE_AFTER_MS).toISOString() : null
  const token = grant && {
    status: grant.status,
    renewed_at: grant.last_refreshed_at,
    expires_at: grant.access_token_expires_at,
    next_refresh_at: grant.next_refresh_at,
    // Attempts are counted when they start; only a recorded failure makes them failures.
    failed_attempts: grant.last_error_class ? grant.refresh_attempts : 0,
    last_error: grant.last_error_class,
  }
  return { ...fields, login_id: loginId, reauthorize_by: reauthorizeBy, token }
}

/** The same answer for "no such account", "not yours" and "not a uuid": no account ids leak across tenants. */
function notFound(c: Context) {
  return errorResponse(c, 404, 'account_not_found', 'No such account.')
}

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Accounts'],
  summary: 'Your connected Amazon accounts',
  description: 'Default account first. Never includes tokens.',
  security: callerSecurity('accounts:read'),
  responses: {
    200: { description: 'The accounts', content: { 'application/json': { schema: AccountListSchema } } },
    ...errorResponses(401, 403, 429, 503),
  },
})

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'One connected account',
  security: callerSecurity('accounts:read'),
  request: { params: idParam },
  responses: { 200: accountResponse, ...errorResponses(401, 403, 404, 429, 503) },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'Rename an account or make it the default',
  security: callerSecurity('accounts:write'),
  request: { params: idParam, body: { content: { 'application/json': { schema: AccountPatchSchema } }, required: true } },
  responses: { 200: accountResponse, ...errorResponses(400, 401, 403, 404, 413, 429, 503) },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'Disconnect an account',
  description: 'Deletes its stored tokens and the account; the audit trail keeps a `disconnected` event.',
  security: callerSecurity('accounts:write'),
  request: { params: idParam },
  responses: { 204: { description: 'Disconnected' }, ...errorResponses(401, 403, 404, 429, 503) },
})

const eventsRoute = createRoute({
  method: 'get',
  path: '/{id}/events',
  tags: ['Accounts'],
  summary: 'The account’s recent activity',
  description: `The newest ${EVENTS_LIMIT} audit events (connected, renewal failures, reauthorization needed, syncs, renames…), newest first.`,
  security: callerSecurity('accounts:read'),
  request: { params: idParam },
  responses: {
    200: { description: 'The events', content: { 'application/json': { schema: z.object({ events: z.array(AccountEventSchema) }).openapi('AccountEvents') } } },
    ...errorResponses(401, 403, 404, 429, 503),
  },
})

const syncRoute = createRoute({
  method: 'post',
  path: '/{id}/sync',
  tags: ['Accounts'],
  summary: 'Refresh the token if needed and re-read marketplaces / profiles',
  description:
    '409 `reauth_required` when Amazon no longer honours the grant (the seller must reconnect); ' +
    '503 `amazon_unavailable` when Amazon failed or timed out (last_error is set); 503 `amazon_credentials_rejected` ' +
    'when Amazon refused sellersync’s own app credentials (nothing for the seller to do).',
  security: callerSecurity('accounts:write'),
  request: { params: idParam },
  responses: { 200: accountResponse, ...errorResponses(401, 403, 404, 409, 429, 502, 503) },
})

export const accountRoutes = new OpenAPIHono<SessionEnv>()
  .openapi(listRoute, async (c) => {
    const accounts = await listAccounts(userDb(parseConfig(c.env), c.var.databaseToken))
    return c.json({ accounts: accounts.map(present) }, 200)
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!isUuid(id)) return notFound(c)
    const account = await getAccount(userDb(parseConfig(c.env), c.var.databaseToken), id)
    return account ? c.json(present(account), 200) : notFound(c)
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!isUuid(id)) return notFound(c)
    const patch = c.req.valid('json')
    const db = userDb(parseConfig(c.env), c.var.databaseToken)
    // Each change is one database function that writes its audit event in the same transaction (and none
    // when nothing changed); another user's account is not found by them.
    if (patch.display_name !== undefined && !(await renameAccount(db, id, patch.display_name))) return notFound(c)
    if (patch.is_default && !(await setDefaultAccount(db, id))) return notFound(c)
    const after = await getAccount(db, id)
    if (!after) return notFound(c)
    return c.json(present(after), 200)
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!isUuid(id)) return notFound(c)
    // One call as the caller: the account, its grant when it was the grant's last account (a trigger) and
    // the `disconnected` event go together, or not at all; not theirs is not found.
    const account = await disconnectAccount(userDb(parseConfig(c.env), c.var.databaseToken), id)
    if (!account) return notFound(c)
    // The grant's session forgets the cached access token either way.
    if (account.grant_id) await accountSession(c.env, account.grant_id).invalidate()
    return c.body(null, 204)
  })
  .openapi(eventsRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!isUuid(id)) return notFound(c)
    const db = userDb(parseConfig(c.env), c.var.databaseToken)
    if (!(await getAccount(db, id))) return notFound(c)
    return c.json({ events: await listAccountEvents(db, id, EVENTS_LIMIT) }, 200)
  })
  .openapi(syncRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!isUuid(id)) return notFound(c)
    const config = parseConfig(c.env)
    const db = userDb(config, c.var.databaseToken)
    const account = await getAccount(db, id)
    if (!account) return notFound(c)
    try {
      await syncAccount(c.env, parseAmazonConfig(c.env), serviceDb(config), account)
    } catch (error) {
      if (!(error instanceof SyncError)) throw error
      if (error.code === 'amazon_rejected') return errorResponse(c, 502, 'amazon_rejected', 'Amazon refused the request; try reconnecting the account.')
      const { status, code, message } = refreshFailureResponses[error.code]
      return errorResponse(c, status, code, message)
    }
    // Read back as the caller, so the answer carries the grant's fresh health.
    const synced = await getAccount(db, id)
    return synced ? c.json(present(synced), 200) : notFound(c)
  })
