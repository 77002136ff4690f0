import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { CookieOptions } from 'hono/utils/cookie'
import type { AppEnv, SessionEnv } from '../app-env.ts'
import { completeConnect } from '../amazon/complete-connect.ts'
import { ConnectError, type ConnectErrorCode } from '../amazon/connect-errors.ts'
import { adsConsentUrl, spApiConsentUrl } from '../amazon/oauth-endpoints.ts'
import { marketplaceById, marketplaceIdSchema, providerSchema, regionSchema, spApiRegions, type Region } from '../amazon/regions.ts'
import { randomOAuthSecret, sha256Hex } from '../crypto/oauth-state.ts'
import { consumeOAuthState, createOAuthState } from '../db/oauth-states.ts'
import { DatabaseError, serviceDb } from '../db/supabase.ts'
import { type AmazonConfig, parseAmazonConfig, parseConfig } from '../env.ts'
import { errorResponse, errorResponses } from '../errors.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import { safeText } from '../validation/safe-text.ts'

/** The browser half of a connect attempt: only the browser that started it can finish it. */
const NONCE_COOKIE = 'sellersync_oauth_nonce'
/** Matches oauth_states.expires_at (schema default: 10 minutes). */
const NONCE_MAX_AGE_SECONDS = 600

/** Secure everywhere but a plain-http local dashboard, where a Secure cookie would never come back. */
function nonceCookieOptions(config: AmazonConfig): CookieOptions {
  const app = new URL(config.appUrl)
  const local = app.protocol === 'http:' && (app.hostname === 'localhost' || app.hostname === '127.0.0.1')
  return { path: new URL(config.redirectUri).pathname, httpOnly: true, sameSite: 'Lax', secure: !local }
}

// ── POST /api/auth/amazon/connect ─────────────────────────────────────────────────────────────────

const ConnectRequestSchema = z
  .strictObject({
    provider: providerSchema,
    region: regionSchema.optional().openapi({ description: 'Required for ads unless a marketplace is given.' }),
    marketplace: marketplaceIdSchema.optional().openapi({
      description: 'An SP-API marketplace id; picks the Seller Central host and the region.',
      example: 'ATVPDKIKX0DER',
    }),
  })
  .superRefine((body, context) => {
    const marketplaceRegion = body.marketplace ? marketplaceById(body.marketplace)?.region : undefined
    if (!body.region && !body.marketplace) {
      context.addIssue({ code: 'custom', path: ['region'], message: 'give a region or a marketplace' })
    } else if (body.region && marketplaceRegion && body.region !== marketplaceRegion) {
      context.addIssue({ code: 'custom', path: ['marketplace'], message: `the marketplace is in region ${marketplaceRegion}, not ${body.region}` })
    }
  })
  .openapi('ConnectRequest')

const ConnectResponseSchema = z
  .object({ url: z.url().openapi({ description: "Amazon's consent page; send the browser there." }) })
  .openapi('ConnectResponse')

const connectRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Amazon connect'],
  summary: 'Start connecting an Amazon account',
  description:
    `Returns Amazon's consent URL (Seller Central for SP-API, Login with Amazon for Ads) and sets the HttpOnly ` +
    `\`${NONCE_COOKIE}\` cookie the callback checks. The attempt expires after 10 minutes. ` +
    '409 `user_not_synced` until Clerk has delivered the user.',
  security: [{ clerkSession: [] }],
  request: { body: { content: { 'application/json': { schema: ConnectRequestSchema } }, required: true } },
  responses: {
    200: { description: 'The consent URL', content: { 'application/json': { schema: ConnectResponseSchema } } },
    ...errorResponses(400, 401, 403, 409, 413, 429, 503),
  },
})

export const amazonConnectRoutes = new OpenAPIHono<SessionEnv>().openapi(connectRoute, async (c) => {
  const config = parseAmazonConfig(c.env)
  const db = serviceDb(parseConfig(c.env))
  const body = c.req.valid('json')
  const marketplaceId = body.marketplace ?? (body.provider === 'sp_api' ? spApiRegions[body.region!].defaultMarketplaceId : undefined)
  const region: Region = marketplaceId ? marketplaceById(marketplaceId)!.region : body.region!

  const state = randomOAuthSecret()
  const nonce = randomOAuthSecret()
  const created = await createOAuthState(db, {
    state_hash: await sha256Hex(state),
    nonce_hash: await sha256Hex(nonce),
    user_id: c.var.userId,
    provider: body.provider,
    region,
    marketplace_id: marketplaceId ?? null,
  })
  if (created === 'user_not_synced') {
    return errorResponse(c, 409, 'user_not_synced', 'Your profile has not arrived from Clerk yet; try connecting again in a moment.')
  }

  const url = body.provider === 'sp_api' ? spApiConsentUrl(config, marketplaceId!, state) : adsConsentUrl(config, region, state)
  setCookie(c, NONCE_COOKIE, nonce, { ...nonceCookieOptions(config), maxAge: NONCE_MAX_AGE_SECONDS })
  c.header('Cache-Control', 'no-store')
  return c.json({ url }, 200)
})

// ── GET /api/auth/amazon/callback ─────────────────────────────────────────────────────────────────

/**
 * What Amazon sends back. The values it uses are short ASCII tokens, so one that fails safeText did not
 * come from Amazon; scope and error_description are never read.
 */
const callbackParameter = safeText({ max: 2048 }).optional()
const CallbackQuerySchema = z.object({
  state: callbackParameter,
  spapi_oauth_code: callbackParameter.openapi({ description: 'SP-API' }),
  selling_partner_id: callbackParameter.openapi({ description: 'SP-API' }),
  code: callbackParameter.openapi({ description: 'Amazon Ads (Login with Amazon)' }),
  scope: z.string().optional(),
  error: callbackParameter,
  error_description: z.string().optional(),
})

const callbackRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Amazon connect'],
  summary: 'Where Amazon sends the browser back',
  description:
    'Consumes the connect attempt (single use, unexpired, same browser), exchanges the code at Login with Amazon, ' +
    'identifies the account and saves it with its encrypted tokens. Always redirects to the dashboard: ' +
    '`/accounts?connected=<account id>`, or `/accounts?connect_error=<code>` with one of access_denied, ' +
    'authorization_failed, missing_parameters, state_invalid, grant_invalid, amazon_rejected, amazon_unavailable, ' +
    'no_profiles, database_unavailable. Amazon Ads connects one account per advertising profile. A parameter with ' +
    'control characters, unpaired surrogates, bidi overrides or over 2048 characters is `missing_parameters`.',
  request: { query: CallbackQuerySchema },
  responses: {
    302: { description: 'To the dashboard, with `connected` or `connect_error`' },
    ...errorResponses(429, 503),
  },
})

/** Where the dashboard lands: its accounts page with one query parameter the UI can toast. */
function toDashboard(c: Context<AppEnv>, config: AmazonConfig, result: { connected: string } | { connect_error: ConnectErrorCode }) {
  c.header('Cache-Control', 'no-store')
  return c.redirect(`${config.appUrl}/accounts?${new URLSearchParams(result)}`, 302)
}

/** Logs the outcome by code only: the query holds the code and state, Amazon's answers may hold tokens. */
function failed(c: Context<AppEnv>, config: AmazonConfig, code: ConnectErrorCode, reason?: string) {
  console.warn(`amazon connect failed: ${code}${reason ? ` (${reason})` : ''} id=${c.var.requestId}`)
  return toDashboard(c, config, { connect_error: code })
}

/** Merchant tokens are upper-case letters and digits (A1B2C3…); anything else is not from Amazon. */
const SELLING_PARTNER_ID = /^[A-Z0-9]{1,64}$/

/** A query parameter's single value; absent, empty or repeated counts as missing. */
function single(c: Context<AppEnv>, name: string): string | undefined {
  const values = c.req.queries(name)
  return values?.length === 1 && values[0] !== '' ? values[0] : undefined
}

export const amazonCallbackRoutes = new OpenAPIHono<AppEnv>()
amazonCallbackRoutes.openAPIRegistry.registerPath(callbackRoute)
amazonCallbackRoutes.use(rateLimit('public'))
// Not through .openapi(): a malformed query must still redirect to the dashboard, never answer JSON.
amazonCallbackRoutes.get('/', async (c) => {
  const config = parseAmazonConfig(c.env)
  const cookieOptions = nonceCookieOptions(config)
  const nonce = getCookie(c, NONCE_COOKIE)
  // Whatever happens next, this attempt is over for the browser.
  deleteCookie(c, NONCE_COOKIE, cookieOptions)

  // Still a redirect, not a 400: a browser is on this request, and the dashboard explains the code.
  // The log names the parameter, never its value.
  const query = CallbackQuerySchema.safeParse(c.req.query())
  if (!query.success) {
    const issue = query.error.issues[0]!
    return failed(c, config, 'missing_parameters', `query.${issue.path.join('.')}: ${issue.message}`)
  }

  const state = single(c, 'state')
  const amazonError = single(c, 'error')
  const db = serviceDb(parseConfig(c.env))
  try {
    if (!state) return failed(c, config, amazonError === 'access_denied' ? 'access_denied' : amazonError ? 'authorization_failed' : 'missing_parameters')
    if (!nonce) return failed(c, config, 'state_invalid', 'no nonce cookie')
    // Consumed even when Amazon reports an error, so the state can never be used again.
    const attempt = await consumeOAuthState(db, await sha256Hex(state), await sha256Hex(nonce))
    if (!attempt) return failed(c, config, 'state_invalid')
    if (amazonError) return failed(c, config, amazonError === 'access_denied' ? 'access_denied' : 'authorization_failed')

    const code = single(c, attempt.provider === 'sp_api' ? 'spapi_oauth_code' : 'code')
    const sellingPartnerId = single(c, 'selling_partner_id')
    if (!code || (attempt.provider === 'sp_api' && !(sellingPartnerId && SELLING_PARTNER_ID.test(sellingPartnerId)))) {
      return failed(c, config, 'missing_parameters')
    }

    const [accountId] = await completeConnect(c.env, config, db, attempt, { code, sellingPartnerId })
    return toDashboard(c, config, { connected: accountId! })
  } catch (error) {
    if (error instanceof ConnectError) return failed(c, config, error.code, error.message)
    if (error instanceof DatabaseError) return failed(c, config, 'database_unavailable', error.message)
    throw error
  }
})
