-- The kind of a linked Procore commitment (work order or purchase order): the per-commitment
-- insurance status is written to that kind's endpoint. Upkeep records it in upkeep_commitments;
-- a link made before upkeep saw the commitment (the side panel, upkeep off) has it here once the
-- push asked Procore for it (GET /rest/v1.0/commitments/:id), so it is asked once. Null = not known yet.
alter table links add column commitment_type text check (commitment_type in ('work_order', 'purchase_order'));
