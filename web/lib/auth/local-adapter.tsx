'use client'
// Local auth: the Clerk stand-in's dev-only browser sign-in (dev/clerk/browser-sign-in.ts). Like Clerk,
// it keeps a session and hands out short-lived session tokens, refreshed before they expire. The session
// id lives in sessionStorage (per tab, gone with the tab), the tokens only in memory.
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { frontendApiHost, loadClientConfig } from '../client-config.ts'
import type { AuthAdapter, AuthState, AuthUser } from './auth-adapter.ts'

/** The stand-in's address, from the publishable key the Worker hands out (as Clerk's SDK finds its Frontend API). */
async function standInUrl(): Promise<string> {
  const { clerkPublishableKey } = await loadClientConfig()
  return `http://${frontendApiHost(clerkPublishableKey)}`
}

const STORAGE_KEY = 'sellersync.dev-session'
/** Clerk's SDK refreshes its 60 s tokens about every 50 s; so does this. */
const REFRESH_EVERY_MS = 50_000

type StandInUser = {
  id: string
  first_name: string | null
  last_name: string | null
  email_addresses: { id: string; email_address: string }[]
  primary_email_address_id: string | null
  image_url: string
  has_image: boolean
}
type StoredSession = { sessionId: string; user: AuthUser }

class SessionEndedError extends Error {}

async function standIn<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${await standInUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  const json = (await response.json().catch(() => null)) as { errors?: { long_message?: string }[] } | null
  if (response.status === 404) throw new SessionEndedError('The session has ended.')
  if (!response.ok) throw new Error(json?.errors?.[0]?.long_message ?? `The Clerk stand-in answered ${response.status}.`)
  return json as T
}

function toAuthUser(user: StandInUser): AuthUser {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || null
  const email = user.email_addresses.find((e) => e.id === user.primary_email_address_id) ?? user.email_addresses[0]
  return { id: user.id, name, email: email?.email_address ?? null, imageUrl: user.has_image ? user.image_url : null }
}

function readStored(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as StoredSession) : null
  } catch {
    return null
  }
}

type LocalAuth = AuthState & { signIn: (email: string, firstName?: string) => Promise<void> }
const LocalAuthContext = createContext<LocalAuth | null>(null)

function Provider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null | undefined>(undefined) // undefined: loading
  const token = useRef<{ jwt: string; expiresAt: number } | null>(null)
  const inFlight = useRef<Promise<string | null> | null>(null)

  const forget = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY)
    token.current = null
    setSession(null)
  }, [])

  const refresh = useCallback(
    (sessionId: string): Promise<string | null> => {
      inFlight.current ??= standIn<{ jwt: string }>(`/__dev/browser/sessions/${encodeURIComponent(sessionId)}/tokens`)
        .then(({ jwt }) => {
          token.current = { jwt, expiresAt: expiryOf(jwt) }
          return jwt
        })
        .catch((error: unknown) => {
          if (error instanceof SessionEndedError) forget() // ended elsewhere, or the stand-in restarted
          return null
        })
        .finally(() => (inFlight.current = null))
      return inFlight.current
    },
    [forget],
  )

  // Restore the tab's session: it counts as signed in once the stand-in still mints tokens for it.
  useEffect(() => {
    const stored = readStored()
    if (!stored) return setSession(null)
    void refresh(stored.sessionId).then((jwt) => setSession(jwt ? stored : null))
  }, [refresh])

  useEffect(() => {
    if (!session) return
    const timer = setInterval(() => void refresh(session.sessionId), REFRESH_EVERY_MS)
    return () => clearInterval(timer)
  }, [session, refresh])

  const value = useMemo((): LocalAuth => {
    const getToken = async () => {
      if (!session) return null
      if (token.current && token.current.expiresAt - Date.now() > 10_000) return token.current.jwt
      return refresh(session.sessionId)
    }
    const signOut = async () => {
      if (session) await standIn(`/__dev/browser/sessions/${encodeURIComponent(session.sessionId)}/end`).catch(() => {})
      forget()
    }
    const signIn = async (email: string, firstName?: string) => {
      const result = await standIn<{ user: StandInUser; session_id: string; jwt: string }>('/__dev/browser/sign-in', {
        email,
        ...(firstName ? { first_name: firstName } : {}),
      })
      const stored = { sessionId: result.session_id, user: toAuthUser(result.user) }
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored))
      token.current = { jwt: result.jwt, expiresAt: expiryOf(result.jwt) }
      setSession(stored)
    }
    if (session === undefined) return { status: 'loading', user: null, getToken, signOut, signIn }
    if (session === null) return { status: 'signed-out', user: null, getToken, signOut, signIn }
    return { status: 'signed-in', user: session.user, getToken, signOut, signIn }
  }, [session, refresh, forget])

  return <LocalAuthContext value={value}>{children}</LocalAuthContext>
}

function expiryOf(jwt: string): number {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number }
    return payload.exp * 1000
  } catch {
    return 0
  }
}

function useLocalAuth(): LocalAuth {
  const auth = useContext(LocalAuthContext)
  if (!auth) throw new Error('useAuthState() outside AuthWrapper')
  return auth
}

/** The stand-in signs in by email and creates unknown emails, so signing up is the same form, worded for it. */
function EmailForm({ redirectTo, mode }: { redirectTo: string; mode: 'sign-in' | 'sign-up' }) {
  const { signIn } = useLocalAuth()
  const router = useRouter()
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setPending(true)
    setError(null)
    try {
      await signIn(String(form.get('email')), String(form.get('first_name') ?? '').trim() || undefined)
      router.replace(redirectTo)
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
      setPending(false)
    }
  }

  return (
    <form className="card sign-in-form" onSubmit={onSubmit} aria-describedby="sign-in-note">
      <h1>{mode === 'sign-in' ? 'Sign in' : 'Create your account'}</h1>
      <p id="sign-in-note" className="muted">
        Local development: the Clerk stand-in signs you in by email, no password. New emails create a user.
      </p>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required autoFocus />
      </label>
      <label>
        First name {mode === 'sign-in' && <span className="muted">(optional, for new users)</span>}
        <input name="first_name" type="text" autoComplete="given-name" required={mode === 'sign-up'} />
      </label>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? 'Signing in…' : mode === 'sign-in' ? 'Continue' : 'Create account'}
      </button>
      <p className="muted">
        {mode === 'sign-in' ? (
          <>New here? <Link href={`/sign-up/?redirect=${encodeURIComponent(redirectTo)}`}>Create an account</Link></>
        ) : (
          <>Already have an account? <Link href={`/sign-in/?redirect=${encodeURIComponent(redirectTo)}`}>Sign in</Link></>
        )}
      </p>
    </form>
  )
}

const SignInForm = ({ redirectTo }: { redirectTo: string }) => <EmailForm redirectTo={redirectTo} mode="sign-in" />
const SignUpForm = ({ redirectTo }: { redirectTo: string }) => <EmailForm redirectTo={redirectTo} mode="sign-up" />

/** The stand-in has no account page (Clerk's <UserProfile/> is the Clerk build's): say what stands for it. */
function ManageAccount() {
  return (
    <p className="muted">
      Local development: in production this is where Clerk’s account page opens, for your name, email address and password. The
      Clerk stand-in has none; to be someone else, sign out and sign in with another email.
    </p>
  )
}

export const authAdapter: AuthAdapter = { Provider, useAuthState: useLocalAuth, SignInForm, SignUpForm, ManageAccount }
