/** The path parameters a template binds (`{orderId}` → the request's segment, percent-decoded). */
export type PathParams = Record<string, string>

/**
 * Whether `path` fits `template` (an API model's path, `{name}` standing for one segment), segment by
 * segment; its parameters if so.
 */
export function matchPathTemplate(template: string, path: string): PathParams | undefined {
  const expected = template.split('/')
  const actual = path.split('/')
  if (expected.length !== actual.length) return undefined
  const params: PathParams = {}
  for (let i = 0; i < expected.length; i++) {
    const name = /^\{(\w+)\}$/.exec(expected[i]!)?.[1]
    if (name === undefined) {
      if (expected[i] !== actual[i]) return undefined
      continue
    }
    const value = decodeSegment(actual[i]!)
    if (value === undefined || value === '') return undefined
    params[name] = value
  }
  return params
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
