// The slice of the schema (supabase/migrations) the Worker reads and writes, in supabase-js's
// `Database` shape so queries are type-checked. Keep it in step with the migrations.

type Timestamp = string

export type UserRow = {
  id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  image_url: string | null
  clerk_updated_at: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export type WebhookEventRow = { svix_id: string; type: string; received_at: Timestamp }

export type DeletedUserRow = { id: string; deleted_at: Timestamp }

export type UserAccountRow = {
  id: string
  user_id: string
  provider: 'sp_api' | 'ads'
  region: 'na' | 'eu' | 'fe'
  external_id: string
  marketplaces: string[]
  display_name: string | null
  status: 'active' | 'refreshing' | 'reauth_required' | 'error' | 'disconnected'
  is_default: boolean
  authorized_at: Timestamp
  last_sync_at: Timestamp | null
  last_error: string | null
  grant_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** How the last refresh of a grant failed (README, "Refresh error classes"). */
export type RefreshErrorClass = 'invalid_grant' | 'invalid_client' | 'unavailable' | 'throttled' | 'invalid_request' | 'key_missing'

export type GrantStatus = 'active' | 'refreshing' | 'reauth_required' | 'error'

/** One Login with Amazon consent. Token columns are Fernet ciphertexts, readable by the service role only. */
export type AmazonGrantRow = {
  id: string
  user_id: string
  provider: 'sp_api' | 'ads'
  region: 'na' | 'eu' | 'fe'
  refresh_token: string
  access_token: string | null
  access_token_expires_at: Timestamp | null
  fernet_key_id: string
  status: GrantStatus
  next_refresh_at: Timestamp | null
  refresh_attempts: number
  last_error_class: RefreshErrorClass | null
  last_attempt_at: Timestamp | null
  last_refreshed_at: Timestamp | null
  lease_owner: string | null
  lease_expires_at: Timestamp | null
  refresh_started_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** What start_grant_refresh hands the refresher. */
export type StartedGrant = Pick<
  AmazonGrantRow,
  'id' | 'user_id' | 'provider' | 'region' | 'status' | 'refresh_token' | 'access_token' | 'access_token_expires_at' | 'fernet_key_id' | 'refresh_attempts'
>

export type OAuthStateRow = {
  state_hash: string
  user_id: string
  provider: 'sp_api' | 'ads'
  region: 'na' | 'eu' | 'fe'
  marketplace_id: string | null
  nonce_hash: string
  redirect_to: string | null
  created_at: Timestamp
  expires_at: Timestamp
  consumed_at: Timestamp | null
}

export type AccountEventKind =
  | 'connected'
  | 'reconnected'
  | 'refreshed'
  | 'refresh_failed'
  | 'reauth_required'
  | 'synced'
  | 'renamed'
  | 'default_changed'
  | 'disconnected'

export type AccountEventRow = {
  id: number
  account_id: string | null
  user_id: string
  kind: AccountEventKind
  detail: Record<string, unknown>
  created_at: Timestamp
}

type Relationship = { foreignKeyName: string; columns: string[]; isOneToOne: boolean; referencedRelation: string; referencedColumns: string[] }

type Table<Row, Required extends keyof Row, Relationships extends Relationship[] = []> = {
  Row: Row
  Insert: Pick<Row, Required> & Partial<Row>
  Update: Partial<Row>
  Relationships: Relationships
}

export type Database = {
  public: {
    Tables: {
      users: Table<UserRow, 'id' | 'clerk_updated_at'>
      webhook_events: Table<WebhookEventRow, 'svix_id' | 'type'>
      deleted_users: Table<DeletedUserRow, 'id'>
      user_accounts: Table<
        UserAccountRow,
        'provider' | 'region' | 'external_id',
        [{ foreignKeyName: 'user_accounts_grant_id_fkey'; columns: ['grant_id']; isOneToOne: false; referencedRelation: 'amazon_grants'; referencedColumns: ['id'] }]
      >
      amazon_grants: Table<AmazonGrantRow, 'user_id' | 'provider' | 'region' | 'refresh_token' | 'fernet_key_id'>
      oauth_states: Table<OAuthStateRow, 'state_hash' | 'user_id' | 'provider' | 'region' | 'nonce_hash'>
      account_events: Table<AccountEventRow, 'user_id' | 'kind'>
    }
    Views: Record<never, never>
    Functions: {
      sync_clerk_user: {
        Args: {
          p_id: string
          p_email: string | null
          p_first_name: string | null
          p_last_name: string | null
          p_image_url: string | null
          p_clerk_updated_at: number
        }
        Returns: boolean
      }
      delete_clerk_user: {
        Args: { p_id: string }
        Returns: undefined
      }
      consume_oauth_state: {
        Args: { p_state_hash: string; p_nonce_hash: string }
        Returns: OAuthStateRow[]
      }
      save_connected_accounts: {
        Args: {
          p_user_id: string
          p_provider: 'sp_api' | 'ads'
          p_region: 'na' | 'eu' | 'fe'
          p_accounts: Array<{ external_id: string; marketplaces: string[]; display_name: string | null }>
          p_refresh_token: string
          p_access_token: string | null
          p_access_token_expires_at: Timestamp | null
          p_fernet_key_id: string
        }
        Returns: UserAccountRow[]
      }
      record_account_sync: {
        Args: { p_account_id: string; p_marketplaces: string[] | null; p_error: string | null }
        Returns: UserAccountRow
      }
      claim_due_grants: {
        Args: { p_limit: number; p_lease_seconds: number }
        Returns: Array<{ grant_id: string; lease_owner: string; refresh_attempts: number }>
      }
      start_grant_refresh: {
        Args: { p_grant_id: string; p_owner: string; p_claimed_owner: string | null; p_lease_seconds: number }
        Returns: StartedGrant[]
      }
      complete_grant_refresh: {
        Args: {
          p_grant_id: string
          p_owner: string
          p_access_token: string
          p_access_token_expires_at: Timestamp
          p_refresh_token: string | null
          p_fernet_key_id: string
        }
        Returns: boolean
      }
      fail_grant_refresh: {
        Args: { p_grant_id: string; p_owner: string; p_error_class: RefreshErrorClass }
        Returns: GrantStatus | null
      }
      release_grant: {
        Args: { p_grant_id: string; p_owner: string }
        Returns: boolean | null
      }
      save_reencrypted_grants: {
        Args: {
          p_rows: Array<{
            id: string
            refresh_token: string
            access_token: string | null
            previous_refresh_token: string
            previous_access_token: string | null
            fernet_key_id: string
          }>
        }
        Returns: number
      }
      token_engine_health: {
        Args: { p_current_key_id: string }
        Returns: { grants_on_older_keys: number; sp_api_client: RefreshErrorClass | 'ok' | null; ads_client: RefreshErrorClass | 'ok' | null }
      }
      set_default_account: {
        Args: { p_account_id: string }
        Returns: UserAccountRow
      }
      rename_account: {
        Args: { p_account_id: string; p_display_name: string | null }
        Returns: UserAccountRow
      }
      disconnect_account: {
        Args: { p_account_id: string }
        Returns: UserAccountRow
      }
      prune_expired: {
        Args: { p_limit: number }
        Returns: Array<{ oauth_states: number; webhook_events: number; account_events: number }>
      }
    }
    Enums: Record<never, never>
    CompositeTypes: Record<never, never>
  }
}
