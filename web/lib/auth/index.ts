import { authAdapter } from '@auth-adapter'

export type { AuthState, AuthUser } from './auth-adapter.ts'

/** The auth implementation this build was made with (NEXT_PUBLIC_AUTH: clerk | local). */
export const AuthProvider = authAdapter.Provider
export const useAuthState = authAdapter.useAuthState
export const SignInForm = authAdapter.SignInForm
export const SignUpForm = authAdapter.SignUpForm
export const ManageAccount = authAdapter.ManageAccount
