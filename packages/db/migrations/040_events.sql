-- Events (issue 8): inbound webhooks from Procore and myCOI, the Procore hook we registered per
-- tenant, and per-tenant event counters for the ops console.

-- Every accepted delivery, stored before we answer 2xx so a crash between receiving and handling
-- loses nothing. (source, event_id) is the dedupe key: deliveries are at-least-once.
create table webhook_events (
  id bigserial primary key,
  source text not null check (source in ('procore', 'mycoi')),
  -- Procore: the v2 payload `ulid` (else its numeric `id`); myCOI: the event id
  event_id text not null,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- when the change happened upstream (Procore `timestamp`, myCOI `created_at`); latency starts here
  occurred_at timestamptz,
  received_at timestamptz not null default now(),
  payload jsonb not null,
  -- myCOI only: sha256 of the signature header, so a byte-identical replay is told apart from a retry
  signature_digest text,
  status text not null default 'pending' check (status in ('pending', 'handled', 'ignored', 'failed')),
  -- coalescing: an event is not taken before this instant (received_at + window)
  handle_after timestamptz not null default now(),
  attempts integer not null default 0,
  lease_owner text,
  lease_expires_at timestamptz,
  handled_at timestamptz,
  -- what handling did, e.g. 'push', 'upkeep', 'own_change', 'not_approved'
  outcome text,
  -- event → Procore write, when handling wrote to Procore
  latency_ms integer,
  last_error text,
  unique (source, event_id)
);
create index webhook_events_due_idx on webhook_events (handle_after) where status = 'pending';
create index webhook_events_tenant_idx on webhook_events (tenant_id, received_at desc);

-- The Procore hook registered in the tenant's company. Only a sha256 of the per-tenant secret is
-- kept: it is 32 random bytes, so the hash is enough to verify deliveries and nothing at rest can
-- be replayed. The previous hash stays valid briefly while a rotation reaches Procore.
create table procore_hooks (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  procore_company_id text not null,
  hook_id text,
  secret_hash text,
  previous_secret_hash text,
  rotated_at timestamptz,
  -- the DMSA service account's Procore user id (/me): events it caused are our own writes
  service_user_id text,
  service_client_id text,
  trigger_count integer not null default 0,
  state text not null default 'pending' check (state in ('pending', 'registered', 'removing', 'removed', 'failed')),
  last_error text,
  registered_at timestamptz,
  removed_at timestamptz,
  updated_at timestamptz not null default now()
);

-- Counts per tenant (scope = tenant id, or '' when a request could not be tied to a tenant):
-- received, deduplicated, rejected, dropped_inactive, ignored_own, handled, failed.
create table event_counters (
  scope text not null,
  source text not null,
  kind text not null,
  count bigint not null default 0,
  last_at timestamptz not null default now(),
  primary key (scope, source, kind)
);
