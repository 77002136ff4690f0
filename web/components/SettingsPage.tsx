'use client'
import { useProfile } from '../lib/api/profile.ts'

/**
 * What sellersync knows about the user: the profile Clerk's webhook synced. Name, email and photo are
 * changed in Clerk (its account portal), and arrive here by the next webhook.
 */
export function SettingsPage() {
  const profile = useProfile()
  return (
    <main className="page">
      <h1>Settings</h1>
      <section className="card stack" aria-labelledby="profile-heading" aria-busy={profile.isPending}>
        <h2 id="profile-heading">Profile</h2>
        {profile.isPending && (
          <div className="skeleton" aria-hidden="true">
            <span className="bone wide" />
            <span className="bone" />
          </div>
        )}
        {profile.isError && (
          <div role="alert">
            <p className="form-error">{profile.error.message}</p>
            <button type="button" className="button" onClick={() => void profile.refetch()}>
              Try again
            </button>
          </div>
        )}
        {profile.data && (
          <dl className="facts">
            <div>
              <dt>Name</dt>
              <dd>{[profile.data.first_name, profile.data.last_name].filter(Boolean).join(' ') || '—'}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{profile.data.email ?? '—'}</dd>
            </div>
            <div>
              <dt>Member since</dt>
              <dd>{new Date(profile.data.created_at).toLocaleDateString()}</dd>
            </div>
          </dl>
        )}
        <p className="muted">Your name, email and photo come from your sign-in account and update here when you change them there.</p>
      </section>
    </main>
  )
}
