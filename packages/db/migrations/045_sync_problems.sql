-- Current problems per tenant, in plain words with the fix (see @mycoi/contracts SyncProblem).
-- One row per (kind, scope): seen again bumps count and last_seen_at; the cause going away deletes it.
create table sync_problems (
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null,
  scope text not null,
  title text not null,
  detail text not null,
  fix text not null,
  count integer not null default 1,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (tenant_id, kind, scope)
);
