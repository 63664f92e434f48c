-- Sync runs: queued by the scheduler (one instance per slot), claimed with FOR UPDATE SKIP LOCKED,
-- kept alive by a lease + heartbeat; a run whose lease lapsed (crashed process) is claimed again.
create table runs (
  id bigserial primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('push', 'upkeep', 'targeted')),
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'stopped')),
  trigger text not null default 'schedule' check (trigger in ('schedule', 'manual', 'event', 'resume')),
  slot text,
  target jsonb,
  run_after timestamptz not null default now(),
  attempts integer not null default 0,
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms integer,
  -- read / unchanged / created / updated / deleted / failed (+ kind-specific extras)
  counts jsonb not null default '{}'::jsonb,
  calls integer not null default 0,
  write_calls integer not null default 0,
  errors jsonb not null default '[]'::jsonb,
  stop_reason text,
  created_at timestamptz not null default now()
);
-- at most one active scheduled run per tenant and kind; targeted runs are short and may overlap
create unique index runs_one_active_idx on runs (tenant_id, kind)
  where status in ('queued', 'running') and kind in ('push', 'upkeep');
create index runs_claim_idx on runs (run_after) where status in ('queued', 'running');
create index runs_tenant_idx on runs (tenant_id, created_at desc);

-- One row per cron slot (e.g. 'sync:2026-11-25T20:00:00.000Z'): the instance that inserts it enqueues.
create table cron_slots (
  slot_key text primary key,
  owner text not null,
  claimed_at timestamptz not null default now()
);

-- Per-tenant failure backoff and reconcile bookkeeping, kept apart from the tenants table (owned by
-- the tenants feature) so the scheduler never contends with console edits.
create table sync_tenant_state (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  consecutive_failures integer not null default 0,
  backoff_until timestamptz,
  last_success_at timestamptz,
  last_reconcile_at timestamptz,
  updated_at timestamptz not null default now()
);
