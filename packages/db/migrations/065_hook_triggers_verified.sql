-- Webhook triggers are read back after registration (issue 11.5): a hook is 'registered' only when
-- every trigger we need exists at Procore; otherwise it is 'incomplete', the missing triggers are
-- listed here (and as a 'hooks_missing' sync problem) and registration is retried.
alter table procore_hooks drop constraint procore_hooks_state_check;
alter table procore_hooks add constraint procore_hooks_state_check
  check (state in ('pending', 'registered', 'incomplete', 'removing', 'removed', 'failed'));
-- "<resource name>|<event type>" of each trigger we need and did not find when reading back
alter table procore_hooks add column missing_triggers text[] not null default '{}';
-- last time the triggers were read back (registered hooks are re-checked each sync cycle)
alter table procore_hooks add column verified_at timestamptz;
