// Writes worker/src/amazon/operations/sp-api-operations.generated.ts: every SP-API operation, the
// table the Amazon proxy forwards by.
//
//   npm run generate:sp-api-operations -- <path>
//
// <path> is either
//   - a clone of https://github.com/amzn/selling-partner-api-models: the generator reads its
//     models/*/*.json (method, path, operationId, and the rate and burst of each operation's "Usage Plan"
//     table) and names the clone's commit in the generated header; or
//   - a JSON file { source, operations: [{ api, model, operationId, method, path, rate, burst }] } of
//     operations already extracted from those models.
// The output is deterministic (sorted, one operation per line): review it as a diff and commit it.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { extractModelOperations, modelVersionOf } from './extract-model-operations.ts'
import { type ExtractedOperation, type ExtractedOperations, extractedOperationsSchema } from './extracted-operations.ts'
import { renderOperationsModule, versionOf } from './render-operations-module.ts'

const OUTPUT = fileURLToPath(new URL('../../worker/src/amazon/operations/sp-api-operations.generated.ts', import.meta.url))

const input = process.argv[2]
if (input === undefined || process.argv.length > 3) {
  console.error('usage: npm run generate:sp-api-operations -- <clone of amzn/selling-partner-api-models | extracted operations JSON>')
  process.exit(2)
}

try {
  const operations = statSync(input).isDirectory() ? readClone(input) : readExtracted(input)
  writeFileSync(OUTPUT, renderOperationsModule(operations))
  console.log(`${operations.operations.length} operations → ${OUTPUT}`)
} catch (error) {
  console.error(`generate:sp-api-operations: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}

function readExtracted(file: string): ExtractedOperations {
  const parsed = extractedOperationsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) throw new Error(`${file} is not an extracted operations file:\n${z.prettifyError(parsed.error)}`)
  return parsed.data
}

function readClone(root: string): ExtractedOperations {
  const models = join(root, 'models')
  if (!existsSync(models)) throw new Error(`${root} has no models/ directory: is it a clone of amzn/selling-partner-api-models?`)
  const operations: ExtractedOperation[] = []
  for (const directory of readdirSync(models).sort()) {
    if (!statSync(join(models, directory)).isDirectory()) continue
    for (const file of readdirSync(join(models, directory)).sort()) {
      if (!file.endsWith('.json')) continue
      const document: unknown = JSON.parse(readFileSync(join(models, directory, file), 'utf8'))
      const version = modelVersionOf(document)
      for (const operation of extractModelOperations(directory, file, document)) {
        // The JSON input carries no info.version, so the table derives it from names; both must agree.
        if (versionOf(file, operation.path) !== version) {
          throw new Error(`${file}: info.version is ${version} but its name and paths say ${versionOf(file, operation.path)}: update versionOf`)
        }
        operations.push(operation)
      }
    }
  }
  return { source: `https://github.com/amzn/selling-partner-api-models${revisionOf(root)}, models/*/*.json`, operations }
}

/** ` at <commit>` (plus a warning when models/ has local changes), or nothing when root is not a git work tree. */
function revisionOf(root: string): string {
  try {
    const commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim()
    const changed = execFileSync('git', ['-C', root, 'status', '--porcelain', '--', 'models'], { encoding: 'utf8' }).trim()
    return ` at ${commit}${changed === '' ? '' : ' with local changes'}`
  } catch {
    return ''
  }
}
