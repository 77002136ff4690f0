import type { Metadata } from 'next'
import { AuthPage } from '../../components/AuthPage.tsx'

export const metadata: Metadata = { title: 'Sign in' }

export default function SignInPage() {
  return <AuthPage mode="sign-in" />
}
