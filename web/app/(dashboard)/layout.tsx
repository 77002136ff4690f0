'use client'
import { usePathname, useRouter } from 'next/navigation'
import { type ReactNode, useEffect } from 'react'
import { AppFrame } from '../../components/AppFrame.tsx'
import { TopBar } from '../../components/TopBar.tsx'
import { ActiveAccountProvider } from '../../lib/active-account.tsx'
import { useAuthState } from '../../lib/auth/index.ts'
import { useHeadingFocus } from '../../lib/use-heading-focus.ts'

/** Every dashboard page: signed-out visitors go to /sign-in and come back here afterwards. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  const auth = useAuthState()
  const router = useRouter()
  const pathname = usePathname()
  useHeadingFocus(auth.status === 'signed-in')

  useEffect(() => {
    if (auth.status !== 'signed-out') return
    const here = `${window.location.pathname}${window.location.search}`
    router.replace(`/sign-in/?redirect=${encodeURIComponent(here)}`)
  }, [auth.status, router, pathname])

  // Until the session is known: the app's frame (what the export prerenders too), not a bare loading line.
  if (auth.status !== 'signed-in') return <AppFrame />
  return (
    <ActiveAccountProvider userId={auth.user.id}>
      <TopBar user={auth.user} onSignOut={auth.signOut} />
      {children}
    </ActiveAccountProvider>
  )
}
