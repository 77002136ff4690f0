import { z } from 'zod'
import { parseJson } from './http-io.ts'

const pageTokenSchema = z.object({ offset: z.int().min(0) })

/**
 * The stand-in's pagination tokens (`NextToken`, `pageToken`, `nextToken`): opaque to clients, like
 * Amazon's, and holding only where the next page starts.
 */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url')
}

/** The offset a token stands for; undefined for a token the stand-in did not issue. */
export function decodePageToken(token: string): number | undefined {
  const parsed = pageTokenSchema.safeParse(parseJson(Buffer.from(token, 'base64url').toString('utf8')))
  return parsed.success ? parsed.data.offset : undefined
}
