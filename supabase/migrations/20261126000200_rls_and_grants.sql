-- Row-level security and privileges.
--
-- A Supabase project grants ALL on every new table in `public` to anon, authenticated and service_role
-- (default privileges) and relies on RLS. Here each table first loses every privilege for anon and
-- authenticated, then gets back exactly what the dashboard needs, column by column where it matters.
-- Two layers, each sufficient on its own for the private tables: no grant, and RLS with no policy.
--
-- Policies compare the token's `sub` (a Clerk user id, not a uuid: auth.uid() would fail) with the
-- row's owner. `(select auth.jwt() ->> 'sub')` is evaluated once per statement, not once per row.
-- service_role has BYPASSRLS and keeps its default ALL grants: it is the webhook and the refresh job.

-- ── users: read your own row, edit your own name ─────────────────────────────────────────────────
alter table public.users enable row level security;

revoke all on table public.users from anon, authenticated;
grant select on table public.users to authenticated;
grant update (first_name, last_name) on table public.users to authenticated;
grant all on table public.users to service_role;

create policy users_select_own on public.users
  for select to authenticated
  using ((select auth.jwt() ->> 'sub') = id);

create policy users_update_own on public.users
  for update to authenticated
  using ((select auth.jwt() ->> 'sub') = id)
  with check ((select auth.jwt() ->> 'sub') = id);

-- No insert/delete policy: only the Clerk webhook (service role) creates and deletes users.

-- ── user_accounts: full CRUD on your own rows; only display_name and is_default are user-editable ─
alter table public.user_accounts enable row level security;

revoke all on table public.user_accounts from anon, authenticated;
grant select, delete on table public.user_accounts to authenticated;
-- Status, timestamps, sync results and authorization time are the service role's to write.
grant insert (user_id, provider, region, external_id, marketplaces, display_name, is_default)
  on table public.user_accounts to authenticated;
grant update (display_name, is_default) on table public.user_accounts to authenticated;
grant all on table public.user_accounts to service_role;

create policy user_accounts_select_own on public.user_accounts
  for select to authenticated
  using ((select auth.jwt() ->> 'sub') = user_id);

create policy user_accounts_insert_own on public.user_accounts
  for insert to authenticated
  with check ((select auth.jwt() ->> 'sub') = user_id);

create policy user_accounts_update_own on public.user_accounts
  for update to authenticated
  using ((select auth.jwt() ->> 'sub') = user_id)
  with check ((select auth.jwt() ->> 'sub') = user_id);

create policy user_accounts_delete_own on public.user_accounts
  for delete to authenticated
  using ((select auth.jwt() ->> 'sub') = user_id);

-- ── account_events: read your own history; only the service role writes ─────────────────────────
alter table public.account_events enable row level security;

revoke all on table public.account_events from anon, authenticated;
revoke all on sequence public.account_events_id_seq from anon, authenticated;
grant select on table public.account_events to authenticated;
grant all on table public.account_events to service_role;
grant all on sequence public.account_events_id_seq to service_role;

create policy account_events_select_own on public.account_events
  for select to authenticated
  using ((select auth.jwt() ->> 'sub') = user_id);

-- ── service-role-only tables: RLS on, no policies, no grants for anon/authenticated ─────────────
alter table public.account_credentials enable row level security;
revoke all on table public.account_credentials from anon, authenticated;
grant all on table public.account_credentials to service_role;

alter table public.oauth_states enable row level security;
revoke all on table public.oauth_states from anon, authenticated;
grant all on table public.oauth_states to service_role;

alter table public.webhook_events enable row level security;
revoke all on table public.webhook_events from anon, authenticated;
grant all on table public.webhook_events to service_role;
