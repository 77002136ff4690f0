import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { SessionEnv } from '../app-env.ts'
import { SyncError, syncAccount } from '../amazon/sync-account.ts'
import { providerSchema, regionSchema } from '../amazon/regions.ts'
import {
  type Account,
  deleteAccount,
  getAccount,
  listAccounts,
  recordAccountEvent,
  renameAccount,
  setDefaultAccount,
} from '../db/accounts.ts'
import { deleteCredentials } from '../db/credentials.ts'
import { serviceDb, userDb } from '../db/supabase.ts'
import { parseAmazonConfig, parseConfig } from '../env.ts'
import { errorResponse, errorResponses } from '../errors.ts'

/** Amazon asks sellers to re-authorize a public SP-API app every 365 days (Ads grants have no such term). */
const REAUTHORIZE_AFTER_MS = 365 * 24 * 60 * 60 * 1000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const AccountSchema = z
  .object({
    id: z.uuid(),
    provider: providerSchema,
    region: regionSchema,
    external_id: z.string().openapi({ description: 'SP-API selling partner id, or the Amazon Ads profile id' }),
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
  })
  .openapi('Account')

const AccountListSchema = z.object({ accounts: z.array(AccountSchema) }).openapi('AccountList')

const AccountPatchSchema = z
  .strictObject({
    display_name: z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(100)
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
  const reauthorizeBy = account.provider === 'sp_api' ? new Date(Date.parse(account.authorized_at) + REAUTHORIZE_AFTER_MS).toISOString() : null
  return { ...account, reauthorize_by: reauthorizeBy }
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
  security: [{ clerkSession: [] }],
  responses: {
    200: { description: 'The accounts', content: { 'application/json': { schema: AccountListSchema } } },
    ...errorResponses(401, 429, 503),
  },
})

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'One connected account',
  security: [{ clerkSession: [] }],
  request: { params: idParam },
  responses: { 200: accountResponse, ...errorResponses(401, 404, 429, 503) },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'Rename an account or make it the default',
  security: [{ clerkSession: [] }],
  request: { params: idParam, body: { content: { 'application/json': { schema: AccountPatchSchema } }, required: true } },
  responses: { 200: accountResponse, ...errorResponses(400, 401, 404, 413, 429, 503) },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Accounts'],
  summary: 'Disconnect an account',
  description: 'Deletes its stored tokens and the account; the audit trail keeps a `disconnected` event.',
  security: [{ clerkSession: [] }],
  request: { params: idParam },
  responses: { 204: { description: 'Disconnected' }, ...errorResponses(401, 404, 429, 503) },
})

const syncRoute = createRoute({
  method: 'post',
  path: '/{id}/sync',
  tags: ['Accounts'],
  summary: 'Refresh the token if needed and re-read marketplaces / profiles',
  description:
    '409 `reauth_required` when Amazon no longer honours the grant (the seller must reconnect); ' +
    '503 `amazon_unavailable` when Amazon failed or timed out (last_error is set).',
  security: [{ clerkSession: [] }],
  request: { params: idParam },
  responses: { 200: accountResponse, ...errorResponses(401, 404, 409, 429, 502, 503) },
})

export const accountRoutes = new OpenAPIHono<SessionEnv>()
  .openapi(listRoute, async (c) => {
    const accounts = await listAccounts(userDb(parseConfig(c.env), c.var.sessionToken))
    return c.json({ accounts: accounts.map(present) }, 200)
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!UUID.test(id)) return notFound(c)
    const account = await getAccount(userDb(parseConfig(c.env), c.var.sessionToken), id)
    return account ? c.json(present(account), 200) : notFound(c)
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!UUID.test(id)) return notFound(c)
    const patch = c.req.valid('json')
    const config = parseConfig(c.env)
    const db = userDb(config, c.var.sessionToken)
    const before = await getAccount(db, id)
    if (!before) return notFound(c)
    if (patch.display_name !== undefined && !(await renameAccount(db, id, patch.display_name))) return notFound(c)
    if (patch.is_default && !(await setDefaultAccount(db, id))) return notFound(c)
    const after = await getAccount(db, id)
    if (!after) return notFound(c)
    const events = serviceDb(config)
    if (patch.display_name !== undefined && before.display_name !== after.display_name) {
      await recordAccountEvent(events, { accountId: id, userId: c.var.userId, kind: 'renamed', detail: {} })
    }
    if (patch.is_default && !before.is_default) {
      await recordAccountEvent(events, { accountId: id, userId: c.var.userId, kind: 'default_changed', detail: {} })
    }
    return c.json(present(after), 200)
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!UUID.test(id)) return notFound(c)
    const config = parseConfig(c.env)
    const db = userDb(config, c.var.sessionToken)
    // Ownership through RLS first: the service role below would touch anyone's credentials.
    const account = await getAccount(db, id)
    if (!account) return notFound(c)
    await deleteCredentials(serviceDb(config), id)
    if (!(await deleteAccount(db, id))) return notFound(c)
    await recordAccountEvent(serviceDb(config), {
      accountId: null,
      userId: c.var.userId,
      kind: 'disconnected',
      detail: { account_id: id, provider: account.provider, region: account.region, external_id: account.external_id },
    })
    return c.body(null, 204)
  })
  .openapi(syncRoute, async (c) => {
    const { id } = c.req.valid('param')
    if (!UUID.test(id)) return notFound(c)
    const config = parseConfig(c.env)
    const account = await getAccount(userDb(config, c.var.sessionToken), id)
    if (!account) return notFound(c)
    try {
      return c.json(present(await syncAccount(parseAmazonConfig(c.env), serviceDb(config), c.var.userId, account)), 200)
    } catch (error) {
      if (!(error instanceof SyncError)) throw error
      if (error.code === 'reauth_required') {
        return errorResponse(c, 409, 'reauth_required', 'Amazon no longer accepts this authorization; reconnect the account.')
      }
      if (error.code === 'amazon_unavailable') {
        return errorResponse(c, 503, 'amazon_unavailable', 'Amazon did not answer as expected; try again shortly.')
      }
      return errorResponse(c, 502, 'amazon_rejected', 'Amazon refused the request; try reconnecting the account.')
    }
  })
