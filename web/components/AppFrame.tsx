'use client'
// The dashboard while auth is loading: the top bar (brand and navigation, placeholders where the account switch
// and the menu go) over a page skeleton. It is also what the static export prerenders for every dashboard page,
// so the first paint, before any JS runs, is the app rather than a loading line.
import Link from 'next/link'
import { MainNav } from './MainNav.tsx'

export function AppFrame() {
  return (
    <>
      <header className="topbar">
        {/* No prefetching yet: the other pages' files would compete with Clerk and the accounts for the network. */}
        <Link href="/accounts/" className="brand" prefetch={false}>
          sellersync
        </Link>
        <MainNav prefetch={false} />
        <div className="topbar-end" aria-hidden="true">
          <span className="bone frame-select" />
          <span className="bone frame-avatar" />
        </div>
      </header>
      <main id="main" className="page app-frame" aria-busy="true">
        <p className="visually-hidden">Loading…</p>
        <span className="bone wide" aria-hidden="true" />
        {[0, 1].map((index) => (
          <div key={index} className="card skeleton" aria-hidden="true">
            <span className="bone wide" />
            <span className="bone" />
            <span className="bone" />
          </div>
        ))}
      </main>
    </>
  )
}
