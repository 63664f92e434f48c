-- Authenticated webhook deliveries we could not parse (issue 11.7). Procore pauses an endpoint's
-- whole delivery queue on any non-2xx, so such a delivery is answered 2xx and kept here for ops
-- (raw, bounded) instead of being refused. One row per distinct body: redeliveries count up.
create table webhook_unparsed (
  id bigserial primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  source text not null check (source in ('procore', 'mycoi')),
  -- sha256 of the body bytes
  digest text not null,
  size_bytes integer not null,
  -- the first 16 KiB as UTF-8 (invalid bytes replaced, NUL removed); `truncated` when cut
  body text not null,
  truncated boolean not null,
  content_type text,
  -- why it was not understood, e.g. "not JSON" or the first schema issues
  reason text not null,
  deliveries integer not null default 1,
  first_received_at timestamptz not null default now(),
  last_received_at timestamptz not null default now(),
  unique (tenant_id, source, digest)
);
create index webhook_unparsed_tenant_idx on webhook_unparsed (tenant_id, last_received_at desc);
