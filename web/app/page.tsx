'use client'
import { useRouter } from 'next/navigation'
import { useEffect } from 'react'
import { LoadingPage } from '../components/LoadingPage.tsx'

/** The dashboard starts at the accounts page (which sends signed-out visitors to sign in). */
export default function Home() {
  const router = useRouter()
  useEffect(() => router.replace('/accounts/'), [router])
  return <LoadingPage />
}
