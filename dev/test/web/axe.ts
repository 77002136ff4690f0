// axe-core in the page under test, at a phone's and a desktop's width, in each color scheme the dashboard supports:
// a rule can fail at one width only (the profile button shows the user's name from 640 px), or in one scheme only.
import axe from 'axe-core'
import type { Page } from 'playwright-core'

type AxeResults = { violations: Array<{ id: string; impact?: string | null; nodes: Array<{ html: string; target: unknown }> }> }
type ColorScheme = 'light' | 'dark'
type Viewport = { width: number; height: number }

/** The two sizes the dashboard is designed for and screenshotted at. */
export const VIEWPORTS: readonly Viewport[] = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
]
const SCHEMES: readonly ColorScheme[] = ['light', 'dark']

/**
 * The serious and critical violations on the current page at both widths and in both color schemes, one line per
 * element: `<width> <scheme>: <impact> <rule>: <the element's text, or its markup>`. Moderate and minor ones are
 * logged (one line per rule and element), not returned. The page's viewport and color scheme are restored after.
 * `only` narrows the runs, e.g. to the one color scheme a test has set up.
 */
export async function seriousA11yViolations(
  page: Page,
  only: { colorSchemes?: readonly ColorScheme[]; viewports?: readonly Viewport[] } = {},
): Promise<string[]> {
  // Run through the DevTools protocol, not added as a <script>: the dashboard's CSP refuses inline scripts it did not write.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source)
  const wasDark = await page.evaluate(() =>
    (globalThis as unknown as { matchMedia: (query: string) => { matches: boolean } }).matchMedia('(prefers-color-scheme: dark)').matches,
  )
  const viewport = page.viewportSize()
  const found: string[] = []
  /** Moderate and minor findings: each rule and element once, with where it was seen. */
  const lesser = new Map<string, string[]>()
  try {
    for (const size of only.viewports ?? VIEWPORTS) {
      await page.setViewportSize(size)
      for (const colorScheme of only.colorSchemes ?? SCHEMES) {
        await page.emulateMedia({ colorScheme })
        await settled(page)
        const lines = await page.evaluate(async () => {
          const result = await (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run() // the whole document
          return result.violations.flatMap((v) =>
            v.nodes.map((n) => ({ impact: v.impact ?? 'minor', line: `${v.impact} ${v.id}: ${n.html.replace(/<[^>]*>/g, '').trim() || n.html}` })),
          )
        })
        const where = `${size.width} ${colorScheme}`
        for (const { impact, line } of lines) {
          if (impact === 'serious' || impact === 'critical') found.push(`${where}: ${line}`)
          else lesser.set(line, [...(lesser.get(line) ?? []), where])
        }
      }
    }
    const path = new URL(page.url()).pathname
    for (const [line, wheres] of lesser) console.log(`axe ${path}: ${line} (${wheres.join(', ')})`)
  } finally {
    if (viewport) await page.setViewportSize(viewport)
    await page.emulateMedia({ colorScheme: wasDark ? 'dark' : 'light' })
    await settled(page)
  }
  return found
}

/** After a color-scheme or size switch: the re-render done and every CSS transition finished (mid-fade colors fail contrast). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const scope = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => void; document: { getAnimations: () => Array<{ finished: Promise<unknown> }> } }
    const frame = () => new Promise<void>((resolve) => scope.requestAnimationFrame(() => resolve()))
    await frame()
    await frame()
    await Promise.all(scope.document.getAnimations().map((animation) => animation.finished.catch(() => {})))
  })
}
