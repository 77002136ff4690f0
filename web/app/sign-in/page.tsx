'use client'
import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { SignInForm, useAuthState } from '../../lib/auth/index.ts'
import { safeRedirect } from '../../lib/safe-redirect.ts'

export default function SignInPage() {
  const auth = useAuthState()
  const router = useRouter()
  // Read after mount: the page is prerendered without a query string.
  const [redirectTo, setRedirectTo] = useState<string | null>(null)
  useEffect(() => setRedirectTo(safeRedirect(new URLSearchParams(window.location.search).get('redirect'))), [])

  useEffect(() => {
    if (auth.status === 'signed-in' && redirectTo) router.replace(redirectTo)
  }, [auth.status, redirectTo, router])

  return (
    <main className="sign-in-page">
      <p className="brand" aria-hidden="true">
        sellersync
      </p>
      {auth.status === 'signed-out' && redirectTo ? <SignInForm redirectTo={redirectTo} /> : <p className="muted">Loading…</p>}
    </main>
  )
}
