// Writes a checked-in generated file, or (with --check) fails when the checked-in copy differs from a fresh
// generation. Used by `npm run types:worker` / `types:db` and by `npm run types:check` (CI, .ci/run).
import { readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** `--check` on the command line: compare, never write. */
export const checkOnly = process.argv.slice(2).includes('--check')

/**
 * Writes `content` to `path`, or in check mode compares it with what is there: on a difference prints the
 * first differing line and the command that regenerates the file, and sets a failing exit code.
 */
export function writeOrCheck(path: string, content: string, regenerate: string): void {
  const name = relative(repoRoot, path)
  if (!checkOnly) {
    writeFileSync(path, content)
    console.log(`wrote ${name}`)
    return
  }
  let current: string | null = null
  try {
    current = readFileSync(path, 'utf8')
  } catch {
    // missing: reported below
  }
  if (current === content) {
    console.log(`${name} is up to date`)
    return
  }
  console.error(`${name} is stale: run \`${regenerate}\` and commit the result.`)
  if (current === null) {
    console.error('  (the file is missing)')
  } else {
    const was = current.split('\n')
    const now = content.split('\n')
    const line = was.findIndex((text, index) => text !== now[index])
    const at = line === -1 ? was.length : line
    console.error(`  first difference at line ${at + 1}:`)
    console.error(`  checked in: ${was[at] ?? '(end of file)'}`)
    console.error(`  generated:  ${now[at] ?? '(end of file)'}`)
  }
  process.exitCode = 1
}

/** Runs `main`, turning a thrown error into one line and exit code 1. */
export async function run(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main()
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
