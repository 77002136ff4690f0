'use client'
import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { SignInForm, SignUpForm, useAuthState } from '../lib/auth/index.ts'
import { safeRedirect } from '../lib/safe-redirect.ts'
import { markSignInShown } from '../lib/use-heading-focus.ts'

/** Sign-in and sign-up: the form, then back to `?redirect=` (app paths only) once signed in. */
export function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const Form = mode === 'sign-in' ? SignInForm : SignUpForm
  const auth = useAuthState()
  const router = useRouter()
  // Read after mount: the page is prerendered without a query string.
  const [redirectTo, setRedirectTo] = useState<string | null>(null)
  useEffect(() => setRedirectTo(safeRedirect(new URLSearchParams(window.location.search).get('redirect'), window.location.origin)), [])

  useEffect(() => {
    if (auth.status === 'signed-in' && redirectTo) router.replace(redirectTo)
    // The form is shown: the page reached after it is a landing, whose h1 gets focus (use-heading-focus.ts).
    if (auth.status === 'signed-out') markSignInShown()
  }, [auth.status, redirectTo, router])

  return (
    <main id="main" className="sign-in-page">
      <p className="brand" aria-hidden="true">
        sellersync
      </p>
      {auth.status === 'signed-out' && redirectTo ? <Form redirectTo={redirectTo} /> : <p className="muted">Loading…</p>}
    </main>
  )
}
