'use client'
import { AuthPage } from '../../components/AuthPage.tsx'
import { SignUpForm } from '../../lib/auth/index.ts'

export default function SignUpPage() {
  return <AuthPage Form={SignUpForm} />
}
