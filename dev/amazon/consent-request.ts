import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'
import type { Region } from '../../worker/src/amazon/regions.ts'
import { html, mediaType, redirect, type Reply } from './http-io.ts'
import { renderErrorPage } from './consent-html.ts'

/** A request to a consent page: `GET` shows it, `POST` (same URL, `decision=approve|deny`) answers it. */
export type ConsentRequest = {
  method: string
  host: string
  region: Region
  /** Path on the Amazon host, e.g. `/apps/authorize/consent`. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
}

const decisionSchema = z.object({ decision: z.enum(['approve', 'deny']) })

/** The form's decision; undefined when the body is not a form with `decision=approve|deny`. */
export function parseDecision(request: ConsentRequest): 'approve' | 'deny' | undefined {
  if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') return undefined
  const parsed = decisionSchema.safeParse(Object.fromEntries(new URLSearchParams(request.body.toString('utf8'))))
  return parsed.success ? parsed.data.decision : undefined
}

/**
 * The posted Approve/Deny answer: 'approve', or the reply itself — an error page when the form carries
 * no decision, or the deny redirect (`error=access_denied`) back to the app.
 */
export function consentDecision(
  request: ConsentRequest,
  denial: { brand: string; redirectUri: string; state: string | undefined; description: string },
): 'approve' | Reply {
  const decision = parseDecision(request)
  if (!decision) return errorPage(denial.brand, 'Choose Approve or Deny (form field decision=approve|deny).')
  if (decision === 'approve') return 'approve'
  return redirectWith(denial.redirectUri, { error: 'access_denied', error_description: denial.description, state: denial.state })
}

/** Where the consent form posts: this very URL on the stand-in (host segment, path and query). */
export function formAction(request: ConsentRequest): string {
  const search = request.query.toString()
  return `/${request.host}${request.path}${search ? `?${search}` : ''}`
}

/** The redirect URI with parameters appended (keeping any query it already has). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): Reply {
  const target = new URL(redirectUri)
  for (const [name, value] of Object.entries(params)) if (value !== undefined) target.searchParams.append(name, value)
  return redirect(target.href)
}

export function errorPage(brand: string, message: string, code?: string, status = 400): Reply {
  return html(status, renderErrorPage({ brand, message, code }))
}

/** The query's single value for a name (the first, if repeated). */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)
  return value === null || value === '' ? undefined : value
}
