import { html } from 'hono/html'
import { version } from '../../package.json'

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'sellersync API',
    version,
    description:
      'Connect Amazon seller accounts (Selling Partner API, Amazon Ads) and call Amazon on their behalf. ' +
      'Authenticate with a Clerk session token: `Authorization: Bearer <token>`. Errors are ' +
      '`{ "error": { "code", "message", "details"? } }`; every response carries `X-Request-Id`.',
  },
}

type Operation = {
  summary?: string
  description?: string
  tags?: string[]
  security?: unknown[]
  parameters?: Array<{ name: string; in: string; required?: boolean }>
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  responses?: Record<string, { description?: string }>
}
type Document = { info: { title: string; version: string; description?: string }; paths?: Record<string, Record<string, Operation>> }

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
    </style>
  </head>
  <body>
    <header>
      <h1>${document.info.title} <small>v${document.info.version}</small></h1>
      <p>${document.info.description ?? ''}</p>
      <p>Machine-readable: <a href="/api/openapi.json">OpenAPI 3.1 document</a>.</p>
    </header>
    <main>
      ${operations.map(
        ({ path, method, operation }) => html`<section id="${method}-${path}">
          <h2><span class="method">${method}</span><code>${path}</code></h2>
          <p><strong>${operation.summary ?? ''}</strong>${operation.security?.length ? ' — requires a Clerk session token' : ''}</p>
          <p>${operation.description ?? ''}</p>
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
