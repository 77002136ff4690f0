-- What a Supabase project provides before any migration runs, recreated for the local stack
-- (PGlite or a plain PostgreSQL 15+ server). NOT a migration: the Supabase platform already has all of
-- this, so supabase/migrations/ must never contain it.
--
-- Idempotent: safe to run again on a database (or a cluster) that already has it. Roles are
-- cluster-wide, so a second database in the same cluster hits the duplicate_object branches.
--
-- The runner sets the authenticator's password itself (`alter role authenticator password '…'`).

-- ── Roles ────────────────────────────────────────────────────────────────────────────────────────
-- anon:          requests without a token (the anon key)
-- authenticated: requests with a user's session token (Clerk puts role=authenticated in it)
-- service_role:  the backend's key; bypasses RLS
-- authenticator: the role PostgREST logs in as; it only switches into the three above
do $$ begin create role anon nologin noinherit;
exception when duplicate_object then null; end $$;

do $$ begin create role authenticated nologin noinherit;
exception when duplicate_object then null; end $$;

do $$ begin create role service_role nologin noinherit bypassrls;
exception when duplicate_object then null; end $$;

do $$ begin create role authenticator login noinherit;
exception when duplicate_object then null; end $$;

-- PostgREST logs in as authenticator and SET ROLEs into one of these per request. Granted only when
-- missing, so a re-run stays quiet.
do $$
declare
  api_role text;
begin
  foreach api_role in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (
      select 1 from pg_auth_members m
        join pg_roles granted on granted.oid = m.roleid
        join pg_roles member on member.oid = m.member
       where granted.rolname = api_role and member.rolname = 'authenticator'
    ) then
      execute format('grant %I to authenticator', api_role);
    end if;
  end loop;
end $$;

-- ── Schemas ──────────────────────────────────────────────────────────────────────────────────────
create schema if not exists extensions;
create schema if not exists auth;

grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- ── auth helpers, as Supabase defines them ───────────────────────────────────────────────────────
-- PostgREST puts the verified JWT claims in `request.jwt.claims` for each transaction. The older
-- `request.jwt.claim.*` settings are still read first, like Supabase does. `nullif(…, '')` matters:
-- a custom setting reverts to '' (not NULL) after the transaction that set it.

create or replace function auth.jwt()
returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.role()
returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

-- Supabase's auth.uid() casts `sub` to uuid. Clerk user ids ("user_2abc…") are not uuids, so calling
-- this with a Clerk token raises 22P02: our policies use (select auth.jwt()->>'sub') instead.
create or replace function auth.uid()
returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.email()
returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

grant execute on function auth.jwt(), auth.role(), auth.uid(), auth.email()
  to anon, authenticated, service_role;

-- ── Default privileges ───────────────────────────────────────────────────────────────────────────
-- A Supabase project grants everything in `public` to the three API roles and relies on RLS. These
-- apply to objects created later by the role running this file (the same role runs the migrations),
-- so a migration must REVOKE explicitly wherever a table or function has to stay private.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
