import type { Metadata } from 'next'
import { NotFoundPage } from '../components/NotFoundPage.tsx'

export const metadata: Metadata = { title: 'Page not found' }

/** web/out/404.html: what the Worker's static assets answer (status 404) for a path the export has no page for. */
export default function NotFound() {
  return <NotFoundPage />
}
