-- Data integrity (issue 13, items 1, 2, 3 and 6):
--   1. every user-initiated change is one function call, with its audit event in the same transaction;
--   2. users write nothing directly: they read their own rows, and change them only through those functions;
--   3. a connect takes the per-user default lock, so two first connects at once cannot both claim the default;
--   6. prune_expired() keeps oauth_states, webhook_events and account_events from growing forever.

-- ── 1. user-initiated changes: one transaction each, audit event included ────────────────────────
-- Renaming, making default and disconnecting used to be a write through PostgREST followed by a separate
-- service-role request for the event: a failure in between left a change without its event. Each is now one
-- function that makes the change and records the event together (all or nothing).
--
-- Why SECURITY DEFINER with an explicit owner check, rather than SECURITY INVOKER or triggers:
--   * Users must not be able to write account_events (or user_accounts) themselves — otherwise they could
--     forge history, or change an account without an event. A SECURITY INVOKER function can do nothing its
--     caller could not do statement by statement, so it could not write the event. These functions run as
--     their owner and are the only write path users have (see 2. below: no INSERT/UPDATE/DELETE grants).
--   * An audit trigger on user_accounts would also fire for the service role's own writes (a reconnect
--     filling in a missing name, sync results) and on the cascade of a user deletion (where inserting an
--     event for the user being deleted fails its foreign key): it would have to guess who acted and why.
--     A function names the act.
-- Ownership is checked exactly as the RLS policies do it: the row's user_id must equal the `sub` of the
-- caller's verified token, `(select auth.jwt() ->> 'sub')`. Without a token (anon, service role) `sub` is
-- NULL, which matches nothing. Another user's account is "not found": PT404, which PostgREST answers as
-- HTTP 404, as set_default_account always did. search_path is empty and every name schema-qualified.

-- Rename (null clears the name). A rename that changes nothing writes nothing: no update, no event.
create function public.rename_account(p_account_id uuid, p_display_name text)
returns public.user_accounts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id text := (select auth.jwt() ->> 'sub');
  v_account public.user_accounts;
begin
  select * into v_account
    from public.user_accounts a
   where a.id = p_account_id and a.user_id = v_user_id
     for update;
  if not found then
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  if v_account.display_name is not distinct from p_display_name then
    return v_account;
  end if;

  update public.user_accounts a
     set display_name = p_display_name
   where a.id = p_account_id
  returning * into v_account;

  insert into public.account_events (account_id, user_id, kind, detail)
  values (p_account_id, v_user_id, 'renamed', '{}');
  return v_account;
end;
$$;

comment on function public.rename_account(uuid, text) is
  'Dashboard: renames the caller''s account (null clears the name) and records a renamed event, in one '
  'transaction; an unchanged name writes nothing. Security definer, checking the owner against the token''s '
  'sub: another user''s account is not found (PT404 / HTTP 404).';

-- Make default. Replaces the version of 20261126000300_api_functions.sql (same signature and answers) to
-- record the event, and to check ownership explicitly now that it runs as its owner.
create or replace function public.set_default_account(p_account_id uuid)
returns public.user_accounts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id text := (select auth.jwt() ->> 'sub');
  v_account public.user_accounts;
begin
  if v_user_id is null then
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  -- Serialize default changes per user (and with connects, which may set a first default), so two
  -- concurrent calls cannot both clear-then-set. Taken before any row lock, as save_connected_accounts does.
  perform pg_advisory_xact_lock(hashtextextended('user_accounts.is_default:' || v_user_id, 0));

  select * into v_account
    from public.user_accounts a
   where a.id = p_account_id and a.user_id = v_user_id
     for update;
  if not found then
    -- PT404: PostgREST answers HTTP 404.
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  -- Already the default: nothing changes, no event.
  if v_account.is_default then
    return v_account;
  end if;

  -- Clear first: the partial unique index allows one default per user at every moment.
  update public.user_accounts a
     set is_default = false
   where a.user_id = v_user_id and a.is_default;

  update public.user_accounts a
     set is_default = true
   where a.id = p_account_id
  returning * into v_account;

  insert into public.account_events (account_id, user_id, kind, detail)
  values (p_account_id, v_user_id, 'default_changed', '{}');
  return v_account;
end;
$$;

comment on function public.set_default_account(uuid) is
  'Makes the account the caller''s default and clears their previous one, with a default_changed event, in '
  'one transaction (nothing, when it already is the default). Security definer, checking the owner against '
  'the token''s sub: another user''s account is not found (PT404 / HTTP 404).';

-- Disconnect: the account goes (its grant with it when it was the grant's last account: the
-- user_accounts_delete_orphaned_grant trigger) and the history keeps a disconnected event, detached from
-- the deleted row. Returns the deleted row, so the Worker knows which grant's session to tell.
create function public.disconnect_account(p_account_id uuid)
returns public.user_accounts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id text := (select auth.jwt() ->> 'sub');
  v_account public.user_accounts;
begin
  delete from public.user_accounts a
   where a.id = p_account_id and a.user_id = v_user_id
  returning * into v_account;
  if not found then
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  insert into public.account_events (account_id, user_id, kind, detail)
  values (null, v_user_id, 'disconnected',
          jsonb_build_object('account_id', v_account.id, 'provider', v_account.provider,
                             'region', v_account.region, 'external_id', v_account.external_id));
  return v_account;
end;
$$;

comment on function public.disconnect_account(uuid) is
  'Dashboard: deletes the caller''s account (and its grant, if no other account uses it) and records a '
  'disconnected event, in one transaction. Returns the deleted row. Security definer, checking the owner '
  'against the token''s sub: another user''s account is not found (PT404 / HTTP 404).';

-- Users call these three, and nobody else: without a token `sub` is NULL and they find nothing, so the
-- service role (and anon) get no EXECUTE either.
do $$
declare
  v_signature text;
begin
  foreach v_signature in array array[
    'public.rename_account(uuid, text)',
    'public.set_default_account(uuid)',
    'public.disconnect_account(uuid)'
  ] loop
    execute format('revoke execute on function %s from public, anon, service_role', v_signature);
    execute format('grant execute on function %s to authenticated', v_signature);
  end loop;
end;
$$;

-- ── 2. narrow grants: users read their own rows and write nothing directly ───────────────────────
-- Users reach PostgREST directly (their Clerk token and the public anon key), so these grants are part of
-- the API. Until now `authenticated` could INSERT user_accounts (a credential-less "active" account with
-- any external_id), UPDATE display_name and is_default (a rename without its event), DELETE accounts (a
-- disconnect without its event) and UPDATE its users row (the Clerk mirror, which only the webhook writes).
-- What remains for `authenticated`:
--   users          SELECT (own row)
--   user_accounts  SELECT (own rows); changes through rename_account, set_default_account, disconnect_account
--   account_events SELECT (own events)
--   amazon_grants  SELECT of the health columns (own grants), as before
-- Revoking a table privilege also revokes it from every column (PostgreSQL: REVOKE), so the column grants
-- of 20261126000200_rls_and_grants.sql go with these.
revoke insert, update, delete on table public.user_accounts from authenticated;
revoke insert, update, delete on table public.users from authenticated;

comment on column public.user_accounts.user_id is
  'Owner (Clerk user id). Users never insert accounts: they come from a connect (save_connected_accounts, '
  'service role). The column default (the token''s sub) is a leftover of user inserts and no longer used.';
comment on table public.account_events is
  'Audit trail per account. Users read their own and never write: their changes (rename_account, '
  'set_default_account, disconnect_account) and the service''s (connects, refreshes, syncs) write the events.';

-- Policies for privileges nobody has any more: dead rules are misleading rules.
drop policy user_accounts_insert_own on public.user_accounts;
drop policy user_accounts_update_own on public.user_accounts;
drop policy user_accounts_delete_own on public.user_accounts;
drop policy users_update_own on public.users;

-- ── 3. connect: the per-user default lock ────────────────────────────────────────────────────────
-- save_connected_accounts (20261201000000_amazon_grants.sql) takes set_default_account's per-user lock
-- before it decides the default, so two first connects at once cannot both make one.

-- ── 6. retention ─────────────────────────────────────────────────────────────────────────────────
-- What is kept, and for how long (the Cron Trigger calls prune_expired once a minute, worker/src/tokens/retention.ts):
--
--   table           deleted when                         why that long
--   oauth_states    expires_at + 1 day has passed        a state is useless once expired (10 minutes after
--                                                        the connect); the day keeps recent attempts for support
--   webhook_events  received_at + 7 days has passed      Svix retries a failed delivery for about 27.6 hours
--                                                        (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
--                                                        10 h); a week covers that with a wide margin. A later
--                                                        manual replay is still harmless: sync_clerk_user
--                                                        ignores older events and deleted users stay deleted.
--   account_events  created_at + 400 days has passed     a year of history — Amazon's yearly re-authorization
--                                                        cycle — plus a month's margin
--
-- Each call deletes at most p_limit rows per table (capped at 10,000), oldest first, skipping rows another
-- transaction holds, so a tick stays short however much has piled up; the backlog goes over later ticks.
create index webhook_events_received_at_idx on public.webhook_events (received_at);
create index account_events_created_at_idx on public.account_events (created_at);

create function public.prune_expired(p_limit integer default 1000)
returns table (oauth_states integer, webhook_events integer, account_events integer)
language plpgsql
set search_path = ''
as $$
declare
  c_state_grace     constant interval := interval '1 day';
  c_webhook_keep    constant interval := interval '7 days';
  c_event_keep      constant interval := interval '400 days';
  c_max_batch       constant integer := 10000;
  v_limit           integer := least(greatest(coalesce(p_limit, 0), 0), c_max_batch);
  v_states          integer;
  v_webhooks        integer;
  v_events          integer;
begin
  with doomed as (
    select s.state_hash from public.oauth_states s
     where s.expires_at < now() - c_state_grace
     order by s.expires_at
     limit v_limit
       for update skip locked
  ), gone as (
    delete from public.oauth_states s using doomed d where s.state_hash = d.state_hash returning 1
  )
  select count(*)::integer into v_states from gone;

  with doomed as (
    select w.svix_id from public.webhook_events w
     where w.received_at < now() - c_webhook_keep
     order by w.received_at
     limit v_limit
       for update skip locked
  ), gone as (
    delete from public.webhook_events w using doomed d where w.svix_id = d.svix_id returning 1
  )
  select count(*)::integer into v_webhooks from gone;

  with doomed as (
    select e.id from public.account_events e
     where e.created_at < now() - c_event_keep
     order by e.created_at
     limit v_limit
       for update skip locked
  ), gone as (
    delete from public.account_events e using doomed d where e.id = d.id returning 1
  )
  select count(*)::integer into v_events from gone;

  return query select v_states, v_webhooks, v_events;
end;
$$;

comment on function public.prune_expired(integer) is
  'Cron: deletes at most p_limit (0 to 10,000) rows per table, oldest first: oauth_states a day past '
  'expires_at, webhook_events older than 7 days (Svix retries for about 27.6 hours), account_events older '
  'than 400 days. Returns how many rows it deleted from each. Service role only.';

revoke execute on function public.prune_expired(integer) from public, anon, authenticated;
grant execute on function public.prune_expired(integer) to service_role;

-- ── sync: the result and its event together ──────────────────────────────────────────────────────
create function public.record_account_sync(p_account_id uuid, p_marketplaces text[], p_error text)
returns public.user_accounts
language plpgsql
set search_path = ''
as $$
declare
  v_account public.user_accounts;
begin
  if p_error is null then
    update public.user_accounts
       set marketplaces = coalesce(p_marketplaces, '{}'), last_sync_at = now(), last_error = null
     where id = p_account_id
    returning * into v_account;
  else
    update public.user_accounts set last_error = p_error where id = p_account_id returning * into v_account;
  end if;
  if not found then
    raise exception 'account % not found', p_account_id using errcode = 'PT404';
  end if;

  insert into public.account_events (account_id, user_id, kind, detail)
  values (p_account_id, v_account.user_id,
          case when p_error is null then 'synced' else 'refresh_failed' end,
          case when p_error is null then jsonb_build_object('marketplaces', to_jsonb(v_account.marketplaces))
               else jsonb_build_object('error', p_error) end);
  return v_account;
end;
$$;

comment on function public.record_account_sync(uuid, text[], text) is
  'POST /api/accounts/{id}/sync, after Amazon answered: stores the marketplaces read (p_error null: '
  'last_sync_at now, a synced event) or the failure code (last_error, a refresh_failed event), in one '
  'transaction. Status stays the grant''s to set. Service role only (the Worker checked ownership).';

revoke execute on function public.record_account_sync(uuid, text[], text) from public, anon, authenticated;
grant execute on function public.record_account_sync(uuid, text[], text) to service_role;
