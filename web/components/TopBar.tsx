'use client'
// The signed-in frame's top bar: the brand, the pages, the active account and the profile menu. Dashboard pages and
// the 404 page (for a signed-in visitor) share it; it needs ActiveAccountProvider above it.
import Link from 'next/link'
import type { AuthUser } from '../lib/auth/index.ts'
import { AccountSelector } from './AccountSelector.tsx'
import { MainNav } from './MainNav.tsx'
import { ProfileDropdown } from './ProfileDropdown.tsx'
import { RegionBoundary } from './RegionBoundary.tsx'

export function TopBar({ user, onSignOut }: { user: AuthUser; onSignOut: () => Promise<void> }) {
  return (
    <header className="topbar">
      <Link href="/accounts/" className="brand">
        sellersync
      </Link>
      <MainNav />
      <div className="topbar-end">
        <RegionBoundary title="Account switch unavailable" variant="inline">
          <AccountSelector />
        </RegionBoundary>
        <RegionBoundary title="Menu unavailable" variant="inline">
          <ProfileDropdown user={user} onSignOut={onSignOut} />
        </RegionBoundary>
      </div>
    </header>
  )
}
