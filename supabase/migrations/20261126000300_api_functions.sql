-- Functions exposed through PostgREST (`POST /rest/v1/rpc/<name>`). Each runs in one transaction, which
-- is why they exist: PostgREST cannot span several requests in a transaction.
--
-- All are SECURITY INVOKER with an empty search_path (every name is schema-qualified): they can do
-- nothing the calling role could not do statement by statement, RLS included. Supabase's default
-- privileges grant EXECUTE on new functions to anon and authenticated (and PostgreSQL to PUBLIC), so
-- each function below says explicitly who may call it.

-- ── Clerk webhook: upsert a user, newest event wins ──────────────────────────────────────────────
create function public.sync_clerk_user(
  p_id               text,
  p_email            text,
  p_first_name       text,
  p_last_name        text,
  p_image_url        text,
  p_clerk_updated_at bigint
)
returns boolean
language sql
set search_path = ''
as $$
  with applied as (
    insert into public.users as u (id, email, first_name, last_name, image_url, clerk_updated_at)
    values (p_id, p_email, p_first_name, p_last_name, p_image_url, p_clerk_updated_at)
    on conflict (id) do update
      set email            = excluded.email,
          first_name       = excluded.first_name,
          last_name        = excluded.last_name,
          image_url        = excluded.image_url,
          clerk_updated_at = excluded.clerk_updated_at
      where u.clerk_updated_at <= excluded.clerk_updated_at
    returning 1
  )
  select exists (select 1 from applied);
$$;

comment on function public.sync_clerk_user(text, text, text, text, text, bigint) is
  'Clerk user.created/user.updated: inserts the user, or updates it unless the stored clerk_updated_at '
  'is newer than p_clerk_updated_at (ms). Returns true if the row was written, false if the event was stale. '
  'Service role only.';

revoke execute on function public.sync_clerk_user(text, text, text, text, text, bigint)
  from public, anon, authenticated;
grant execute on function public.sync_clerk_user(text, text, text, text, text, bigint) to service_role;

-- ── OAuth callback: consume a connect attempt exactly once ───────────────────────────────────────
create function public.consume_oauth_state(p_state_hash text, p_nonce_hash text)
returns setof public.oauth_states
language sql
set search_path = ''
as $$
  update public.oauth_states
     set consumed_at = now()
   where state_hash = p_state_hash
     and nonce_hash = p_nonce_hash
     and consumed_at is null
     and expires_at > now()
  returning *;
$$;

comment on function public.consume_oauth_state(text, text) is
  'Marks the state consumed and returns it, in one statement, only if it is unconsumed, unexpired and the '
  'browser nonce matches; otherwise returns no row (and leaves the state as it was). A concurrent second '
  'call waits for the first and then finds consumed_at set. Service role only.';

revoke execute on function public.consume_oauth_state(text, text) from public, anon, authenticated;
grant execute on function public.consume_oauth_state(text, text) to service_role;

-- ── OAuth callback: save the account and its tokens together ─────────────────────────────────────
create function public.save_connected_account(
  p_user_id                 text,
  p_provider                text,
  p_region                  text,
  p_external_id             text,
  p_marketplaces            text[],
  p_display_name            text,
  p_refresh_token           text,
  p_access_token            text,
  p_access_token_expires_at timestamptz,
  p_fernet_key_id           text
)
returns public.user_accounts
language plpgsql
set search_path = ''
as $$
declare
  v_account_id uuid;
  v_inserted   boolean;
  v_account    public.user_accounts;
begin
  insert into public.user_accounts as a
    (user_id, provider, region, external_id, marketplaces, display_name, is_default)
  values
    (p_user_id, p_provider, p_region, p_external_id, coalesce(p_marketplaces, '{}'), p_display_name,
     not exists (select 1 from public.user_accounts d where d.user_id = p_user_id and d.is_default))
  on conflict (user_id, provider, region, external_id) do update
    set marketplaces  = excluded.marketplaces,
        display_name  = coalesce(a.display_name, excluded.display_name),
        status        = 'active',
        authorized_at = now(),
        last_error    = null
  returning a.id, (a.xmax = 0) into v_account_id, v_inserted;

  insert into public.account_credentials as c
    (account_id, refresh_token, access_token, access_token_expires_at, fernet_key_id)
  values
    (v_account_id, p_refresh_token, p_access_token, p_access_token_expires_at, p_fernet_key_id)
  on conflict (account_id) do update
    set refresh_token           = excluded.refresh_token,
        access_token            = excluded.access_token,
        access_token_expires_at = excluded.access_token_expires_at,
        fernet_key_id           = excluded.fernet_key_id,
        refresh_attempts        = 0,
        last_refresh_error      = null,
        lease_owner             = null,
        lease_expires_at        = null;

  select * into v_account from public.user_accounts where id = v_account_id;

  insert into public.account_events (account_id, user_id, kind, detail)
  values (v_account_id, p_user_id,
          case when v_inserted then 'connected' else 'reconnected' end,
          jsonb_build_object('provider', p_provider, 'region', p_region,
                             'marketplaces', to_jsonb(v_account.marketplaces)));

  return v_account;
end;
$$;

comment on function public.save_connected_account(text, text, text, text, text[], text, text, text, timestamptz, text) is
  'OAuth callback, after the code exchange: upserts the account (a reconnect sets it active again, renews '
  'authorized_at and keeps a name the user chose), upserts its encrypted tokens and records a connected/'
  'reconnected event, all in one transaction, so a failure saves nothing. A user''s first account becomes '
  'their default. Returns the account row (never tokens). Service role only.';

revoke execute on function public.save_connected_account(text, text, text, text, text[], text, text, text, timestamptz, text)
  from public, anon, authenticated;
grant execute on function public.save_connected_account(text, text, text, text, text[], text, text, text, timestamptz, text)
  to service_role;

-- ── Refresh job: claim due accounts under a lease ────────────────────────────────────────────────
create function public.claim_due_refreshes(
  p_lease_owner   text,
  p_limit         integer default 100,
  p_lease_seconds integer default 300
)
returns table (account_id uuid, user_id text, provider text, region text, refresh_attempts integer)
language sql
set search_path = ''
as $$
  with due as (
    select c.account_id
      from public.account_credentials c
      join public.user_accounts a on a.id = c.account_id
     where c.next_refresh_at <= now()
       and (c.lease_expires_at is null or c.lease_expires_at <= now())
       and a.status in ('active', 'refreshing', 'error')
     order by c.next_refresh_at
     limit greatest(p_limit, 0)
       for update of c skip locked
  ),
  claimed as (
    update public.account_credentials c
       set lease_owner      = p_lease_owner,
           lease_expires_at = now() + make_interval(secs => p_lease_seconds)
      from due
     where c.account_id = due.account_id
    returning c.account_id, c.refresh_attempts
  )
  select cl.account_id, a.user_id, a.provider, a.region, cl.refresh_attempts
    from claimed cl
    join public.user_accounts a on a.id = cl.account_id;
$$;

comment on function public.claim_due_refreshes(text, integer, integer) is
  'Cron: leases up to p_limit accounts whose next_refresh_at has passed and whose lease is free or expired '
  '(skipping rows another claimer holds locked), excluding reauth_required and disconnected accounts. '
  'The refresher clears lease_owner/lease_expires_at when done. Service role only.';

revoke execute on function public.claim_due_refreshes(text, integer, integer) from public, anon, authenticated;
grant execute on function public.claim_due_refreshes(text, integer, integer) to service_role;

-- ── Dashboard: choose the default account ────────────────────────────────────────────────────────
create function public.set_default_account(p_account_id uuid)
returns public.user_accounts
language plpgsql
set search_path = ''
as $$
declare
  v_target  public.user_accounts;
  v_account public.user_accounts;
begin
  -- RLS applies (security invoker): another user's account is simply not found.
  select * into v_target from public.user_accounts where id = p_account_id;
  if not found then
    -- PT404: PostgREST answers HTTP 404.
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  -- Serialize default changes per user, so two concurrent calls cannot both clear-then-set.
  perform pg_advisory_xact_lock(hashtextextended('user_accounts.is_default:' || v_target.user_id, 0));

  -- Clear first: the partial unique index allows one default per user at every moment.
  update public.user_accounts
     set is_default = false
   where user_id = v_target.user_id
     and is_default
     and id <> p_account_id;

  update public.user_accounts
     set is_default = true
   where id = p_account_id
  returning * into v_account;

  return v_account;
end;
$$;

comment on function public.set_default_account(uuid) is
  'Makes the account the caller''s default and clears their previous one, in one transaction. '
  'Security invoker: RLS limits it to the caller''s own accounts (PT404 / HTTP 404 otherwise).';

revoke execute on function public.set_default_account(uuid) from public, anon;
grant execute on function public.set_default_account(uuid) to authenticated, service_role;
