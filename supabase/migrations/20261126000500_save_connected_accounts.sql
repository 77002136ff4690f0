-- One consent, one transaction. An Amazon Ads consent opens several profiles, each a connected account
-- sharing the grant's tokens; saving them one call at a time could leave some saved when a later one
-- failed. save_connected_accounts saves them all, or none.

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
  v_account jsonb;
begin
  if jsonb_typeof(p_accounts) is distinct from 'array' or jsonb_array_length(p_accounts) = 0 then
    raise exception 'p_accounts must be a non-empty array' using errcode = '22023';
  end if;
  -- In order: the first account becomes the default when the user has none.
  for v_account in select value from jsonb_array_elements(p_accounts) with ordinality order by ordinality loop
    return next public.save_connected_account(
      p_user_id, p_provider, p_region,
      v_account ->> 'external_id',
      array(select jsonb_array_elements_text(coalesce(v_account -> 'marketplaces', '[]'))),
      v_account ->> 'display_name',
      p_refresh_token, p_access_token, p_access_token_expires_at, p_fernet_key_id);
  end loop;
end;
$$;

comment on function public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text) is
  'OAuth callback: save_connected_account for every account one consent opens (p_accounts: '
  '[{external_id, marketplaces, display_name}], in order), all sharing the grant''s tokens, in one '
  'transaction: all are saved or none. Returns the account rows in the same order. Service role only.';

revoke execute on function public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text)
  from public, anon, authenticated;
grant execute on function public.save_connected_accounts(text, text, text, jsonb, text, text, timestamptz, text)
  to service_role;
