-- Local seed, applied after the migrations by `supabase db reset` (and by the dev stack).
--
-- Deliberately almost empty. Users are created the way production creates them: signing up through
-- Clerk (locally, the Clerk stand-in in dev/) sends a Svix-signed user.created webhook, and the Worker
-- calls sync_clerk_user(). Amazon accounts and their credentials come from the OAuth connect flow
-- against the Amazon stand-in, so they hold tokens encrypted with the local FERNET_KEYS: seeding them
-- here would mean committing ciphertext for a key that may not be the one in use.
--
-- One demo user, so the tables can be explored with psql before anything has signed up. Its id does
-- not match any Clerk stand-in user, so it owns nothing and no session token can reach it. Idempotent:
-- an older clerk_updated_at never overwrites a newer row.
select public.sync_clerk_user(
  'user_seed_demo',
  'demo@sellersync.local',
  'Demo',
  'Seller',
  null,
  0
);
