import type { ExtractedOperation } from './extracted-operations.ts'

/**
 * Reads the operations of one Swagger 2.0 model of amzn/selling-partner-api-models (models/<dir>/<file>.json).
 * Pure: the caller reads the files.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

type ModelDocument = {
  info?: { version?: unknown }
  paths?: Record<string, Record<string, unknown>>
}

/** `orders-api-model` → `orders`; `delivery-by-amazon` and `external-fulfillment` have no suffix. */
function apiNameOf(modelDirectory: string): string {
  return modelDirectory.replace(/(-api)?-model$/, '')
}

/** The model's own version (`info.version`), which the generated table records per operation. */
export function modelVersionOf(document: unknown): string {
  const version = (document as ModelDocument).info?.version
  if (typeof version !== 'string' || version === '') throw new Error('model has no info.version')
  return version
}

export function extractModelOperations(modelDirectory: string, modelFile: string, document: unknown): ExtractedOperation[] {
  const paths = (document as ModelDocument).paths
  if (typeof paths !== 'object' || paths === null) throw new Error(`${modelFile}: no paths`)
  const operations: ExtractedOperation[] = []
  for (const [path, item] of Object.entries(paths)) {
    // Path items also hold `parameters` and `x-amzn-api-sandbox…` extensions: only methods are operations.
    for (const method of METHODS) {
      const operation = item[method] as { operationId?: unknown; description?: unknown } | undefined
      if (operation === undefined) continue
      if (typeof operation.operationId !== 'string') throw new Error(`${modelFile}: ${method.toUpperCase()} ${path} has no operationId`)
      const plan = parseUsagePlan(typeof operation.description === 'string' ? operation.description : '')
      operations.push({
        api: apiNameOf(modelDirectory),
        model: modelFile,
        operationId: operation.operationId,
        method: method.toUpperCase() as ExtractedOperation['method'],
        path,
        rate: plan?.rate ?? null,
        burst: plan?.burst ?? null,
      })
    }
  }
  return operations
}

/**
 * The default rate and burst of an operation description's "Usage Plan" Markdown table. Amazon writes it
 * in a few ways: `**Usage Plan:**` or `**Usage plan:**`, a `| Rate | Burst |` table or a `| Plan type |
 * Rate | Burst |` one whose `Default` row counts, and in one model with literal `\n` instead of line
 * breaks. Placeholders (`| n | n |`, `Variable`) and a missing table are "no published plan".
 */
export function parseUsagePlan(description: string): { rate: number; burst: number } | undefined {
  const start = description.search(/usage plans?:/i)
  if (start < 0) return undefined
  const lines = description.slice(start).replaceAll('\\n', '\n').split('\n').map((line) => line.trim())
  const first = lines.findIndex((line) => line.startsWith('|'))
  if (first < 0) return undefined
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'))
  const rows = lines.slice(first, end < 0 ? undefined : end).map(cellsOf)
  const [header, , ...body] = rows
  if (header === undefined) return undefined
  const rateColumn = header.findIndex((cell) => /^rate\b/i.test(cell))
  const burstColumn = header.findIndex((cell) => /^burst$/i.test(cell))
  if (rateColumn < 0 || burstColumn < 0) return undefined
  const planColumn = header.findIndex((cell) => /^plan type$/i.test(cell))
  const row = planColumn < 0 ? body[0] : body.find((cells) => /^default$/i.test(cells[planColumn] ?? ''))
  const rate = Number(row?.[rateColumn] ?? Number.NaN)
  const burst = Number(row?.[burstColumn] ?? Number.NaN)
  return rate > 0 && Number.isInteger(burst) && burst > 0 ? { rate, burst } : undefined
}

function cellsOf(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim())
}
