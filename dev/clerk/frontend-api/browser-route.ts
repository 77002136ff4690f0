import type { BrowserContext } from 'playwright-core'

/**
 * For browser tests and bench:web: sends a Playwright context's requests for the Frontend API host (a
 * Clerk-style name that resolves nowhere; clerk-js calls it over https) to the stand-in's plain-http
 * port, with method, headers and body unchanged. The stand-in answers CORS for the dashboard's origin
 * only; with `presentAs` set, calls from another origin (bench:web's minimal page) are presented as that
 * origin's and the answer is addressed back to the caller. Playwright's routing bypasses the HTTP cache.
 */
export async function routeFrontendApi(context: BrowserContext, { fapiHost, clerkUrl, presentAs }: { fapiHost: string; clerkUrl: string; presentAs?: string }): Promise<void> {
  await context.route(`https://${fapiHost}/**`, async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    const callerOrigin = request.headers().origin
    const rewrite = presentAs !== undefined && callerOrigin !== undefined && callerOrigin !== presentAs
    const response = await route.fetch({ url: `${clerkUrl}${url.pathname}${url.search}`, ...(rewrite ? { headers: { ...request.headers(), origin: presentAs } } : {}) })
    const headers = response.headers()
    if (rewrite && headers['access-control-allow-origin']) headers['access-control-allow-origin'] = callerOrigin
    await route.fulfill({ response, headers })
  })
}
