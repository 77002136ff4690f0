import type { OperationSpec } from './operation-spec.ts'
import { createOperationSuggester, type OperationSuggestion } from './operation-suggestions.ts'

/**
 * Matching request paths against an operation table, shared by the SP-API and Ads tables. The table is
 * compiled once into a segment trie per method, so a request costs one walk over its segments.
 */

export type OperationMatch<S extends OperationSpec> = {
  spec: S
  /** The template's `{name}` segments, as received (still percent-encoded). */
  params: Record<string, string>
}

export type OperationMatcher<S extends OperationSpec> = {
  /**
   * The operation `method` and `path` address. `path` starts with `/`, has no query string and is
   * percent-encoded as received. Literal segments win over `{name}` ones, leftmost first. Paths that are
   * not forwardable as they stand (see forwardableSegments) match nothing.
   */
  match(method: string, path: string): OperationMatch<S> | undefined
  /** The `limit` operations nearest to `method` and `path`, nearest first (see operation-suggestions.ts). */
  closest(method: string, path: string, limit: number): OperationSuggestion[]
}

type Leaf<S> = { spec: S; paramNames: readonly string[] }
type TrieNode<S> = { literals: Map<string, TrieNode<S>>; param: TrieNode<S> | undefined; leaf: Leaf<S> | undefined }
type Compiled<S> = { spec: S; segments: readonly string[]; isParam: readonly boolean[] }

const PARAM = /^\{[A-Za-z0-9_]+\}$/
// RFC 3986 unreserved characters: a literal segment made of them has no other spelling.
const LITERAL = /^[A-Za-z0-9._~-]+$/
const HEX_BYTE = /^[0-9A-Fa-f]{2}$/

export function createOperationMatcher<S extends OperationSpec>(specs: readonly S[]): OperationMatcher<S> {
  const tries = new Map<string, TrieNode<S>>()
  for (const spec of specs) insert(tries, compile(spec))

  return {
    match(method, path) {
      const root = tries.get(method)
      const segments = forwardableSegments(path)
      if (root === undefined || segments === undefined) return undefined
      const captured: string[] = []
      const leaf = find(root, segments, 0, captured)
      if (leaf === undefined) return undefined
      return { spec: leaf.spec, params: Object.fromEntries(leaf.paramNames.map((name, index) => [name, captured[index]!])) }
    },

    closest: createOperationSuggester(specs),
  }
}

/**
 * The path's segments, or undefined when forwarding it as it stands could reach another resource than
 * the one matched: an empty segment (`//`, a trailing `/`), a dot segment, a backslash (URL parsers read
 * it as `/`), a percent-encoded `\`, a malformed escape, or an escaped unreserved character (`%2e`,
 * `%6F`: normalizers decode those, so `.%2e` is `..` and `%6Frders` is `orders`). An escaped `/` stays:
 * a SKU may contain one, and Amazon asks for it as `%2F` inside the segment (it can only ever fill a
 * `{param}`, since literal segments never contain `%`).
 */
function forwardableSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined
  const segments = path.slice(1).split('/')
  return segments.every(isForwardableSegment) ? segments : undefined
}

function isForwardableSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..' || segment.includes('\\')) return false
  for (let index = segment.indexOf('%'); index >= 0; index = segment.indexOf('%', index + 1)) {
    const hex = segment.slice(index + 1, index + 3)
    if (!HEX_BYTE.test(hex)) return false
    const char = String.fromCharCode(Number.parseInt(hex, 16))
    if (char === '\\' || LITERAL.test(char)) return false
  }
  return true
}

function compile<S extends OperationSpec>(spec: S): Compiled<S> {
  if (!spec.path.startsWith('/')) throw new Error(`${spec.operationId}: path ${spec.path} does not start with /`)
  const segments = spec.path.slice(1).split('/')
  const isParam = segments.map((segment) => {
    if (PARAM.test(segment)) return true
    if (LITERAL.test(segment)) return false
    throw new Error(`${spec.operationId}: segment ${JSON.stringify(segment)} of ${spec.path} is neither a literal nor a whole {name}`)
  })
  return { spec, segments, isParam }
}

function insert<S extends OperationSpec>(tries: Map<string, TrieNode<S>>, { spec, segments, isParam }: Compiled<S>): void {
  let node = tries.get(spec.method)
  if (node === undefined) tries.set(spec.method, (node = emptyNode()))
  const paramNames: string[] = []
  segments.forEach((segment, index) => {
    if (isParam[index]) {
      paramNames.push(segment.slice(1, -1))
      node = node!.param ??= emptyNode()
    } else {
      let next = node!.literals.get(segment)
      if (next === undefined) node!.literals.set(segment, (next = emptyNode()))
      node = next
    }
  })
  if (node.leaf !== undefined) throw new Error(`${spec.method} ${spec.path} and ${node.leaf.spec.path} are the same template (${spec.operationId}, ${node.leaf.spec.operationId})`)
  node.leaf = { spec, paramNames }
}

function emptyNode<S>(): TrieNode<S> {
  return { literals: new Map(), param: undefined, leaf: undefined }
}

// Depth-first, literal child before the parameter child: the leftmost literal wins, and a dead-end
// literal branch falls back to the parameter.
function find<S>(node: TrieNode<S>, segments: readonly string[], index: number, captured: string[]): Leaf<S> | undefined {
  if (index === segments.length) return node.leaf
  const segment = segments[index]!
  const literal = node.literals.get(segment)
  const viaLiteral = literal === undefined ? undefined : find(literal, segments, index + 1, captured)
  if (viaLiteral !== undefined || node.param === undefined) return viaLiteral
  captured.push(segment)
  const viaParam = find(node.param, segments, index + 1, captured)
  if (viaParam === undefined) captured.pop()
  return viaParam
}
