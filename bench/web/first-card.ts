// bench:web's time to the first account card: how long a signed-in seller opening /accounts/ waits until the first
// card is on screen with its data (`li.account` with its heading, not the skeleton), and until the app's top bar is.
// Cold: a fresh browser context (empty HTTP cache and storage) holding only the signed-in session's cookies; warm:
// the second visit in that context. Times are from the navigation's start (performance.now()), taken at the
// animation frame after the element is in the DOM, i.e. the frame that paints it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Cookie } from 'playwright-core'
import { launchChromium } from '../../dev/chromium.ts'
import { type IsolatedStack, startIsolatedStack } from '../../dev/isolated-stack.ts'
import { frontendApiHost } from '../../web/lib/client-config.ts'
import { routeFrontendApiKeepingCache } from '../../dev/clerk/frontend-api/browser-cdp-route.ts'
import type { BaselineBuild } from './baseline-build.ts'
import { signInThroughClerk } from './clerk-sign-in.ts'

const USER = { email: 'first-card@example.com', password: 'bench password 2' }

const OBSERVE_FIRST_CARD = `
  window.__firstCard = 0;
  window.__topBar = 0;
  const seen = () => {
    if (!window.__topBar && document.querySelector('header.topbar')) requestAnimationFrame(() => (window.__topBar ||= performance.now()));
    if (!window.__firstCard && document.querySelector('li.account:not(.skeleton) h3')) requestAnimationFrame(() => (window.__firstCard ||= performance.now()));
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
`

export type Visit = {
  firstCardMs: number
  topBarMs: number
  /** Where the wait goes: the client config's answer in (responseEnd), clerk-js requested, the accounts requested. */
  clientConfigMs: number
  clerkJsRequestMs: number
  accountsRequestMs: number
  cachedResources: number
  resources: number
}
/** One build served by its own stack, with a signed-in user who has one connected account. */
export type SignedIn = { stack: IsolatedStack; fapiHost: string; cookies: Cookie[] }

async function newPage(browser: Browser, signedIn: Pick<SignedIn, 'stack' | 'fapiHost'>, cookies: Cookie[] = []): Promise<{ context: BrowserContext; page: import('playwright-core').Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: { cookies, origins: [] } })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  await routeFrontendApiKeepingCache(context, page, { fapiHost: signedIn.fapiHost, clerkUrl: signedIn.stack.clerkUrl })
  return { context, page }
}

/** A user (Clerk stand-in, password) signs in through Clerk's form and connects one account through the Amazon stand-in. */
export async function signInWithAnAccount(browser: Browser, stack: IsolatedStack, clerkSecretKey: string): Promise<SignedIn> {
  const created = await fetch(`${stack.clerkUrl}/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clerkSecretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email_address: [USER.email], password: USER.password, first_name: 'Card' }),
  })
  if (!created.ok) throw new Error(`creating the bench user failed: ${created.status} ${await created.text()}`)
  const { clerkPublishableKey } = (await (await fetch(`${stack.url}/api/client-config`)).json()) as { clerkPublishableKey: string }
  const fapiHost = frontendApiHost(clerkPublishableKey)
  const { context, page } = await newPage(browser, { stack, fapiHost })
  try {
    await signInThroughClerk(page, stack.url, USER)
    await page.getByRole('button', { name: 'Connect an Amazon account' }).click()
    await page.getByRole('dialog', { name: 'Connect an Amazon account' }).getByRole('button', { name: 'Continue to Amazon' }).click()
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.locator('li.account:not(.skeleton) h3').waitFor()
    return { stack, fapiHost, cookies: (await context.storageState()).cookies }
  } finally {
    await context.close()
  }
}

/** A cold visit to /accounts/ in a fresh context holding the session's cookies, then a warm one in the same context. */
export async function coldAndWarm(browser: Browser, signedIn: SignedIn): Promise<{ cold: Visit; warm: Visit }> {
  const { context, page } = await newPage(browser, signedIn, signedIn.cookies)
  await page.addInitScript(OBSERVE_FIRST_CARD)
  const visit = async (): Promise<Visit> => {
    await page.goto(`${signedIn.stack.url}/accounts/`)
    await page.waitForFunction(() => (globalThis as unknown as { __firstCard: number }).__firstCard > 0)
    return page.evaluate(() => {
      type Entry = { name: string; transferSize: number; startTime: number; responseEnd: number }
      const browser = globalThis as unknown as { __firstCard: number; __topBar: number; location: { origin: string } }
      // Same-origin entries only: a cross-origin one reports transferSize 0 whether cached or not.
      const all = performance.getEntriesByType('resource') as unknown as Entry[]
      const entries = all.filter((entry) => entry.name.startsWith(browser.location.origin))
      return {
        firstCardMs: browser.__firstCard,
        topBarMs: browser.__topBar,
        clientConfigMs: entries.find((entry) => entry.name.endsWith('/api/client-config'))?.responseEnd ?? Number.NaN,
        clerkJsRequestMs: all.find((entry) => entry.name.endsWith('/dist/clerk.browser.js'))?.startTime ?? Number.NaN,
        accountsRequestMs: entries.find((entry) => entry.name.endsWith('/api/accounts'))?.startTime ?? Number.NaN,
        cachedResources: entries.filter((entry) => entry.transferSize === 0).length,
        resources: entries.length,
      }
    })
  }
  try {
    const cold = await visit()
    const warm = await visit()
    return { cold, warm }
  } finally {
    await context.close()
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** This build (web/out-clerk) against the baseline's export, cold and warm: prints the table. */
export async function firstCardComparison(baseline: BaselineBuild, runs: number): Promise<void> {
  const builds = [
    { name: `today's build (${baseline.commit})`, env: { SELLERSYNC_DASHBOARD: 'clerk', SELLERSYNC_DASHBOARD_DIR: baseline.outDir } },
    { name: 'this build', env: { SELLERSYNC_DASHBOARD: 'clerk' } },
  ]
  const started = await Promise.allSettled(builds.map((build, index) => startIsolatedStack(`bench-web-card-${index}`, { env: build.env })))
  const stacks = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const browser = await launchChromium()
  try {
    const failed = started.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
    const signedIn: SignedIn[] = []
    for (const stack of stacks) {
      const { clerkSecretKey } = JSON.parse(readFileSync(join(stack.stateDir, 'local-secrets.json'), 'utf8')) as { clerkSecretKey: string }
      signedIn.push(await signInWithAnAccount(browser, stack, clerkSecretKey))
    }
    const visits: Array<{ cold: Visit[]; warm: Visit[] }> = builds.map(() => ({ cold: [], warm: [] }))
    for (let run = 0; run < runs; run++) {
      // Alternating which build goes first, so neither always runs on the machine the other just warmed.
      for (const index of run % 2 ? [1, 0] : [0, 1]) {
        const { cold, warm } = await coldAndWarm(browser, signedIn[index]!)
        visits[index]!.cold.push(cold)
        visits[index]!.warm.push(warm)
      }
    }
    const ms = (list: Visit[], pick: (visit: Visit) => number) => median(list.map(pick))
    console.log(`\n| /accounts/ signed in, median of ${runs} (1280×800) | ${builds[0]!.name} | ${builds[1]!.name} | this ÷ today |`)
    console.log('|---|---:|---:|---:|')
    for (const when of ['cold', 'warm'] as const) {
      for (const [what, pick] of [
        ['first account card', (v: Visit) => v.firstCardMs],
        ['top bar painted', (v: Visit) => v.topBarMs],
        ['client config in', (v: Visit) => v.clientConfigMs],
        ['clerk-js requested', (v: Visit) => v.clerkJsRequestMs],
        ['accounts request sent', (v: Visit) => v.accountsRequestMs],
      ] as const) {
        const [before, after] = [ms(visits[0]![when], pick), ms(visits[1]![when], pick)]
        console.log(`| ${what}, ${when} | ${before.toFixed(0)} ms | ${after.toFixed(0)} ms | ${(after / before).toFixed(2)}× |`)
      }
    }
    const cached = (list: Visit[]) => `${median(list.map((v) => v.cachedResources))} of ${median(list.map((v) => v.resources))}`
    console.log(`\n(same-origin resources from the HTTP cache, median: cold ${cached(visits[1]!.cold)}, warm ${cached(visits[1]!.warm)} for this build; ` +
      `warm ${cached(visits[0]!.warm)} for today's. Cold: a fresh context with the session's cookies only; warm: its second visit.)`)
  } finally {
    await browser.close()
    await Promise.all(stacks.map((stack) => stack.stop()))
  }
}
