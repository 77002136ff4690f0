'use client'
// Production auth: Clerk's React SDK (@clerk/nextjs cannot build with output: 'export').
import { ClerkProvider, SignIn, SignUp, useAuth, useClerk, useUser } from '@clerk/react'
import { dark } from '@clerk/themes'
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import { loadClientConfig } from '../client-config.ts'
import { useColorScheme } from '../use-color-scheme.ts'
import type { AuthAdapter, AuthState } from './auth-adapter.ts'

/** What the app sees before Clerk has loaded (and before its publishable key is known). */
const loading: AuthState = { status: 'loading', user: null, getToken: async () => null, signOut: async () => {} }
const AuthStateContext = createContext<AuthState | null>(null)

function Provider({ children }: { children: ReactNode }) {
  const scheme = useColorScheme()
  // The publishable key comes from the Worker at run time (GET /api/client-config).
  const [publishableKey, setPublishableKey] = useState<string | null>(null)
  const [failure, setFailure] = useState<Error | null>(null)
  useEffect(() => {
    loadClientConfig().then((config) => setPublishableKey(config.clerkPublishableKey), setFailure)
  }, [])
  if (failure) throw failure
  // Until the key is known the app renders as "loading" (the dashboard its frame, sign-in a loading line): that is
  // also what the static export prerenders, so the first paint, before any JS runs, is the app's.
  if (!publishableKey) return <AuthStateContext value={loading}>{children}</AuthStateContext>
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
      <ClerkAuthState>{children}</ClerkAuthState>
    </ClerkProvider>
  )
}

/** Clerk's state in the adapter's terms, for everything below ClerkProvider. */
function ClerkAuthState({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, getToken, signOut } = useAuth()
  const { user } = useUser()
  const state = useMemo((): AuthState => {
    const common = { getToken: () => getToken(), signOut: () => signOut() }
    if (!isLoaded) return { ...loading, ...common }
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
  }, [isLoaded, isSignedIn, user, getToken, signOut])
  return <AuthStateContext value={state}>{children}</AuthStateContext>
}

function useAuthState(): AuthState {
  const state = useContext(AuthStateContext)
  if (!state) throw new Error('useAuthState() outside AuthWrapper')
  return state
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
