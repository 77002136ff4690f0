-- One grant per Login with Amazon consent (docs/architecture.md, Flows: token lifecycle).
--
-- Until now each account had its own credentials row, so an Ads consent (one refresh token, several
-- advertising profiles) was refreshed once per profile and failed once per profile. A grant is the
-- consent: one refresh token, one access token, one refresh schedule, one lease, one status. Every
-- account points at its grant; an SP-API grant opens one account, an Ads grant one per profile.
--
-- Token writes go only through the functions below, and every write checks the lease, so a refresher
-- whose lease ran out (or was taken over) can never overwrite a newer token:
--   claim_due_grants       cron: lease due grants (attempt counted, backoff set), SKIP LOCKED
--   start_grant_refresh    the grant's AccountSession takes (or adopts) the lease and reads the ciphertexts
--   complete_grant_refresh writes new tokens only while the caller holds the lease; returns whether it won
--   fail_grant_refresh     records the error class; invalid_grant flags the grant and all its accounts
--   release_grant          gives back a lease that turned out not to be needed
--   save_reencrypted_grants  key rotation: compare-and-set, never over a live lease
-- Connecting (save_connected_accounts) replaces a grant's tokens and clears reauth_required on all its
-- accounts, and takes the lease away from any refresher still running on the old tokens.

-- ── amazon_grants ────────────────────────────────────────────────────────────────────────────────
create table public.amazon_grants (
  id                      uuid primary key default gen_random_uuid(),
  user_id                 text not null references public.users (id) on delete cascade,
  provider                text not null check (provider in ('sp_api', 'ads')),
  region                  text not null check (region in ('na', 'eu', 'fe')),
  refresh_token           text not null,
  access_token            text,
  access_token_expires_at timestamptz,
  fernet_key_id           text not null,
  status                  text not null default 'active'
                            check (status in ('active', 'refreshing', 'reauth_required', 'error')),
  next_refresh_at         timestamptz,
  refresh_attempts        integer not null default 0 check (refresh_attempts >= 0),
  last_error_class        text check (last_error_class in
                            ('invalid_grant', 'invalid_client', 'unavailable', 'throttled', 'invalid_request', 'key_missing')),
  last_attempt_at         timestamptz,
  last_refreshed_at       timestamptz,
  lease_owner             uuid,
  lease_expires_at        timestamptz,
  refresh_started_at      timestamptz,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  check ((lease_owner is null) = (lease_expires_at is null))
);

-- The cron's due-scan, only over grants it may refresh.
create index amazon_grants_due_idx on public.amazon_grants (next_refresh_at)
  where status in ('active', 'refreshing', 'error');
-- Key rotation: rows still on an older key.
create index amazon_grants_fernet_key_id_idx on public.amazon_grants (fernet_key_id);
-- Health: the most recent LWA answer per provider.
create index amazon_grants_last_attempt_idx on public.amazon_grants (provider, last_attempt_at desc nulls last);
create index amazon_grants_user_id_idx on public.amazon_grants (user_id);

create trigger amazon_grants_set_updated_at
  before update on public.amazon_grants
  for each row execute function public.set_updated_at();

comment on table public.amazon_grants is
  'One row per Login with Amazon consent: the Fernet-encrypted refresh and access tokens that the consent''s '
  'accounts share, with the refresh schedule, lease and status. Written only through the grant functions. '
  'Users may read the health columns of their own grants (never the tokens).';
comment on column public.amazon_grants.refresh_token is 'Fernet token (MultiFernet, FERNET_KEYS) of the LWA refresh token.';
comment on column public.amazon_grants.access_token is 'Fernet token of the current LWA access token.';
comment on column public.amazon_grants.fernet_key_id is 'Fingerprint of the Fernet key that encrypted both tokens (key rotation finds older rows by it).';
comment on column public.amazon_grants.status is
  'active | refreshing (a refresher holds the lease) | reauth_required (LWA said invalid_grant; only a new '
  'consent clears it) | error (8 or more consecutive transient failures; still retried hourly).';
comment on column public.amazon_grants.next_refresh_at is
  'When the cron next refreshes the grant: 5 minutes before the access token expires, or the retry time '
  'after a failure (exponential backoff with full jitter, set when the attempt is claimed).';
comment on column public.amazon_grants.refresh_attempts is 'Attempts since the last success; counted when an attempt is claimed.';
comment on column public.amazon_grants.last_error_class is
  'Why the last attempt failed (refresh error classes, README): invalid_grant, invalid_client (our app '
  'credentials), unavailable, throttled, invalid_request, key_missing (no configured Fernet key decrypts the row).';
comment on column public.amazon_grants.lease_owner is
  'Whoever may write tokens now: the cron''s claim (queued) or the AccountSession refreshing (refresh_started_at set).';
comment on column public.amazon_grants.refresh_started_at is
  'Set while a refresher is actually talking to LWA; null while the lease is only a queued claim, which the '
  'grant''s AccountSession may adopt or take over.';

-- ── accounts point at their grant ────────────────────────────────────────────────────────────────
alter table public.user_accounts
  add column grant_id uuid references public.amazon_grants (id) on delete set null;
create index user_accounts_grant_id_idx on public.user_accounts (grant_id);

comment on column public.user_accounts.grant_id is
  'The consent whose tokens this account uses. Null only when no tokens are stored (the account then needs a reconnect).';

-- ── carry the old per-account credentials over ──────────────────────────────────────────────────
-- The profiles of one Ads consent were saved with the same ciphertext (one encryption per consent), so
-- (user, provider, region, refresh-token ciphertext) is the consent. Rows whose refresh token has been
-- rewritten since become grants of their own: nothing is merged that might not belong together.
-- A consent's status is its worst account's: one profile that needed reauth means the grant does.
create temporary table grant_map on commit drop as
  select c.account_id,
         first_value(c.account_id) over consent as first_account_id,
         (array['active', 'error', 'reauth_required'])[
           max(case a.status when 'reauth_required' then 3 when 'error' then 2 else 1 end) over everyone
         ] as grant_status
    from public.account_credentials c
    join public.user_accounts a on a.id = c.account_id
  window consent as (partition by a.user_id, a.provider, a.region, c.refresh_token order by c.updated_at desc, c.account_id),
         everyone as (partition by a.user_id, a.provider, a.region, c.refresh_token);

insert into public.amazon_grants
  (id, user_id, provider, region, refresh_token, access_token, access_token_expires_at, fernet_key_id,
   status, next_refresh_at, refresh_attempts, created_at)
select c.account_id, a.user_id, a.provider, a.region, c.refresh_token, c.access_token, c.access_token_expires_at,
       c.fernet_key_id, m.grant_status,
       coalesce(c.access_token_expires_at - interval '5 minutes', now()), c.refresh_attempts, c.created_at
  from public.account_credentials c
  join public.user_accounts a on a.id = c.account_id
  join grant_map m on m.account_id = c.account_id
 where m.account_id = m.first_account_id;

update public.user_accounts a
   set grant_id = m.first_account_id,
       status = case when m.grant_status = 'reauth_required' then 'reauth_required' else a.status end,
       last_error = case when m.grant_status = 'reauth_required' then 'reauth_required' else a.last_error end
  from grant_map m
 where m.account_id = a.id;

-- An account without stored tokens cannot be refreshed: say so instead of showing it active.
update public.user_accounts
   set status = 'reauth_required', last_error = 'reauth_required'
 where grant_id is null and status <> 'reauth_required';

drop function public.claim_due_refreshes(text, integer, integer);
drop function public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text);
drop function public.save_connected_account(text, text, text, text, text[], text, text, text, timestamptz, text);
drop table public.account_credentials;
drop function public.account_credentials_schedule_refresh();

-- An account disconnected last takes its grant with it: tokens nobody uses are not kept. Users delete
-- their own accounts but may not touch grants, so the trigger runs as the table owner (security definer,
-- empty search_path): it deletes only the grant the deleted row pointed at, and only if no account uses it.
create function public.delete_orphaned_grant()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.grant_id is not null
     and not exists (select 1 from public.user_accounts where grant_id = old.grant_id) then
    delete from public.amazon_grants where id = old.grant_id;
  end if;
  return null;
end;
$$;

create trigger user_accounts_delete_orphaned_grant
  after delete on public.user_accounts
  for each row execute function public.delete_orphaned_grant();

revoke execute on function public.delete_orphaned_grant() from public, anon, authenticated, service_role;

-- ── privileges: the tokens are the service role's; users may read their grants' health ─────────
alter table public.amazon_grants enable row level security;
revoke all on table public.amazon_grants from anon, authenticated;
grant select (id, user_id, provider, region, status, access_token_expires_at, next_refresh_at, refresh_attempts,
              last_error_class, last_attempt_at, last_refreshed_at, created_at)
  on table public.amazon_grants to authenticated;
grant all on table public.amazon_grants to service_role;

create policy amazon_grants_select_own on public.amazon_grants
  for select to authenticated
  using ((select auth.jwt() ->> 'sub') = user_id);

-- ── backoff ──────────────────────────────────────────────────────────────────────────────────────
-- Exponential backoff with full jitter: a uniformly random wait in [0, min(cap, base · 2^(attempt-1))],
-- base 30 s, cap 1 h. Full jitter spreads a fleet of grants that failed together (Amazon down for a
-- minute) over the whole window instead of retrying them in lockstep.
create function public.refresh_backoff(p_attempt integer)
returns interval
language sql
volatile
set search_path = ''
as $$
  select make_interval(secs => random() * least(3600, 30 * power(2, least(greatest(p_attempt, 1) - 1, 20))));
$$;

comment on function public.refresh_backoff(integer) is
  'Retry wait after the p_attempt-th consecutive failure: uniform in [0, min(1 h, 30 s · 2^(p_attempt-1))].';

revoke execute on function public.refresh_backoff(integer) from public, anon, authenticated;
grant execute on function public.refresh_backoff(integer) to service_role;

-- ── cron: claim due grants ───────────────────────────────────────────────────────────────────────
create function public.claim_due_grants(p_limit integer default 100, p_lease_seconds integer default 120)
returns table (grant_id uuid, lease_owner uuid, refresh_attempts integer)
language sql
set search_path = ''
as $$
  with due as (
    select g.id
      from public.amazon_grants g
     where g.status in ('active', 'refreshing', 'error')
       and g.next_refresh_at <= now()
       and (g.lease_expires_at is null or g.lease_expires_at <= now())
     order by g.next_refresh_at
     limit greatest(least(p_limit, 1000), 0)
       for update skip locked
  )
  update public.amazon_grants g
     set lease_owner        = gen_random_uuid(),
         lease_expires_at   = now() + make_interval(secs => p_lease_seconds),
         refresh_started_at = null,
         refresh_attempts   = g.refresh_attempts + 1,
         next_refresh_at    = now() + make_interval(secs => p_lease_seconds) + public.refresh_backoff(g.refresh_attempts + 1)
    from due
   where g.id = due.id
  returning g.id, g.lease_owner, g.refresh_attempts;
$$;

comment on function public.claim_due_grants(integer, integer) is
  'Cron: leases up to p_limit (≤ 1000) grants whose refresh is due and whose lease is free or expired, '
  'skipping rows another claimer holds, excluding reauth_required. In the same statement the attempt is '
  'counted and the next try is set past the lease plus a backoff, so a refresher that dies is retried '
  'later rather than at once, and one that keeps failing backs off. Service role only.';

-- ── AccountSession: start a refresh ──────────────────────────────────────────────────────────────
-- p_claimed_owner: the cron's lease, when the refresh comes from its queued message: then the lease is
-- adopted only if it is still that claim (otherwise the message is stale: no row). An on-demand refresh
-- (p_claimed_owner null) takes the lease when it is free or expired, or when it is a queued claim nobody
-- has started (the grant's AccountSession is the only refresher, so taking a queued claim over only makes
-- the queued message stale). A refresher that has started and still holds its lease is never displaced.
create function public.start_grant_refresh(
  p_grant_id      uuid,
  p_owner         uuid,
  p_claimed_owner uuid default null,
  p_lease_seconds integer default 60
)
returns table (
  id uuid, user_id text, provider text, region text, status text,
  refresh_token text, access_token text, access_token_expires_at timestamptz, fernet_key_id text,
  refresh_attempts integer
)
language sql
set search_path = ''
as $$
  update public.amazon_grants g
     set lease_owner        = p_owner,
         lease_expires_at   = now() + make_interval(secs => p_lease_seconds),
         refresh_started_at = now(),
         status             = case when g.status = 'active' then 'refreshing' else g.status end,
         -- An on-demand attempt counts too; a cron claim, adopted or taken over before it started, was
         -- counted when it was claimed: one attempt per LWA call.
         refresh_attempts   = g.refresh_attempts
                              + case when g.lease_owner is not null and g.refresh_started_at is null then 0 else 1 end
   where g.id = p_grant_id
     and g.status <> 'reauth_required'
     and case when p_claimed_owner is not null then g.lease_owner = p_claimed_owner
              else g.lease_owner is null or g.lease_expires_at <= now() or g.refresh_started_at is null end
  returning g.id, g.user_id, g.provider, g.region, g.status, g.refresh_token, g.access_token,
            g.access_token_expires_at, g.fernet_key_id, g.refresh_attempts;
$$;

comment on function public.start_grant_refresh(uuid, uuid, uuid, integer) is
  'The grant''s AccountSession takes the lease (adopting the cron''s claim p_claimed_owner if it still holds; '
  'on demand, a free, expired or merely queued one) and reads the ciphertexts. No row: the claim is stale, '
  'the grant needs reauth or is gone, or another refresher is running. Service role only.';

-- ── AccountSession: finish a refresh ─────────────────────────────────────────────────────────────
create function public.complete_grant_refresh(
  p_grant_id                uuid,
  p_owner                   uuid,
  p_access_token            text,
  p_access_token_expires_at timestamptz,
  p_refresh_token           text,
  p_fernet_key_id           text
)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  v_previous text;
  v_user_id  text;
begin
  select g.status, g.user_id into v_previous, v_user_id
    from public.amazon_grants g
   where g.id = p_grant_id and g.lease_owner = p_owner
     for update;
  if not found then
    return false;
  end if;

  update public.amazon_grants g
     set access_token            = p_access_token,
         access_token_expires_at = p_access_token_expires_at,
         refresh_token           = coalesce(p_refresh_token, g.refresh_token),
         fernet_key_id           = p_fernet_key_id,
         status                  = 'active',
         next_refresh_at         = p_access_token_expires_at - interval '5 minutes',
         refresh_attempts        = 0,
         last_error_class        = null,
         last_attempt_at         = now(),
         last_refreshed_at       = now(),
         lease_owner             = null,
         lease_expires_at        = null,
         refresh_started_at      = null
   where g.id = p_grant_id;

  -- Accounts that were failing come back; those a new consent must fix stay as they are.
  if v_previous = 'error' then
    with recovered as (
      update public.user_accounts a
         set status = 'active', last_error = null
       where a.grant_id = p_grant_id and a.status = 'error'
      returning a.id
    )
    insert into public.account_events (account_id, user_id, kind, detail)
    select r.id, v_user_id, 'refreshed', jsonb_build_object('recovered_from', 'error') from recovered r;
  end if;
  return true;
end;
$$;

comment on function public.complete_grant_refresh(uuid, uuid, text, timestamptz, text, text) is
  'Stores a refreshed access token (and the refresh token when it changed: null keeps the stored one) only '
  'while p_owner holds the lease; returns whether it did. Resets the failure streak, schedules the next '
  'refresh 5 minutes before expiry, and returns failing accounts to active with an event. Service role only.';

-- ── AccountSession: a refresh failed ─────────────────────────────────────────────────────────────
create function public.fail_grant_refresh(p_grant_id uuid, p_owner uuid, p_error_class text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  v_grant public.amazon_grants;
  v_status text;
begin
  select * into v_grant from public.amazon_grants g where g.id = p_grant_id and g.lease_owner = p_owner for update;
  if not found then
    return null;
  end if;

  v_status := case
    when p_error_class = 'invalid_grant' then 'reauth_required'
    -- Our own app credentials or Fernet keys: no seller's status changes for our mistake.
    when p_error_class in ('invalid_client', 'key_missing') then case when v_grant.status = 'refreshing' then 'active' else v_grant.status end
    when v_grant.refresh_attempts >= 8 then 'error'
    else case when v_grant.status = 'refreshing' then 'active' else v_grant.status end
  end;

  update public.amazon_grants g
     set status             = v_status,
         last_error_class   = p_error_class,
         last_attempt_at    = now(),
         -- The retry time replaces the claim's, which only covered a refresher that dies.
         next_refresh_at    = now() + public.refresh_backoff(g.refresh_attempts),
         lease_owner        = null,
         lease_expires_at   = null,
         refresh_started_at = null
   where g.id = p_grant_id;

  if v_status in ('reauth_required', 'error') then
    with flagged as (
      update public.user_accounts a
         set status = v_status, last_error = case when v_status = 'reauth_required' then 'reauth_required' else 'amazon_unavailable' end
       where a.grant_id = p_grant_id and a.status <> v_status and a.status <> 'reauth_required'
      returning a.id
    )
    insert into public.account_events (account_id, user_id, kind, detail)
    select f.id, v_grant.user_id,
           case when v_status = 'reauth_required' then 'reauth_required' else 'refresh_failed' end,
           jsonb_build_object('reason', p_error_class, 'attempts', v_grant.refresh_attempts)
      from flagged f;
  end if;
  return v_status;
end;
$$;

comment on function public.fail_grant_refresh(uuid, uuid, text) is
  'Records a failed refresh while p_owner holds the lease (returns the grant''s new status, null when the '
  'lease was lost). invalid_grant: the grant and all its accounts become reauth_required, with an event '
  'each. invalid_client / key_missing (our side): no status changes. Anything else: retried with backoff, '
  'error (grant and accounts, with an event) from the 8th consecutive failure. Service role only.';

-- ── AccountSession: a lease that was not needed ──────────────────────────────────────────────────
create function public.release_grant(p_grant_id uuid, p_owner uuid)
returns boolean
language sql
set search_path = ''
as $$
  with released as (
    update public.amazon_grants g
       set lease_owner        = null,
           lease_expires_at   = null,
           refresh_started_at = null,
           status             = case when g.status = 'refreshing' then 'active' else g.status end,
           refresh_attempts   = greatest(g.refresh_attempts - 1, 0),
           next_refresh_at    = coalesce(g.access_token_expires_at - interval '5 minutes', now())
     where g.id = p_grant_id and g.lease_owner = p_owner
    returning 1
  )
  select exists (select 1 from released);
$$;

comment on function public.release_grant(uuid, uuid) is
  'Gives back a lease without refreshing (the access token was already fresh): the attempt is not '
  'counted and the schedule follows the stored expiry again. Service role only.';

-- ── key rotation ─────────────────────────────────────────────────────────────────────────────────
create function public.save_reencrypted_grants(p_rows jsonb)
returns integer
language sql
set search_path = ''
as $$
  with rows as (
    select (r ->> 'id')::uuid as id, r ->> 'refresh_token' as refresh_token, r ->> 'access_token' as access_token,
           r ->> 'previous_refresh_token' as previous_refresh_token, r ->> 'previous_access_token' as previous_access_token,
           r ->> 'fernet_key_id' as fernet_key_id
      from jsonb_array_elements(p_rows) r
  ),
  written as (
    update public.amazon_grants g
       set refresh_token = rows.refresh_token,
           access_token  = rows.access_token,
           fernet_key_id = rows.fernet_key_id
      from rows
     where g.id = rows.id
       and g.refresh_token = rows.previous_refresh_token
       and g.access_token is not distinct from rows.previous_access_token
       and (g.lease_owner is null or g.lease_expires_at <= now())
    returning 1
  )
  select count(*)::integer from written;
$$;

comment on function public.save_reencrypted_grants(jsonb) is
  'Key rotation: writes re-encrypted tokens ([{id, refresh_token, access_token, previous_refresh_token, '
  'previous_access_token, fernet_key_id}]) only where both ciphertexts are still the ones read and no live '
  'lease is held, so a refresh is never overwritten or raced. Leaves attempts and schedule alone. '
  'Returns how many rows were written. Service role only.';

-- ── health ───────────────────────────────────────────────────────────────────────────────────────
create function public.token_engine_health(p_current_key_id text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  -- Written for the indexes, as /api/health is public: "< or >" is two range scans of the key-id index
  -- (nothing to read when no rotation is under way), where "<>" would scan the table.
  select jsonb_build_object(
    'grants_on_older_keys', (select count(*) from public.amazon_grants
                              where fernet_key_id < p_current_key_id or fernet_key_id > p_current_key_id),
    'sp_api_client', (select coalesce(last_error_class, 'ok') from public.amazon_grants
                       where provider = 'sp_api' and last_attempt_at is not null
                       order by last_attempt_at desc nulls last limit 1),
    'ads_client', (select coalesce(last_error_class, 'ok') from public.amazon_grants
                    where provider = 'ads' and last_attempt_at is not null
                    order by last_attempt_at desc nulls last limit 1)
  );
$$;

comment on function public.token_engine_health(text) is
  'For /api/health: how many grants are still on an older Fernet key (a count), and the outcome of the '
  'most recent LWA refresh per provider (ok, or its error class; null before the first). Service role only.';

-- ── connect: one consent, one grant, all its accounts ────────────────────────────────────────────
create function public.save_connected_accounts(
  p_user_id                 text,
  p_provider                text,
  p_region                  text,
  p_accounts                jsonb,
  p_refresh_token           text,
  p_access_token            text,
  p_access_token_expires_at timestamptz,
  p_fernet_key_id           text
)
returns setof public.user_accounts
language plpgsql
set search_path = ''
as $$
declare
  v_account  jsonb;
  v_grant_id uuid;
  v_row        public.user_accounts;
  v_account_id uuid;
  v_inserted   boolean;
begin
  if jsonb_typeof(p_accounts) is distinct from 'array' or jsonb_array_length(p_accounts) = 0 then
    raise exception 'p_accounts must be a non-empty array' using errcode = '22023';
  end if;

  -- set_default_account's per-user lock, before any row lock (one order for everyone, no deadlock): two
  -- first connects at once would otherwise both see no default and the second fail on the unique index
  -- after its code was redeemed at Amazon.
  perform pg_advisory_xact_lock(hashtextextended('user_accounts.is_default:' || p_user_id, 0));

  -- A reconnect renews the grant the accounts already use (clearing reauth on every account that shares
  -- it); a first connect makes a new one.
  select a.grant_id into v_grant_id
    from public.user_accounts a
   where a.user_id = p_user_id and a.provider = p_provider and a.region = p_region and a.grant_id is not null
     and a.external_id in (select e ->> 'external_id' from jsonb_array_elements(p_accounts) e)
   order by a.created_at
   limit 1;

  if v_grant_id is null then
    insert into public.amazon_grants
      (user_id, provider, region, refresh_token, access_token, access_token_expires_at, fernet_key_id,
       next_refresh_at, last_refreshed_at, last_attempt_at)
    values
      (p_user_id, p_provider, p_region, p_refresh_token, p_access_token, p_access_token_expires_at, p_fernet_key_id,
       coalesce(p_access_token_expires_at - interval '5 minutes', now()), now(), now())
    returning id into v_grant_id;
  else
    -- New tokens, and the lease taken from any refresher still holding the old ones: its write loses.
    update public.amazon_grants
       set refresh_token           = p_refresh_token,
           access_token            = p_access_token,
           access_token_expires_at = p_access_token_expires_at,
           fernet_key_id           = p_fernet_key_id,
           status                  = 'active',
           next_refresh_at         = coalesce(p_access_token_expires_at - interval '5 minutes', now()),
           refresh_attempts        = 0,
           last_error_class        = null,
           last_attempt_at         = now(),
           last_refreshed_at       = now(),
           lease_owner             = null,
           lease_expires_at        = null,
           refresh_started_at      = null
     where id = v_grant_id;
    update public.user_accounts
       set status = 'active', last_error = null, authorized_at = now()
     where grant_id = v_grant_id;
  end if;

  -- In order: the first account becomes the default when the user has none.
  for v_account in select value from jsonb_array_elements(p_accounts) with ordinality order by ordinality loop
    insert into public.user_accounts as a
      (user_id, provider, region, external_id, marketplaces, display_name, is_default, grant_id)
    values
      (p_user_id, p_provider, p_region, v_account ->> 'external_id',
       array(select jsonb_array_elements_text(coalesce(v_account -> 'marketplaces', '[]'))),
       v_account ->> 'display_name',
       not exists (select 1 from public.user_accounts d where d.user_id = p_user_id and d.is_default),
       v_grant_id)
    on conflict (user_id, provider, region, external_id) do update
      set marketplaces  = excluded.marketplaces,
          display_name  = coalesce(a.display_name, excluded.display_name),
          status        = 'active',
          authorized_at = now(),
          last_error    = null,
          grant_id      = excluded.grant_id
    returning a.id, (a.xmax = 0) into v_account_id, v_inserted;

    select * into v_row from public.user_accounts where id = v_account_id;

    insert into public.account_events (account_id, user_id, kind, detail)
    values (v_row.id, p_user_id,
            case when v_inserted then 'connected' else 'reconnected' end,
            jsonb_build_object('provider', p_provider, 'region', p_region, 'marketplaces', to_jsonb(v_row.marketplaces)));
    return next v_row;
  end loop;

  -- Accounts moved here from another grant may have left it without accounts.
  delete from public.amazon_grants g
   where g.user_id = p_user_id and g.id <> v_grant_id
     and not exists (select 1 from public.user_accounts a where a.grant_id = g.id);
end;
$$;

comment on function public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text) is
  'OAuth callback: saves every account one consent opens (p_accounts: [{external_id, marketplaces, '
  'display_name}], in order) on one grant holding the consent''s encrypted tokens, with a connected/'
  'reconnected event each, in one transaction: all or none. A reconnect renews the accounts'' grant: new '
  'tokens, reauth_required cleared on every account that shares it, any refresher''s lease revoked. Takes the '
  'per-user default lock (as set_default_account does), so concurrent first connects leave one default. '
  'Returns the account rows in the same order (never tokens). Service role only.';

-- ── who may call what ────────────────────────────────────────────────────────────────────────────
do $$
declare
  v_signature text;
begin
  foreach v_signature in array array[
    'public.claim_due_grants(integer, integer)',
    'public.start_grant_refresh(uuid, uuid, uuid, integer)',
    'public.complete_grant_refresh(uuid, uuid, text, timestamptz, text, text)',
    'public.fail_grant_refresh(uuid, uuid, text)',
    'public.release_grant(uuid, uuid)',
    'public.save_reencrypted_grants(jsonb)',
    'public.token_engine_health(text)',
    'public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', v_signature);
    execute format('grant execute on function %s to service_role', v_signature);
  end loop;
end;
$$;
