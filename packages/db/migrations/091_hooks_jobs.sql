-- Hook registration, verification and removal at Procore are jobs of the one queue (issue 15):
-- kind 'hooks', target {"action": "ensure" | "remove"}. At most one QUEUED hooks job per tenant;
-- a newer request replaces its action (activation then deactivation = remove). Like every run it
-- never overlaps another run of its tenant (runs_one_running_idx).
alter table runs drop constraint runs_kind_check;
alter table runs add constraint runs_kind_check check (kind in ('push', 'upkeep', 'targeted', 'hooks'));
create unique index runs_one_queued_hooks_idx on runs (tenant_id) where kind = 'hooks' and status = 'queued';
