-- Whether the tenant's Procore service account can read the Commitments tool, as last found by
-- DMSA validation: false turns commitment-level features off with that reason (the gate,
-- @mycoi/contracts features.ts); null = not checked yet (treated as present).
alter table tenants add column commitments_tool boolean;
