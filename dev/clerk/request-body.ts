import type { IncomingMessage } from 'node:http'
import { ClerkApiError } from './clerk-errors.ts'

/** The whole request body as text, or Clerk's 413 once it grows past `maxBytes`. */
export async function readBodyText(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) {
      throw new ClerkApiError(413, [{ message: 'Request too large', long_message: 'The request body is too large.', code: 'request_body_too_large' }])
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
