// The Frontend API's view of users and sessions: Clerk's UserJSON and SessionJSON (clerk/javascript
// packages/shared/src/types/json.ts), built from the stand-in's Backend API objects. The Frontend API
// shows a signed-in user their own profile without private_metadata, and each active session carries a
// fresh session token (`last_active_token`), as Clerk's does.
import type { ClerkInstance } from '../clerk-instance.ts'
import type { ClerkSession } from '../sessions.ts'
import type { ClerkUser } from '../users.ts'

export function userJson(user: ClerkUser) {
  const { private_metadata: _private, ...visible } = user
  return {
    ...visible,
    email_addresses: user.email_addresses.map((email) => ({ ...email, matches_sso_connection: false })),
    organization_memberships: [],
    profile_image_id: '',
    create_organization_enabled: false,
    create_organizations_limit: null,
    delete_self_enabled: false,
    legal_accepted_at: null,
  }
}

export function publicUserDataJson(user: ClerkUser) {
  const primary = user.email_addresses.find((email) => email.id === user.primary_email_address_id) ?? user.email_addresses[0]
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    image_url: user.image_url,
    has_image: user.has_image,
    identifier: primary?.email_address ?? '',
    user_id: user.id,
  }
}

export async function sessionJson(instance: ClerkInstance, session: ClerkSession) {
  const user = instance.getUser(session.user_id)
  const active = session.status === 'active'
  return {
    object: 'session',
    id: session.id,
    status: session.status,
    expire_at: session.expire_at,
    abandon_at: session.abandon_at,
    last_active_at: session.last_active_at,
    last_active_organization_id: null,
    // Minutes since the first factor was verified; -1: no second factor (as the token's `fva`).
    factor_verification_age: [Math.max(0, Math.floor((Date.now() - session.created_at) / 60_000)), -1],
    last_active_token: active ? { object: 'token', jwt: await instance.mintSessionToken(session.id) } : null,
    actor: null,
    tasks: null,
    user: userJson(user),
    public_user_data: publicUserDataJson(user),
    created_at: session.created_at,
    updated_at: session.updated_at,
  }
}
