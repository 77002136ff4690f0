import { html } from 'hono/html'
import { version } from '../../package.json'

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'sellersync API',
    version,
    description:
      'Connect Amazon seller accounts (Selling Partner API, Amazon Ads) and call Amazon on their behalf. ' +
      'Authenticate with a Clerk session token or, from scripts, an API key created on the dashboard: ' +
      '`Authorization: Bearer <token or ak_…>`; a key works within its scopes. Errors are ' +
      '`{ "error": { "code", "message", "details"? } }`; every response carries `X-Request-Id`.',
  },
}

/** The parts of JSON Schema the examples are built from. */
type Schema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  enum?: unknown[]
  example?: unknown
  examples?: unknown[]
  default?: unknown
  minimum?: number
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
}
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; example?: unknown }
type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string }>
}
type Document = {
  info: { title: string; version: string; description?: string }
  paths?: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * A readable API reference rendered on the server from the same OpenAPI document: no script and
 * nothing loaded from elsewhere, so it works offline and under a strict CSP.
 */
export function renderApiReference(openApi: object) {
  const document = openApi as Document
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method]! })),
  )
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${document.info.title} reference</title>
    <style>
      :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
      body { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
      section { border-top: 1px solid #8884; padding: 1rem 0; }
      code, pre { font-family: ui-monospace, monospace; }
      .method { font-weight: 700; text-transform: uppercase; margin-right: .5rem; }
      pre { overflow-x: auto; background: #8881; padding: .75rem; border-radius: .375rem; }
      dt { font-weight: 600; }
      .auth { font-size: .9rem; }
    </style>
  </head>
  <body>
    <header>
      <h1>${document.info.title} <small>v${document.info.version}</small></h1>
      <p>${document.info.description ?? ''}</p>
      <p>
        The <code>curl</code> lines expect <code>SELLERSYNC_URL</code> (this server's origin) and
        <code>SELLERSYNC_API_KEY</code> (an <code>ak_…</code> key with the scope shown) or, where only a
        person may act, <code>TOKEN</code> (a Clerk session token) in the environment. Path values are examples.
      </p>
      <p>Machine-readable: <a href="/api/openapi.json">OpenAPI 3.1 document</a>.</p>
    </header>
    <main>
      ${operations.map(
        ({ path, method, operation }) => html`<section id="${method}-${path}">
          <h2><span class="method">${method}</span><code>${path}</code></h2>
          <p><strong>${operation.summary ?? ''}</strong></p>
          <p class="auth">${authNote(operation)}</p>
          <p>${operation.description ?? ''}</p>
          <pre class="curl"><code>${curlCommand(path, method, operation, document.components?.schemas ?? {})}</code></pre>
          ${operation.parameters?.length
            ? html`<h3>Parameters</h3><ul>${operation.parameters.map((p) => html`<li><code>${p.name}</code> (${p.in}${p.required ? ', required' : ''})</li>`)}</ul>`
            : ''}
          ${operation.requestBody?.content?.['application/json']?.schema
            ? html`<h3>Request body</h3><pre>${JSON.stringify(operation.requestBody.content['application/json'].schema, null, 2)}</pre>`
            : ''}
          <h3>Responses</h3>
          <dl>${Object.entries(operation.responses ?? {}).map(([status, response]) => html`<dt>${status}</dt><dd>${response.description ?? ''}</dd>`)}</dl>
        </section>`,
      )}
    </main>
  </body>
</html>`
}

/** Who may call an operation, from its `security`: `[{ clerkSession: [] }, { apiKey: [scope] }]`, a session only, or nobody in particular. */
function callers(operation: Operation): { session: boolean; apiKey: string[] | null } {
  const security = operation.security ?? []
  const apiKey = security.find((requirement) => 'apiKey' in requirement)?.apiKey ?? null
  return { session: security.some((requirement) => 'clerkSession' in requirement), apiKey }
}

function authNote(operation: Operation) {
  const { session, apiKey } = callers(operation)
  if (apiKey) {
    return apiKey.length
      ? html`Auth: a Clerk session token, or an API key with the scope${apiKey.length > 1 ? 's' : ''} ${apiKey.map((scope, index) => html`${index ? ', ' : ''}<code>${scope}</code>`)}`
      : html`Auth: a Clerk session token, or any API key`
  }
  if (session) return html`Auth: a Clerk session token only (an API key gets <code>403 session_required</code>)`
  const headers = (operation.parameters ?? []).filter((parameter) => parameter.in === 'header' && parameter.required)
  return headers.length
    ? html`Auth: no token or key; required headers: ${headers.map((parameter, index) => html`${index ? ', ' : ''}<code>${parameter.name}</code>`)}`
    : 'Auth: none'
}

/** A single-quoted shell word. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** A parameter's example, else a placeholder. */
function parameterValue(parameter: Parameter): string {
  const example = parameter.example ?? parameter.schema?.example ?? parameter.schema?.examples?.[0]
  return example === undefined ? `{${parameter.name}}` : String(example)
}

/**
 * A copy-paste `curl` for the operation (plain text; the page escapes it): the path with example values,
 * the Authorization its `security` asks for, required headers and query parameters, and for a JSON body
 * an example built from its schema.
 */
function curlCommand(path: string, method: string, operation: Operation, schemas: Record<string, Schema>): string {
  const parameters = operation.parameters ?? []
  let url = path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const parameter = parameters.find((candidate) => candidate.in === 'path' && candidate.name === name)
    return parameter ? parameterValue(parameter) : whole
  })
  const query = parameters.filter((parameter) => parameter.in === 'query' && parameter.required)
  if (query.length) url += `?${query.map((parameter) => `${parameter.name}=${parameterValue(parameter)}`).join('&')}`
  const options: string[] = []
  const { session, apiKey } = callers(operation)
  if (apiKey) options.push('-H "Authorization: Bearer $SELLERSYNC_API_KEY"')
  else if (session) options.push('-H "Authorization: Bearer $TOKEN"')
  for (const parameter of parameters.filter((candidate) => candidate.in === 'header' && candidate.required)) {
    const example = parameter.example ?? parameter.schema?.example
    options.push(`-H ${shellQuote(`${parameter.name}: ${example === undefined ? `<${parameter.name}>` : String(example)}`)}`)
  }
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema
  if (bodySchema) options.push("-H 'content-type: application/json'", `-d ${shellQuote(JSON.stringify(exampleOf(bodySchema, schemas) ?? {}))}`)
  // curl reads {…} and […] in a URL as globs: a placeholder left in the path needs --globoff.
  const glob = /[{}[\]]/.test(url) ? '-g ' : ''
  const verb = method === 'get' ? '' : `-X ${method.toUpperCase()} `
  return [`curl ${glob}${verb}"$SELLERSYNC_URL${url}"`, ...options].join(' \\\n  ')
}

/** A small value that fits the schema: its examples, else required properties (or the first one) filled in. */
function exampleOf(schema: Schema, schemas: Record<string, Schema>, depth = 0): unknown {
  if (schema.$ref) {
    const target = schemas[schema.$ref.replace('#/components/schemas/', '')]
    return target && depth < 8 ? exampleOf(target, schemas, depth + 1) : {}
  }
  if (schema.example !== undefined) return schema.example
  if (schema.examples?.length) return schema.examples[0]
  if (schema.default !== undefined) return schema.default
  if (schema.enum?.length) return schema.enum[0]
  const choice = (schema.anyOf ?? schema.oneOf ?? schema.allOf)?.find((option) => option.type !== 'null')
  if (choice) return exampleOf(choice, schemas, depth + 1)
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== 'null') : schema.type
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {})
      const chosen = properties.filter(([name, property]) => schema.required?.includes(name) || property.example !== undefined)
      const fields = chosen.length ? chosen : properties.slice(0, 1)
      return Object.fromEntries(fields.map(([name, property]) => [name, exampleOf(property, schemas, depth + 1)]))
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, schemas, depth + 1)] : []
    case 'string':
      return 'string'
    case 'integer':
    case 'number':
      return schema.minimum ?? 0
    case 'boolean':
      return true
    case 'null':
      return null
    default:
      return {}
  }
}
