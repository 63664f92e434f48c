-- The push ledger: one row per insurance row we own in Procore (and per commitment status we set).
-- `desired` is what myCOI says the row should be; `pushed_hash` what Procore last acknowledged.
-- A row is dirty while the two hashes differ; `desired` null means "delete the row we own".
create table pushed_insurances (
  tenant_id uuid not null references tenants (id) on delete cascade,
  origin_id text not null,
  target text not null check (target in ('company', 'project', 'commitment_status')),
  -- '' for the company scope, so (tenant, target, project) groups scopes without null handling
  procore_project_id text not null default '',
  procore_vendor_id text not null,
  procore_commitment_id text,
  commitment_type text,
  -- the myCOI record that wants this row: 'v:<vendor>' or 'a:<assignment>'
  owner_key text not null,
  desired jsonb,
  desired_hash text,
  pushed_hash text,
  procore_id text,
  attempts integer not null default 0,
  last_error text,
  updated_at timestamptz not null default now(),
  pushed_at timestamptz,
  primary key (tenant_id, origin_id)
);
create index pushed_insurances_owner_idx on pushed_insurances (tenant_id, owner_key);
create index pushed_insurances_dirty_idx on pushed_insurances (tenant_id, target, procore_project_id, origin_id)
  where desired_hash is distinct from pushed_hash;
