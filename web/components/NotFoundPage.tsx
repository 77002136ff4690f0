'use client'
// The 404 page (web/out/404.html, for every unknown path): inside the app's frame, top bar and all, when a session
// exists, so a mistyped address is one click from any page; the plain page otherwise (and before auth is known).
import Link from 'next/link'
import { ActiveAccountProvider } from '../lib/active-account.tsx'
import { useAuthState } from '../lib/auth/index.ts'
import { TopBar } from './TopBar.tsx'

export function NotFoundPage() {
  const auth = useAuthState()
  const content = (
    <main id="main" className="center stack">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link href="/accounts/" className="button primary">
        Go to your accounts
      </Link>
    </main>
  )
  if (auth.status !== 'signed-in') return content
  return (
    <ActiveAccountProvider userId={auth.user.id}>
      <TopBar user={auth.user} onSignOut={auth.signOut} />
      {content}
    </ActiveAccountProvider>
  )
}
