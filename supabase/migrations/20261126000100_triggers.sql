-- Triggers: updated_at on every table that has it, and the token-refresh schedule on account_credentials.

-- ── updated_at ───────────────────────────────────────────────────────────────────────────────────
create function public.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

comment on function public.set_updated_at() is
  'BEFORE UPDATE trigger: stamps updated_at with the transaction time, whatever the statement set.';

create trigger users_set_updated_at
  before update on public.users
  for each row execute function public.set_updated_at();

create trigger user_accounts_set_updated_at
  before update on public.user_accounts
  for each row execute function public.set_updated_at();

create trigger account_credentials_set_updated_at
  before update on public.account_credentials
  for each row execute function public.set_updated_at();

-- ── refresh schedule ─────────────────────────────────────────────────────────────────────────────
-- The rule, for every INSERT and for every UPDATE that changes access_token_expires_at:
--   next_refresh_at = access_token_expires_at - 5 minutes   (refresh a little before expiry)
--   next_refresh_at = now()                                  when there is no expiry (no access token
--                                                            yet, or it was cleared): refresh at once
-- An UPDATE that leaves access_token_expires_at alone keeps whatever next_refresh_at it sets: that is
-- how the refresh job schedules a retry with backoff after a failure (refresh_attempts + 1,
-- next_refresh_at = now() + backoff) without the trigger undoing it.
-- When a new access token arrives (INSERT with one, or UPDATE changing it to a non-NULL value),
-- refresh_attempts goes back to 0: the failure streak is over. last_refresh_error is kept for diagnosis.
create function public.account_credentials_schedule_refresh()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT'
     or new.access_token_expires_at is distinct from old.access_token_expires_at then
    new.next_refresh_at := coalesce(new.access_token_expires_at - interval '5 minutes', now());
  end if;

  if new.access_token is not null
     and (tg_op = 'INSERT' or new.access_token is distinct from old.access_token) then
    new.refresh_attempts := 0;
  end if;

  return new;
end;
$$;

comment on function public.account_credentials_schedule_refresh() is
  'BEFORE INSERT/UPDATE trigger on account_credentials: keeps next_refresh_at 5 minutes ahead of '
  'access_token_expires_at (now() when NULL) and resets refresh_attempts when a new access token arrives.';

create trigger account_credentials_schedule_refresh
  before insert or update on public.account_credentials
  for each row execute function public.account_credentials_schedule_refresh();

-- Trigger functions are not an API: no role needs EXECUTE on them (it is checked when a trigger is
-- created, not when it fires), so take back what the default privileges handed out.
revoke execute on function public.set_updated_at() from public, anon, authenticated, service_role;
revoke execute on function public.account_credentials_schedule_refresh() from public, anon, authenticated, service_role;
