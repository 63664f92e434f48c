-- Resumable progress: feed cursors, upkeep watermarks and in-run page positions, per tenant.
create table checkpoints (
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);

-- What upkeep knows about the tenant's Procore commitments (kept current incrementally through
-- filters[updated_at]); the digest is computed from it without re-listing every commitment.
create table upkeep_commitments (
  tenant_id uuid not null references tenants (id) on delete cascade,
  procore_commitment_id text not null,
  commitment_type text not null,
  procore_project_id text not null,
  procore_vendor_id text,
  vendor_name text,
  status text not null,
  title text,
  number text,
  updated_at timestamptz,
  seen_at timestamptz not null default now(),
  primary key (tenant_id, procore_commitment_id)
);

-- Digest emails: one row per set of unmatched items; a new email only when the set's hash changes.
create table digests (
  id bigserial primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  items_hash text not null,
  project_count integer not null,
  commitment_count integer not null,
  items jsonb not null,
  recipients jsonb not null default '[]'::jsonb,
  sent_at timestamptz,
  message_id text,
  created_at timestamptz not null default now()
);
create index digests_tenant_idx on digests (tenant_id, id desc);
