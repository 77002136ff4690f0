// For bench:web and browser tests that need the HTTP cache: sends one page's requests for the Clerk Frontend API
// host to the stand-in through the DevTools protocol's Fetch domain. Playwright's own routing (./browser-route.ts)
// turns the HTTP cache off for the whole page, and with it the reuse of preloads; Fetch.enable with a URL pattern
// intercepts the Frontend API only and leaves the cache to every other request (the pages, our JS,
// /api/client-config). The Frontend API's own answers are intercepted every time, so clerk-js is fetched on each
// visit. Clerk development instances identify the browser by the `__clerk_db_jwt` query parameter, not by a
// cookie on the Frontend API, so none is carried.
import type { BrowserContext, Page } from 'playwright-core'

type RequestPaused = {
  requestId: string
  request: { url: string; method: string; headers: Record<string, string>; postData?: string }
}

/** Call before the page's first navigation. */
export async function routeFrontendApiKeepingCache(context: BrowserContext, page: Page, { fapiHost, clerkUrl }: { fapiHost: string; clerkUrl: string }): Promise<void> {
  const cdp = await context.newCDPSession(page)
  cdp.on('Fetch.requestPaused', (event: RequestPaused) => {
    void (async () => {
      const url = new URL(event.request.url)
      try {
        const response = await fetch(`${clerkUrl}${url.pathname}${url.search}`, {
          method: event.request.method,
          headers: event.request.headers,
          body: event.request.postData,
        })
        const body = Buffer.from(await response.arrayBuffer())
        // fetch() has decoded the body: its length and encoding headers no longer apply.
        const responseHeaders = [...response.headers]
          .filter(([name]) => name !== 'content-encoding' && name !== 'content-length')
          .map(([name, value]) => ({ name, value }))
        await cdp.send('Fetch.fulfillRequest', { requestId: event.requestId, responseCode: response.status, responseHeaders, body: body.toString('base64') })
      } catch {
        await cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'Failed' }).catch(() => {})
      }
    })()
  })
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `https://${fapiHost}/*`, requestStage: 'Request' }] })
}
