// A response body as the console shows it: JSON pretty-printed, anything else as it came, and cut at a limit
// so a 5 MB report does not freeze the page until the seller asks for all of it.

/** About 40 screens of JSON: enough to read, small enough to render at once. */
const PREVIEW_CHARS = 20_000

export type BodyPreview = {
  /** The whole body, formatted. */
  full: string
  /** What is shown until "Show all": `full`, or its first PREVIEW_CHARS characters. */
  shown: string
  truncated: boolean
  isJson: boolean
}

export function previewBody(raw: string, limit = PREVIEW_CHARS): BodyPreview {
  let full = raw
  let isJson = false
  if (raw.trim() !== '') {
    try {
      full = JSON.stringify(JSON.parse(raw), null, 2)
      isJson = true
    } catch {
      // not JSON: shown as it came
    }
  }
  const truncated = full.length > limit
  return { full, shown: truncated ? full.slice(0, limit) : full, truncated, isJson }
}
