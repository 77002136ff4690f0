-- sellersync: tables, constraints and indexes (DESIGN §3).
-- Row-level security, grants and the API functions are in the migrations that follow this one.
-- Runs on Supabase (PostgreSQL 15+) and locally after dev/db/supabase-platform.sql.

-- ── users ────────────────────────────────────────────────────────────────────────────────────────
create table public.users (
  id               text primary key check (char_length(id) between 1 and 255),
  email            text,
  first_name       text,
  last_name        text,
  image_url        text,
  clerk_updated_at bigint not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  deleted_at       timestamptz
);

comment on table public.users is
  'Mirror of Clerk users, written by the Clerk webhook (service role) through sync_clerk_user(). '
  'A user.deleted event deletes the row, which cascades to their accounts, credentials and states.';
comment on column public.users.id is 'The Clerk user id (e.g. user_2abc…); the `sub` claim of session tokens.';
comment on column public.users.clerk_updated_at is
  'updated_at of the Clerk event that last wrote this row, in ms since the epoch. '
  'An event older than this is ignored, so out-of-order webhook deliveries cannot roll a user back.';
comment on column public.users.deleted_at is
  'Reserved for a soft-delete grace period; the webhook currently hard-deletes.';

-- ── user_accounts ────────────────────────────────────────────────────────────────────────────────
create table public.user_accounts (
  id            uuid primary key default gen_random_uuid(),
  user_id       text not null default (auth.jwt() ->> 'sub')
                  references public.users (id) on delete cascade,
  provider      text not null check (provider in ('sp_api', 'ads')),
  region        text not null check (region in ('na', 'eu', 'fe')),
  external_id   text not null check (char_length(external_id) between 1 and 255),
  marketplaces  text[] not null default '{}'
                  check (array_position(marketplaces, null) is null),
  display_name  text check (display_name is null
                  or (char_length(display_name) <= 100 and btrim(display_name) <> '')),
  status        text not null default 'active'
                  check (status in ('active', 'refreshing', 'reauth_required', 'error', 'disconnected')),
  is_default    boolean not null default false,
  authorized_at timestamptz not null default now(),
  last_sync_at  timestamptz,
  last_error    text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint user_accounts_user_provider_region_external_key
    unique (user_id, provider, region, external_id)
);

-- The index behind the unique constraint above leads with user_id, so it already serves lookups by
-- user_id and the ON DELETE CASCADE from users: a separate (user_id) index would only slow writes.

-- At most one default account per user, enforced by the database. set_default_account() moves it.
create unique index user_accounts_one_default_per_user
  on public.user_accounts (user_id) where is_default;

comment on table public.user_accounts is
  'Amazon accounts a user has connected (one row per SP-API seller or Ads profile, per region). '
  'Never holds tokens: those are in account_credentials.';
comment on column public.user_accounts.user_id is
  'Owner (Clerk user id). Defaults to the `sub` of the caller''s token, so user-token inserts need not send it.';
comment on column public.user_accounts.external_id is
  'SP-API selling_partner_id, or the Ads API profile id.';
comment on column public.user_accounts.marketplaces is 'Amazon marketplace ids (e.g. ATVPDKIKX0DER).';
comment on column public.user_accounts.status is
  'active | refreshing | reauth_required (LWA said invalid_grant: the seller must reconnect) | '
  'error (transient refresh failures, retried with backoff) | disconnected.';
comment on column public.user_accounts.is_default is
  'The account the dashboard selects first. At most one per user (partial unique index).';
comment on column public.user_accounts.authorized_at is
  'When the seller last granted consent; Amazon asks sellers to re-authorize yearly.';

-- ── account_credentials ──────────────────────────────────────────────────────────────────────────
create table public.account_credentials (
  account_id              uuid primary key references public.user_accounts (id) on delete cascade,
  refresh_token           text not null,
  access_token            text,
  access_token_expires_at timestamptz,
  next_refresh_at         timestamptz,
  fernet_key_id           text not null,
  refresh_attempts        integer not null default 0 check (refresh_attempts >= 0),
  last_refresh_error      text,
  lease_owner             text,
  lease_expires_at        timestamptz,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);

-- The refresh job's due-scan: `where next_refresh_at <= now() order by next_refresh_at`.
create index account_credentials_next_refresh_at_idx
  on public.account_credentials (next_refresh_at);

comment on table public.account_credentials is
  'LWA tokens per account, Fernet-encrypted by the Worker. Service role only: never readable or '
  'writable by anon or authenticated (RLS on with no policies, and no grants).';
comment on column public.account_credentials.refresh_token is 'Fernet token (MultiFernet, FERNET_KEYS) of the LWA refresh token.';
comment on column public.account_credentials.access_token is 'Fernet token of the current LWA access token.';
comment on column public.account_credentials.next_refresh_at is
  'When the refresh job should next refresh this account. Set by a trigger from access_token_expires_at '
  '(see account_credentials_schedule_refresh); the job may set it itself for backoff.';
comment on column public.account_credentials.fernet_key_id is
  'Fingerprint of the Fernet key that encrypted this row, so key rotation can find rows still on an old key.';
comment on column public.account_credentials.refresh_attempts is
  'Consecutive failed refreshes; reset to 0 by the trigger when a new access token is stored.';
comment on column public.account_credentials.lease_owner is
  'Refresh job instance holding the lease; with lease_expires_at prevents two workers claiming one account.';

-- ── oauth_states ─────────────────────────────────────────────────────────────────────────────────
create table public.oauth_states (
  state_hash     text primary key check (state_hash ~ '^[0-9a-f]{64}$'),
  user_id        text not null references public.users (id) on delete cascade,
  provider       text not null check (provider in ('sp_api', 'ads')),
  region         text not null check (region in ('na', 'eu', 'fe')),
  marketplace_id text,
  nonce_hash     text not null check (nonce_hash ~ '^[0-9a-f]{64}$'),
  redirect_to    text,
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null default now() + interval '10 minutes',
  consumed_at    timestamptz
);

create index oauth_states_user_id_idx on public.oauth_states (user_id);
create index oauth_states_expires_at_idx on public.oauth_states (expires_at);

comment on table public.oauth_states is
  'Single-use Amazon connect attempts. Only hashes are stored: the raw state travels in the consent URL, '
  'the raw nonce in an HttpOnly cookie. Consumed atomically by consume_oauth_state(). Service role only.';
comment on column public.oauth_states.state_hash is 'Lowercase hex SHA-256 of the random state (the check rejects a raw state).';
comment on column public.oauth_states.nonce_hash is 'Lowercase hex SHA-256 of the browser nonce cookie set at connect time.';
comment on column public.oauth_states.redirect_to is 'Where the dashboard wants to land afterwards; validated by the Worker before use.';

-- ── webhook_events ───────────────────────────────────────────────────────────────────────────────
create table public.webhook_events (
  svix_id     text primary key,
  type        text not null,
  received_at timestamptz not null default now()
);

comment on table public.webhook_events is
  'Svix message ids already processed, so a redelivered webhook is acknowledged without re-applying it. Service role only.';

-- ── account_events ───────────────────────────────────────────────────────────────────────────────
create table public.account_events (
  id         bigint generated always as identity primary key,
  account_id uuid references public.user_accounts (id) on delete set null,
  user_id    text not null references public.users (id) on delete cascade,
  kind       text not null check (kind in ('connected', 'reconnected', 'refreshed', 'refresh_failed',
                                           'reauth_required', 'synced', 'renamed', 'default_changed',
                                           'disconnected')),
  detail     jsonb not null default '{}' check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now()
);

create index account_events_user_id_created_at_idx on public.account_events (user_id, created_at desc);
create index account_events_account_id_idx on public.account_events (account_id);

comment on table public.account_events is
  'Audit trail per account. Users read their own; only the service role writes. Never holds secrets.';
comment on column public.account_events.account_id is
  'NULL once the account row is deleted: the history outlives a disconnect (user_id keeps the owner).';
comment on column public.account_events.detail is 'Event details (error codes, old/new names…). Never tokens or ciphertext.';
