-- Two columns nothing reads or writes (found in review):
--   users.deleted_at          reserved for a soft-delete grace period that was never built: the Clerk webhook
--                             deletes the row (delete_clerk_user) and deleted_users keeps the tombstone.
--   oauth_states.redirect_to  never written: the callback always lands on APP_URL/accounts, so there is no
--                             caller-chosen destination to validate (the comment said it was validated).
-- No policy, grant, index or function names either column; consume_oauth_state returns the table's rows
-- (`returning *`), which simply no longer carry redirect_to.
alter table public.users drop column deleted_at;
alter table public.oauth_states drop column redirect_to;
