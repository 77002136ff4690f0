'use client'
import { Suspense } from 'react'
import { useProfile } from '../lib/api/profile.ts'
import { RegionBoundary } from './RegionBoundary.tsx'

/**
 * What sellersync knows about the user: the profile Clerk's webhook synced. Name, email and photo are
 * changed in Clerk (its account portal), and arrive here by the next webhook.
 */
export function SettingsPage() {
  return (
    <main className="page">
      <h1>Settings</h1>
      <RegionBoundary title="Your profile could not be loaded">
        <section className="card stack" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <Suspense fallback={<ProfileSkeleton />}>
            <ProfileFacts />
          </Suspense>
          <p className="muted">Your name, email and photo come from your sign-in account and update here when you change them there.</p>
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
        <dd>{profile.email ?? '—'}</dd>
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
