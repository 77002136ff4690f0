// `GET /v1/environment` (and its development-instance `PATCH`): the instance's configuration, which
// clerk-js and @clerk/ui read to decide what the sign-in form asks for. Shaped like Clerk's EnvironmentJSON
// (clerk/javascript packages/shared/src/types: json.ts, displayConfig.ts, userSettings.ts,
// organizationSettings.ts). This instance: a development instance, sign-in with email address + password
// only, no social connections, no organizations, no billing, no captcha; users may create API keys
// (<APIKeys/>, frontend-api/api-keys.ts). Sign-up asks for email address, password, first and last name,
// and verifies the email address with a code (sign-ups.ts).

export type EnvironmentOptions = {
  /** The dashboard origin: where sign-in and after-sign-in URLs point. */
  appOrigin: string
  /** `ins_…`: the environment's ids derive from it. */
  instanceId: string
}

type AttributeJSON = {
  enabled: boolean
  required: boolean
  used_for_first_factor: boolean
  first_factors: string[]
  used_for_second_factor: boolean
  second_factors: string[]
  verifications: string[]
  verify_at_sign_up: boolean
}

const off: AttributeJSON = {
  enabled: false,
  required: false,
  used_for_first_factor: false,
  first_factors: [],
  used_for_second_factor: false,
  second_factors: [],
  verifications: [],
  verify_at_sign_up: false,
}

/**
 * What a sign-up must provide (SignUpJSON `required_fields`). First and last name are required so the
 * dashboard has a name to show; @clerk/ui shows only required fields unless `showOptionalFields` is set.
 */
export const SIGN_UP_REQUIRED_FIELDS = ['email_address', 'password', 'first_name', 'last_name'] as const
export type SignUpField = (typeof SIGN_UP_REQUIRED_FIELDS)[number]

/** Password rules as the stand-in's Backend API enforces them (8–72 characters, no breach check offline). */
export const PASSWORD_SETTINGS = {
  allowed_special_characters: '',
  disable_hibp: true,
  min_length: 8,
  max_length: 72,
  require_special_char: false,
  require_numbers: false,
  require_uppercase: false,
  require_lowercase: false,
  show_zxcvbn: false,
  min_zxcvbn_strength: 0,
}

export function environmentJson({ appOrigin, instanceId }: EnvironmentOptions) {
  const suffix = instanceId.replace(/^ins_/, '')
  const url = (path: string) => new URL(path, appOrigin).href
  return {
    object: 'environment',
    id: `env_${suffix}`,
    auth_config: {
      object: 'auth_config',
      id: `aac_${suffix}`,
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: {
      object: 'display_config',
      id: `display_config_${suffix}`,
      instance_environment_type: 'development',
      application_name: 'sellersync (local)',
      branded: true,
      show_devmode_warning: true,
      preferred_sign_in_strategy: 'password',
      logo_image_url: '',
      dark_logo_image_url: '',
      favicon_image_url: '',
      home_url: url('/'),
      sign_in_url: url('/sign-in/'),
      sign_up_url: url('/sign-up/'),
      user_profile_url: url('/settings/'),
      after_sign_in_url: url('/accounts/'),
      after_sign_up_url: url('/accounts/'),
      after_sign_out_one_url: url('/sign-in/'),
      after_sign_out_all_url: url('/sign-in/'),
      after_switch_session_url: url('/accounts/'),
      organization_profile_url: url('/'),
      create_organization_url: url('/'),
      after_leave_organization_url: url('/'),
      after_create_organization_url: url('/'),
      waitlist_url: url('/'),
      after_join_waitlist_url: url('/'),
      terms_url: '',
      privacy_policy_url: '',
      support_email: '',
      captcha_public_key: null,
      captcha_widget_type: null,
      captcha_public_key_invisible: null,
      captcha_provider: 'turnstile',
      captcha_oauth_bypass: [],
      theme: {
        general: {
          color: '#6c47ff',
          background_color: '#ffffff',
          font_family: 'inherit',
          font_color: '#151515',
          label_font_weight: '600',
          padding: '1em',
          border_radius: '0.5em',
          box_shadow: '0 2px 8px rgba(0, 0, 0, 0.2)',
        },
        buttons: { font_color: '#ffffff', font_family: 'inherit', font_weight: '600' },
        accounts: { background_color: '#ffffff' },
      },
    },
    user_settings: {
      attributes: {
        email_address: {
          ...off,
          enabled: true,
          required: true,
          used_for_first_factor: true,
          verifications: ['email_code'],
          verify_at_sign_up: true,
        },
        password: { ...off, enabled: true, required: true },
        first_name: { ...off, enabled: true, required: true },
        last_name: { ...off, enabled: true, required: true },
        phone_number: off,
        username: off,
        web3_wallet: off,
        authenticator_app: off,
        backup_code: off,
        passkey: off,
      },
      actions: { delete_self: false, create_organization: false },
      social: {},
      enterprise_sso: { enabled: false },
      sign_in: { second_factor: { required: false, enabled: false } },
      sign_up: {
        allowlist_only: false,
        progressive: true,
        captcha_enabled: false,
        mode: 'public',
        legal_consent_enabled: false,
        custom_action_required: false,
        disable_hibp: true,
      },
      password_settings: PASSWORD_SETTINGS,
      passkey_settings: { allow_autofill: false, show_sign_in_button: false },
      username_settings: { min_length: 4, max_length: 64 },
    },
    organization_settings: {
      enabled: false,
      max_allowed_memberships: 5,
      force_organization_selection: false,
      actions: { admin_delete: false },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
      slug: { disabled: true },
    },
    commerce_settings: {
      object: 'commerce_settings',
      id: `commerce_settings_${suffix}`,
      billing: {
        stripe_publishable_key: null,
        user: { enabled: false, has_paid_plans: false },
        organization: { enabled: false, has_paid_plans: false },
      },
    },
    // Users may create API keys (<APIKeys/> renders only then); this instance has no organizations.
    api_keys_settings: { user_api_keys_enabled: true, orgs_api_keys_enabled: false },
    maintenance_mode: false,
  }
}
