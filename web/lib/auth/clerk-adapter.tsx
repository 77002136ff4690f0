'use client'
// Production auth: Clerk's React SDK (@clerk/nextjs cannot build with output: 'export').
import { ClerkProvider, SignIn, SignUp, useAuth, useClerk, useUser } from '@clerk/react'
import { dark } from '@clerk/themes'
import { type ReactNode, useEffect, useState } from 'react'
import { LoadingPage } from '../../components/LoadingPage.tsx'
import { loadClientConfig } from '../client-config.ts'
import { useColorScheme } from '../use-color-scheme.ts'
import type { AuthAdapter, AuthState } from './auth-adapter.ts'

function Provider({ children }: { children: ReactNode }) {
  const scheme = useColorScheme()
  // The publishable key comes from the Worker at run time (GET /api/client-config).
  const [publishableKey, setPublishableKey] = useState<string | null>(null)
  const [failure, setFailure] = useState<Error | null>(null)
  useEffect(() => {
    loadClientConfig().then((config) => setPublishableKey(config.clerkPublishableKey), setFailure)
  }, [])
  if (failure) throw failure
  // Also what the static export prerenders (no key at build time): the page paints this before any JS runs.
  if (!publishableKey) return <LoadingPage />
  return (
    <ClerkProvider
      publishableKey={publishableKey}
      appearance={scheme === 'dark' ? { theme: dark } : {}}
      signInUrl="/sign-in/"
      signUpUrl="/sign-up/"
      afterSignOutUrl="/sign-in/"
      // Development instances send SDK telemetry to clerk-telemetry.com; the CSP (build/static-headers.ts)
      // allows Clerk's Frontend API only, so it is off rather than refused.
      telemetry={false}
    >
      {children}
    </ClerkProvider>
  )
}

function useAuthState(): AuthState {
  const { isLoaded, isSignedIn, getToken, signOut } = useAuth()
  const { user } = useUser()
  const common = { getToken: () => getToken(), signOut: () => signOut() }
  if (!isLoaded) return { status: 'loading', user: null, ...common }
  if (!isSignedIn || !user) return { status: 'signed-out', user: null, ...common }
  return {
    status: 'signed-in',
    user: {
      id: user.id,
      name: user.fullName,
      email: user.primaryEmailAddress?.emailAddress ?? null,
      imageUrl: user.hasImage ? user.imageUrl : null,
    },
    ...common,
  }
}

function SignInForm({ redirectTo }: { redirectTo: string }) {
  return <SignIn routing="hash" forceRedirectUrl={redirectTo} />
}

function SignUpForm({ redirectTo }: { redirectTo: string }) {
  return <SignUp routing="hash" forceRedirectUrl={redirectTo} />
}

/** Clerk's own account page (<UserProfile/>) in its dialog: name, email addresses, password, sessions. */
function ManageAccount() {
  const clerk = useClerk()
  return (
    <div className="stack">
      <p>Change your name, email address, password and signed-in devices in your Clerk account.</p>
      <p>
        <button type="button" className="button primary" onClick={() => clerk.openUserProfile()}>
          Manage your account
        </button>
      </p>
    </div>
  )
}

export const authAdapter: AuthAdapter = { Provider, useAuthState, SignInForm, SignUpForm, ManageAccount }
