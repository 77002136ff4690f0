'use client'
import { Suspense } from 'react'
import { useProfile } from '../lib/api/profile.ts'
import { ManageAccount } from '../lib/auth/index.ts'
import { EmailAddress } from './EmailAddress.tsx'
import { RegionBoundary } from './RegionBoundary.tsx'

/**
 * What sellersync knows about the user: the profile Clerk's webhook synced, read-only. Name, email and photo are
 * changed in the sign-in account (Clerk's account page, opened from here), and arrive here by the next webhook.
 */
export function SettingsPage() {
  return (
    <main id="main" className="page">
      <h1>Settings</h1>
      <section className="card stack" aria-labelledby="account-heading">
        <h2 id="account-heading">Your sign-in account</h2>
        {ManageAccount ? <ManageAccount /> : <p className="muted">Your name, email and password are managed where you sign in.</p>}
      </section>
      <RegionBoundary title="Your profile could not be loaded">
        <section className="card stack" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile in sellersync</h2>
          <Suspense fallback={<ProfileSkeleton />}>
            <ProfileFacts />
          </Suspense>
          <p className="muted">Copied from your sign-in account, and updated here a moment after you change it there.</p>
        </section>
      </RegionBoundary>
    </main>
  )
}

function ProfileFacts() {
  const profile = useProfile()
  return (
    <dl className="facts">
      <div>
        <dt>Name</dt>
        <dd>{[profile.first_name, profile.last_name].filter(Boolean).join(' ') || '—'}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>{profile.email ? <EmailAddress email={profile.email} /> : '—'}</dd>
      </div>
      <div>
        <dt>Member since</dt>
        <dd>{new Date(profile.created_at).toLocaleDateString()}</dd>
      </div>
    </dl>
  )
}

function ProfileSkeleton() {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label="Loading your profile">
      <span className="bone wide" />
      <span className="bone" />
    </div>
  )
}
