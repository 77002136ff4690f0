// Amazon's operation paths are templates (`/orders/v0/orders/{orderId}/address`): the console asks for each
// `{param}` and fills it in, encoded, so a value with `/`, `?` or `#` stays one path segment.

const PARAMETER = /\{([^{}]+)\}/g

/** The template's parameter names, in order, each once. */
export function pathParameters(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PARAMETER), (match) => match[1]!))]
}

export type FilledPath = { path: string; missing: [] } | { path: null; missing: string[] }

/** The path with every `{param}` replaced by its encodeURIComponent'd value; `missing` names the blank ones. */
export function fillPath(template: string, values: Readonly<Record<string, string>>): FilledPath {
  const missing = pathParameters(template).filter((name) => !values[name]?.trim())
  if (missing.length > 0) return { path: null, missing }
  return { path: template.replace(PARAMETER, (_, name: string) => encodeURIComponent(values[name]!.trim())), missing: [] }
}
