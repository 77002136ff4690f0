// The dashboard in a real browser against the whole local stack: the local build in web/out (`npm test`
// makes it first: `npm run build:web:local`), `node dev/stack.ts`
// in a private state directory on free ports, and drives Debian's Chromium with playwright-core:
// sign in → empty state → connect through the Amazon stand-in's consent page → rename → disconnect.
// Screenshots at 390 px and 1280 px go to test-results/. Skipped when /usr/bin/chromium is missing.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../process.ts'

const CHROMIUM = '/usr/bin/chromium'
const root = new URL('../../../', import.meta.url).pathname
const results = join(root, 'test-results')
const stateDir = mkdtempSync(join(tmpdir(), 'sellersync-e2e-'))
let stack: ChildProcess | undefined
let browser: Browser | undefined
let page: Page
let appUrl: string
let output = ''

async function screenshot(name: string) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 })
    await page.screenshot({ path: join(results, `dashboard-${name}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 390, height: 844 })
}

describe.skipIf(!existsSync(CHROMIUM))('dashboard in Chromium against the local stack', () => {
  beforeAll(async () => {
    const port = await freePort()
    const clerkPort = await freePort()
    appUrl = `http://localhost:${port}`
    if (!existsSync(join(root, 'web/out/accounts/index.html'))) {
      throw new Error('web/out holds no dashboard build: run `npm run build:web:local` first (npm test does).')
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SELLERSYNC_STATE_DIR: stateDir,
      SELLERSYNC_DEV_VARS: join(stateDir, 'dev.vars'),
      SELLERSYNC_PORT: String(port),
      SELLERSYNC_SUPABASE_PORT: String(await freePort()),
      SELLERSYNC_DB_PORT: String(await freePort()),
      SELLERSYNC_CLERK_PORT: String(clerkPort),
      SELLERSYNC_AMAZON_PORT: String(await freePort()),
    }
    stack = spawn(process.execPath, ['dev/stack.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "ready" line within 150 s:\n${output}`)), 150_000)
      const onText = (text: string) => {
        output += text
        if (/ready in [\d.]+ s/.test(output)) (clearTimeout(timer), resolve())
      }
      stack!.stdout!.setEncoding('utf8').on('data', onText)
      stack!.stderr!.setEncoding('utf8').on('data', onText)
      stack!.on('exit', (code) => (clearTimeout(timer), reject(new Error(`dev/stack.ts exited (${code}):\n${output}`))))
    })

    mkdirSync(results, { recursive: true })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    page.setDefaultTimeout(15_000)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    if (stack && stack.exitCode === null) {
      const exited = new Promise((resolve) => stack!.on('exit', resolve))
      stack.kill('SIGINT')
      await exited
    }
    rmSync(stateDir, { recursive: true, force: true })
  }, 30_000)

  it('sends a signed-out visitor to sign in, and back to the page they asked for', async () => {
    await page.goto(`${appUrl}/accounts/`)
    await page.waitForURL(/\/sign-in\/\?redirect=%2Faccounts%2F$/)
    await page.getByLabel('Email').fill('e2e.seller@example.com')
    await page.getByLabel(/First name/).fill('Erin')
    await screenshot('sign-in')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${appUrl}/accounts/`)
    await expect.poll(() => page.getByRole('heading', { name: 'No Amazon account connected yet' }).isVisible()).toBe(true)
    await screenshot('empty')
  })

  it('opens the profile menu from the keyboard and closes it with Escape', async () => {
    const button = page.getByRole('button', { name: /Account menu for Erin/ })
    await button.focus()
    await page.keyboard.press('Enter')
    const menu = page.getByRole('menu')
    await expect.poll(() => menu.isVisible()).toBe(true)
    expect(await menu.textContent()).toContain('e2e.seller@example.com')
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Amazon accounts')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Sign out')
    await page.keyboard.press('Escape')
    await expect.poll(() => menu.count()).toBe(0)
    expect(await page.locator(':focus').getAttribute('aria-haspopup')).toBe('menu')
  })

  it('connects an account through the Amazon consent page and shows it as active', async () => {
    await page.getByRole('button', { name: 'Connect an Amazon account' }).click()
    const dialog = page.getByRole('dialog', { name: 'Connect an Amazon account' })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    await screenshot('connect-dialog')
    await dialog.getByRole('button', { name: 'Continue to Amazon' }).click()
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.waitForURL(`${appUrl}/accounts/`) // the ?connected= query is read, toasted and dropped
    const card = page.locator('li.account')
    await expect.poll(() => card.count()).toBe(1)
    expect(await card.locator('.badge').allTextContents()).toEqual(['Default', 'Active'])
    expect(await card.textContent()).toContain('Selling Partner API')
    await expect.poll(() => page.getByText('Amazon account connected.').isVisible()).toBe(true)
    await screenshot('connected')
  })

  it('renames the account', async () => {
    const card = page.locator('li.account')
    await card.getByRole('button', { name: 'Rename' }).click()
    await card.getByLabel('Account name').fill('US store')
    await card.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => card.getByRole('heading', { name: 'US store' }).isVisible()).toBe(true)
    await expect.poll(() => page.getByText('Renamed to “US store”.').isVisible()).toBe(true)
  })

  it('syncs the account', async () => {
    const card = page.locator('li.account')
    await card.getByRole('button', { name: 'Sync' }).click()
    await expect.poll(() => page.getByText('US store is up to date.').isVisible()).toBe(true)
    expect(await card.locator('time').textContent()).toMatch(/now|second/)
  })

  it('disconnects the account after confirming', async () => {
    await page.locator('li.account').getByRole('button', { name: 'Disconnect' }).click()
    const dialog = page.getByRole('dialog', { name: 'Disconnect US store?' })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    await screenshot('disconnect-confirm')
    await dialog.getByRole('button', { name: 'Disconnect' }).click()
    await expect.poll(() => page.getByRole('heading', { name: 'No Amazon account connected yet' }).isVisible()).toBe(true)
    await expect.poll(() => page.getByText('US store was disconnected.').isVisible()).toBe(true)
  })

  it('toasts a failed connect coming back from Amazon', async () => {
    await page.goto(`${appUrl}/accounts/?connect_error=access_denied`)
    await expect.poll(() => page.getByText('You declined the authorization on Amazon').isVisible()).toBe(true)
    await page.waitForURL(`${appUrl}/accounts/`)
  })

  it('shows an error with a retry when the accounts cannot be loaded', async () => {
    const failing = (route: import('playwright-core').Route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on our side; try again shortly.' } }) })
    await page.route('**/api/accounts', failing)
    await page.reload()
    const alert = page.getByRole('alert').filter({ hasText: 'Your accounts could not be loaded' })
    await expect.poll(() => alert.isVisible(), { timeout: 15_000 }).toBe(true) // after the query's own retries
    await page.unroute('**/api/accounts', failing)
    await alert.getByRole('button', { name: 'Try again' }).click()
    await expect.poll(() => page.getByRole('heading', { name: 'No Amazon account connected yet' }).isVisible()).toBe(true)
  })

  it('signs out from the profile menu', async () => {
    await page.getByRole('button', { name: /Account menu for Erin/ }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL(/\/sign-in\//)
    await page.goto(`${appUrl}/accounts/`)
    await page.waitForURL(/\/sign-in\//)
  })
})
