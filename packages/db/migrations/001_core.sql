-- Core data model shared by every part of the service. Later migrations add their own tables.
-- Procore ids are kept as text: new regions issue ids beyond 32 bits, and we never do arithmetic on them.

create table tenants (
  id uuid primary key default gen_random_uuid(),
  procore_environment text not null default 'production'
    check (procore_environment in ('production', 'sandbox', 'monthly', 'local')),
  procore_company_id text not null,
  name text not null,
  status text not null default 'registered'
    check (status in ('registered', 'awaiting_activation', 'active', 'suspended', 'deactivated')),
  mycoi_account_id text,
  compliance_push boolean not null default true,
  side_panel boolean not null default true,
  compliance_level text not null default 'vendor' check (compliance_level in ('vendor', 'commitment', 'both')),
  -- expiry emails, approved commitment statuses, digest recipients, directory add policy, per-commitment status
  settings jsonb not null default '{}'::jsonb,
  legacy_integration_active boolean not null default true,
  legacy_retired_at timestamptz,
  -- seconds into the two-hour window at which this tenant's cycle runs: spreads load, stable per tenant
  phase_seconds integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  activation_requested_at timestamptz,
  activated_at timestamptz,
  suspended_at timestamptz,
  deactivated_at timestamptz,
  unique (procore_environment, procore_company_id)
);

create table credentials (
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('procore_dmsa', 'mycoi_service')),
  client_id text not null,
  -- AES-256-GCM envelope "keyId.iv.tag.ciphertext" with the tenant id as associated data
  secret_ciphertext text not null,
  key_id text not null,
  validated_at timestamptz,
  validation jsonb,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, kind)
);

create table links (
  id bigserial primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('project', 'vendor', 'commitment')),
  procore_id text not null,
  mycoi_id text not null,
  -- for commitments: the Procore project and vendor the commitment belongs to
  procore_project_id text,
  procore_vendor_id text,
  -- 'created' = we created the myCOI record; 'linked' = a user chose an existing one; 'matched' = upkeep matched it
  source text not null check (source in ('created', 'linked', 'matched')),
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, kind, procore_id),
  unique (tenant_id, kind, mycoi_id)
);

create table audit_log (
  id bigserial primary key,
  tenant_id uuid references tenants (id) on delete set null,
  actor_kind text not null check (actor_kind in ('procore_user', 'ops', 'system', 'mycoi_user')),
  actor text not null,
  action text not null,
  details jsonb not null default '{}'::jsonb,
  ip text,
  created_at timestamptz not null default now()
);
create index audit_log_tenant_idx on audit_log (tenant_id, created_at desc);
