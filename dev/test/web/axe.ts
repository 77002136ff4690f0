// axe-core in the page under test, in each color scheme the dashboard supports.
import axe from 'axe-core'
import type { Page } from 'playwright-core'

type AxeResults = { violations: Array<{ id: string; impact?: string | null; nodes: Array<{ html: string; target: unknown }> }> }
type ColorScheme = 'light' | 'dark'

/**
 * The serious and critical violations on the current page, one line per element:
 * `<scheme>: <impact> <rule>: <the element's text, or its markup>`. The page's color scheme is restored after.
 */
export async function seriousA11yViolations(page: Page, colorSchemes: ColorScheme[] = ['light', 'dark']): Promise<string[]> {
  // Run through the DevTools protocol, not added as a <script>: the dashboard's CSP refuses inline scripts it did not write.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source)
  const wasDark = await page.evaluate(() =>
    (globalThis as unknown as { matchMedia: (query: string) => { matches: boolean } }).matchMedia('(prefers-color-scheme: dark)').matches,
  )
  const found: string[] = []
  try {
    for (const colorScheme of colorSchemes) {
      await page.emulateMedia({ colorScheme })
      await settled(page)
      const lines = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run() // the whole document
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.html.replace(/<[^>]*>/g, '').trim() || n.html}`))
      })
      found.push(...lines.map((line) => `${colorScheme}: ${line}`))
    }
  } finally {
    await page.emulateMedia({ colorScheme: wasDark ? 'dark' : 'light' })
    await settled(page)
  }
  return found
}

/** After a color-scheme switch: the re-render done and every CSS transition finished (mid-fade colors fail contrast). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const scope = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => void; document: { getAnimations: () => Array<{ finished: Promise<unknown> }> } }
    const frame = () => new Promise<void>((resolve) => scope.requestAnimationFrame(() => resolve()))
    await frame()
    await frame()
    await Promise.all(scope.document.getAnimations().map((animation) => animation.finished.catch(() => {})))
  })
}
