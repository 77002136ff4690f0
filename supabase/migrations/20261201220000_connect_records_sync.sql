-- A connect reads Amazon before it saves anything: the SP-API seller's marketplace participations, or the Ads
-- login's profiles. That is what a sync does (record_account_sync), so the accounts it saves carry that read as
-- their last sync, and the dashboard does not say "Last sync: Never" right after a successful connect.
-- Only the accounts the consent returned were read: accounts of a reconnected grant that Amazon no longer listed
-- keep their last_sync_at. Same signature, so the grants (service role only) stay as they are.
create or replace function public.save_connected_accounts(
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
      (user_id, provider, region, external_id, marketplaces, display_name, is_default, grant_id, last_sync_at)
    values
      (p_user_id, p_provider, p_region, v_account ->> 'external_id',
       array(select jsonb_array_elements_text(coalesce(v_account -> 'marketplaces', '[]'))),
       v_account ->> 'display_name',
       not exists (select 1 from public.user_accounts d where d.user_id = p_user_id and d.is_default),
       v_grant_id,
       now())
    on conflict (user_id, provider, region, external_id) do update
      set marketplaces  = excluded.marketplaces,
          display_name  = coalesce(a.display_name, excluded.display_name),
          status        = 'active',
          authorized_at = now(),
          last_sync_at  = now(),
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
  'reconnected event each, in one transaction: all or none. The connect read them from Amazon, so each '
  'saved account''s last_sync_at is now. A reconnect renews the accounts'' grant: new '
  'tokens, reauth_required cleared on every account that shares it, any refresher''s lease revoked. Takes the '
  'per-user default lock (as set_default_account does), so concurrent first connects leave one default. '
  'Returns the account rows in the same order (never tokens). Service role only.';
