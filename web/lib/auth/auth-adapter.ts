import type { ComponentType, ReactNode } from 'react'

/** Who is signed in, as the dashboard shows it. */
export type AuthUser = {
  id: string
  /** Full name when known, else null (the UI falls back to the email). */
  name: string | null
  email: string | null
  /** The photo the user uploaded, else null (the UI shows initials rather than a generated placeholder). */
  imageUrl: string | null
}

/** The one small interface the dashboard uses; Clerk and the local stand-in both implement it. */
export type AuthState =
  | { status: 'loading'; user: null; getToken: () => Promise<string | null>; signOut: () => Promise<void> }
  | { status: 'signed-out'; user: null; getToken: () => Promise<string | null>; signOut: () => Promise<void> }
  | { status: 'signed-in'; user: AuthUser; getToken: () => Promise<string | null>; signOut: () => Promise<void> }

export type AuthAdapter = {
  /** App-wide provider; mounted once by AuthWrapper. */
  Provider: ComponentType<{ children: ReactNode }>
  useAuthState: () => AuthState
  /** The sign-in UI; after signing in the browser goes to `redirectTo` (an app path). */
  SignInForm: ComponentType<{ redirectTo: string }>
  /** The sign-up UI, same contract. */
  SignUpForm: ComponentType<{ redirectTo: string }>
  /**
   * Optional: where the signed-in user changes their name, email and sign-in security (the provider's account page),
   * shown on Settings. Without it Settings says only that those come from the sign-in account.
   */
  ManageAccount?: ComponentType
}
