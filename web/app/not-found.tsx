import type { Metadata } from 'next'
import Link from 'next/link'

export const metadata: Metadata = { title: 'Page not found' }

/** web/out/404.html: what the Worker's static assets answer (status 404) for a path the export has no page for. */
export default function NotFound() {
  return (
    <main className="center stack">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link href="/accounts/" className="button primary">
        Go to your accounts
      </Link>
    </main>
  )
}
