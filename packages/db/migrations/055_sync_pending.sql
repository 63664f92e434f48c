-- myCOI compliance records the push could not place yet (no Procore link, ...). The feed cursor
-- moves on only because the record is kept here: it is retried when its cause goes away (a link
-- made by upkeep or the side panel marks it due) and, as a safety net, on a slow periodic retry.
create table sync_pending (
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- the myCOI record: 'v:<vendor>' or 'a:<assignment>' (the ledger's owner_key)
  owner_key text not null,
  -- the myCOI vendor of the record, so a vendor link made in the side panel finds its assignments
  mycoi_vendor_id text not null,
  reason text not null check (reason in ('not_linked', 'vendor_not_in_project', 'row_rejected', 'project_forbidden')),
  detail text not null,
  attempts integer not null default 0,
  -- retried by the next push at or after this time
  due_at timestamptz not null,
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, owner_key)
);
create index sync_pending_due_idx on sync_pending (tenant_id, due_at);
create index sync_pending_vendor_idx on sync_pending (tenant_id, mycoi_vendor_id);
