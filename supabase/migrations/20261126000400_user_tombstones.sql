-- Deleted Clerk users stay deleted (DESIGN §4, Clerk → Supabase sync).
-- Svix does not deliver in order: a user.updated sent before a user.deleted can arrive after it, and with
-- the row gone sync_clerk_user would insert the user again. Clerk never reuses a user id, so one
-- tombstone per deleted id makes every later event for it stale. The user row itself is still deleted
-- (cascading to accounts, credentials, states and events), so a session token that outlives the
-- deletion by a few seconds can create nothing: every user-owned row references users(id).

-- ── deleted_users ────────────────────────────────────────────────────────────────────────────────
create table public.deleted_users (
  id         text primary key check (char_length(id) between 1 and 255),
  deleted_at timestamptz not null default now()
);

comment on table public.deleted_users is
  'Tombstones of Clerk users deleted by the user.deleted webhook: sync_clerk_user never brings them back. '
  'Holds only the Clerk id and when. Service role only.';

alter table public.deleted_users enable row level security;
revoke all on table public.deleted_users from anon, authenticated;
grant all on table public.deleted_users to service_role;

-- ── Clerk webhook: delete a user for good ────────────────────────────────────────────────────────
-- Both functions take the same per-user transaction lock first, so a delete and an update delivered at the
-- same moment are applied one after the other, and the later statements see what the first committed.
create function public.delete_clerk_user(p_id text)
returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtextextended('sellersync.clerk_user:' || p_id, 0));
  insert into public.deleted_users (id) values (p_id) on conflict (id) do nothing;
  delete from public.users where id = p_id;
$$;

comment on function public.delete_clerk_user(text) is
  'Clerk user.deleted: records a tombstone and deletes the user (cascading to everything they own), in one '
  'transaction. Idempotent. Service role only.';

revoke execute on function public.delete_clerk_user(text) from public, anon, authenticated;
grant execute on function public.delete_clerk_user(text) to service_role;

-- ── Clerk webhook: upsert a user, newest event wins, deleted users stay deleted ──────────────────
-- CREATE OR REPLACE keeps the grants made in 20261126000300_api_functions.sql.
create or replace function public.sync_clerk_user(
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
  select pg_advisory_xact_lock(hashtextextended('sellersync.clerk_user:' || p_id, 0));
  with applied as (
    insert into public.users as u (id, email, first_name, last_name, image_url, clerk_updated_at)
    select p_id, p_email, p_first_name, p_last_name, p_image_url, p_clerk_updated_at
     where not exists (select 1 from public.deleted_users d where d.id = p_id)
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
  'is newer than p_clerk_updated_at (ms). A deleted user (deleted_users) is never written again. '
  'Returns true if the row was written, false if the event was stale. Service role only.';
