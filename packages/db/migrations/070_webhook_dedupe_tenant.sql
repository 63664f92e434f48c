-- Webhook de-duplication is per tenant: two tenants' upstreams may use the same event id (ids are
-- only unique within one myCOI account or one Procore company), and one tenant's id must never make
-- another tenant's event a "duplicate" that is never stored.
alter table webhook_events drop constraint webhook_events_source_event_id_key;
alter table webhook_events add constraint webhook_events_tenant_source_event_key unique (tenant_id, source, event_id);

-- Replay protection remembers every signed myCOI delivery whose signature verified, including the
-- ones that were dropped (tenant suspended, unknown account) and never stored as events: a capture
-- replayed later, within the signature tolerance, must be refused, not accepted after a resume.
-- Only a sha256 of the signature header is kept; rows older than a day are pruned (the tolerance is
-- minutes).
create table webhook_signatures (
  digest text primary key,
  source text not null check (source in ('procore', 'mycoi')),
  received_at timestamptz not null default now()
);
create index webhook_signatures_received_idx on webhook_signatures (received_at);
