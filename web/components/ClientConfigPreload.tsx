// Clerk builds: every page starts by reading Clerk's publishable key (lib/client-config.ts). A `<link rel=preload>`
// in the exported HTML fetches it as soon as the page arrives, beside the page's JS, instead of after hydration.
// `crossOrigin: 'anonymous'` (same origin, with credentials) is what a plain fetch() sends, so that fetch reuses it.
// Not a `Link` header in _headers: Chromium also acts on one of a same-path RSC fetch and preloads again, unused.
// Not in the local build: its adapter reads the key only when a session is stored, and an unused preload warns.
import { preload } from 'react-dom'

export function ClientConfigPreload() {
  preload('/api/client-config', { as: 'fetch', crossOrigin: 'anonymous' })
  return null
}
