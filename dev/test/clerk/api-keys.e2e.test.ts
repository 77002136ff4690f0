// Clerk's own <APIKeys/> (clerk-js 6 and @clerk/ui 1, the browser bundles the stand-in serves) against the
// stand-in's Frontend API, in Debian's Chromium: a bare page on the dashboard's origin loads the bundles
// from the Frontend API host the publishable key names (routed to the stand-in, as in the Clerk build's
// browser test), signs in with email + password, mounts the component, creates a key through its form
// (the secret shown once in its modal verifies against the Backend API), and revokes it through its
// confirmation. Skipped when /usr/bin/chromium is missing.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createClerkClient } from '@clerk/backend'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../../chromium.ts'
import { routeFrontendApi } from '../../clerk/frontend-api/browser-route.ts'
import { type ClerkStandIn, startClerkStandIn } from '../../clerk/server.ts'

const SECRET_KEY = 'sk_test_api_keys_browser'
const APP = 'http://localhost:8787'
const USER = { email: 'keys.browser@example.com', password: 'correct horse battery' }
const results = join(new URL('../../../', import.meta.url).pathname, 'test-results')

let standIn: ClerkStandIn
let browser: Browser
let page: Page
const browserErrors: string[] = []
const apiKeyCalls: string[] = []

describe.skipIf(!hasChromium())('<APIKeys/> against the stand-in', () => {
  beforeAll(async () => {
    standIn = await startClerkStandIn({ keyDir: null, secretKey: SECRET_KEY, authorizedParty: APP })
    await standIn.createUser({ email_address: [USER.email], first_name: 'Kim', last_name: 'Keys', password: USER.password })
    browser = await launchChromium()
    // "Copy & Close" writes the secret to the clipboard.
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
    await routeFrontendApi(context, { fapiHost: standIn.frontendApiHost, clerkUrl: standIn.url })
    const fapi = `https://${standIn.frontendApiHost}`
    await context.route(`${APP}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head><title>API keys</title>
<script src="${fapi}/npm/@clerk/clerk-js@6/dist/clerk.browser.js" data-clerk-publishable-key="${standIn.frontendApiPublishableKey}" crossorigin="anonymous"></script>
<script src="${fapi}/npm/@clerk/ui@1/dist/ui.browser.js" crossorigin="anonymous"></script>
</head><body><div id="keys"></div>
<script>window.clerkReady = window.Clerk.load({ ui: { ClerkUI: window.__internal_ClerkUICtor } })</script>
</body></html>`,
      }),
    )
    page = await context.newPage()
    page.on('console', (message) => message.type() === 'error' && browserErrors.push(message.text()))
    page.on('pageerror', (error) => browserErrors.push(error.message))
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.host === standIn.frontendApiHost && url.pathname.startsWith('/api_keys')) apiKeyCalls.push(`${request.method()} ${url.pathname}`)
    })
    mkdirSync(results, { recursive: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await standIn?.stop()
  })

  it('lists, creates (showing the secret once) and revokes keys of the signed-in user', { timeout: 60_000 }, async () => {
    await page.goto(`${APP}/`)
    await page.evaluate(async ({ email, password }) => {
      const win = globalThis as any // the page's window
      const clerk = win.Clerk
      await win.clerkReady
      // As <SignIn/> does it: identify, then the password as the first factor.
      await clerk.client.signIn.create({ identifier: email })
      const signIn = await clerk.client.signIn.attemptFirstFactor({ strategy: 'password', password })
      await clerk.setActive({ session: signIn.createdSessionId })
      clerk.mountAPIKeys(win.document.getElementById('keys'))
    }, USER)
    const root = page.locator('.cl-apiKeys')
    await expect.poll(() => root.count()).toBe(1)

    // Create through the component's own form.
    await page.getByRole('button', { name: /add new key/i }).click()
    await page.locator('input[name="name"]').fill('Nightly sync')
    await page.locator('.cl-apiKeysCreateFormSubmitButton').click()
    // The secret, shown this once in the copy modal.
    const secretField = page.locator('.cl-apiKeysCopyModal input#apiKeySecret-field')
    await expect.poll(() => secretField.count()).toBe(1)
    const secret = await secretField.inputValue()
    expect(secret).toMatch(/^ak_[0-9A-Za-z]{32}$/)
    await page.screenshot({ path: join(results, 'clerk-api-keys-created.png'), fullPage: true })

    const clerk = createClerkClient({ secretKey: SECRET_KEY, apiUrl: standIn.url, telemetry: { disabled: true } })
    const verified = await clerk.apiKeys.verify(secret)
    expect(verified).toMatchObject({ name: 'Nightly sync', revoked: false, scopes: [] })
    expect(standIn.storedApiKeys().map((key) => key.name)).toEqual(['Nightly sync'])

    // "Copy & Close"; the table lists the key, without its secret.
    await page.locator('.cl-apiKeysCopyModalSubmitButton').click()
    await expect.poll(() => page.locator('.cl-apiKeysCopyModal').count()).toBe(0)
    await expect.poll(() => page.locator('.cl-apiKeysTable').getByText('Nightly sync').count()).toBe(1)
    expect(await page.locator('body').innerHTML()).not.toContain(secret)

    // Revoke through the row's menu and the confirmation that wants "Revoke" typed.
    await page.locator('.cl-apiKeysTable .cl-menuButtonEllipsis').click()
    await page.getByRole('menuitem', { name: /revoke/i }).click()
    await page.locator('.cl-apiKeysRevokeModalInput input').fill('Revoke')
    await page.locator('.cl-apiKeysRevokeModalSubmitButton').click()
    await expect.poll(async () => (await clerk.apiKeys.get(verified.id)).revoked).toBe(true)
    await expect.poll(() => page.locator('.cl-apiKeysTable').getByText('Nightly sync').count()).toBe(0)
    await page.screenshot({ path: join(results, 'clerk-api-keys-revoked.png'), fullPage: true })

    expect(apiKeyCalls).toEqual(expect.arrayContaining(['GET /api_keys', 'POST /api_keys', `POST /api_keys/${verified.id}/revoke`]))
    expect(browserErrors).toEqual([])
  })
})
