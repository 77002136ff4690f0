'use client'
import { AuthPage } from '../../components/AuthPage.tsx'
import { SignInForm } from '../../lib/auth/index.ts'

export default function SignInPage() {
  return <AuthPage Form={SignInForm} />
}
