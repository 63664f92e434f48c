-- Issue 16.3: disabling or deleting an ops user ends their console sessions for good, whichever
-- way it is done (the CLI, the console, or SQL by hand). Sessions are also checked against the
-- user on every request (apps/api/src/auth/sessions.ts); this trigger makes the end permanent,
-- so re-enabling the account later does not bring the old cookies back to life.
create function end_ops_sessions() returns trigger language plpgsql as $$
begin
  delete from sessions where kind = 'ops' and data->>'opsUserId' = old.id::text;
  return null;
end;
$$;

create trigger ops_users_disabled_end_sessions
  after update of disabled_at on ops_users
  for each row when (new.disabled_at is not null and old.disabled_at is null)
  execute function end_ops_sessions();

create trigger ops_users_deleted_end_sessions
  after delete on ops_users
  for each row execute function end_ops_sessions();
