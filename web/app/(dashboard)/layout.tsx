'use client'
import Link from 'next/link'
import { usePathname, useRouter } from 'next/navigation'
import { type ReactNode, useEffect } from 'react'
import { AccountSelector } from '../../components/AccountSelector.tsx'
import { AppFrame } from '../../components/AppFrame.tsx'
import { MainNav } from '../../components/MainNav.tsx'
import { ProfileDropdown } from '../../components/ProfileDropdown.tsx'
import { RegionBoundary } from '../../components/RegionBoundary.tsx'
import { ActiveAccountProvider } from '../../lib/active-account.tsx'
import { useAuthState } from '../../lib/auth/index.ts'
import { useHeadingFocus } from '../../lib/use-heading-focus.ts'

/** Every dashboard page: signed-out visitors go to /sign-in and come back here afterwards. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  const auth = useAuthState()
  const router = useRouter()
  const pathname = usePathname()
  useHeadingFocus()

  useEffect(() => {
    if (auth.status !== 'signed-out') return
    const here = `${window.location.pathname}${window.location.search}`
    router.replace(`/sign-in/?redirect=${encodeURIComponent(here)}`)
  }, [auth.status, router, pathname])

  // Until the session is known: the app's frame (what the export prerenders too), not a bare loading line.
  if (auth.status !== 'signed-in') return <AppFrame />
  return (
    <ActiveAccountProvider userId={auth.user.id}>
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
            <ProfileDropdown user={auth.user} onSignOut={auth.signOut} />
          </RegionBoundary>
        </div>
      </header>
      {children}
    </ActiveAccountProvider>
  )
}
