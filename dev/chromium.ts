// Debian's Chromium (`apt-get install chromium`; `npx playwright install` cannot download browsers here),
// driven by playwright-core: the browser tests and bench:web.
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export const hasChromium = (): boolean => existsSync(CHROMIUM)

/** Headless; no sandbox (CI runs as root); nothing that reaches the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
