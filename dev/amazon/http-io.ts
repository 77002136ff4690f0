import type { IncomingMessage, ServerResponse } from 'node:http'

/** What a route answers; written to the socket in one place (http-api.ts). */
export type Reply = { status: number; headers: Record<string, string>; body: string }

const MAX_BODY_BYTES = 1_000_000

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge'
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) }
}

export function html(status: number, markup: string): Reply {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The consent pages are Amazon's: never framed by the app that asks for consent (clickjacking).
      'x-frame-options': 'DENY',
      // No form-action: browsers apply it to the redirect after the POST, which leaves for the app's callback.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
    body: markup,
  }
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('The request body is too large.')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** The media type of a Content-Type header, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  if (response.destroyed || response.headersSent) return
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) })
  response.end(reply.body)
}

/** JSON.parse, undefined for text that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
