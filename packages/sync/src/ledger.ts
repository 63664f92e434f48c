import type { Queryable } from './db';
import type { InsuranceWrite } from './ports';

export type Target = 'company' | 'project' | 'commitment_status';

export interface DesiredRow {
  origin_id: string;
  target: Target;
  procore_project_id: string; // '' for company scope
  procore_vendor_id: string;
  procore_commitment_id: string | null;
  commitment_type: string | null;
  owner_key: string;
  desired: InsuranceWrite | CommitmentStatusWrite;
  desired_hash: string;
}

export interface CommitmentStatusWrite {
  status: 'compliant' | 'not_compliant';
  notes: string;
}

export interface LedgerRow {
  origin_id: string;
  target: Target;
  procore_project_id: string;
  procore_vendor_id: string;
  procore_commitment_id: string | null;
  commitment_type: string | null;
  owner_key: string;
  desired: InsuranceWrite | CommitmentStatusWrite | null;
  desired_hash: string | null;
  pushed_hash: string | null;
  procore_id: string | null;
  attempts: number;
  last_error: string | null;
}

const COLS = `origin_id, target, procore_project_id, procore_vendor_id, procore_commitment_id, commitment_type,
  owner_key, desired, desired_hash, pushed_hash, procore_id, attempts, last_error`;

export async function ledgerByOwners(db: Queryable, tenantId: string, ownerKeys: string[]): Promise<LedgerRow[]> {
  if (ownerKeys.length === 0) return [];
  const res = await db.query<LedgerRow>(`select ${COLS} from pushed_insurances where tenant_id = $1 and owner_key = any($2::text[])`, [
    tenantId,
    ownerKeys,
  ]);
  return res.rows;
}

/** Insert or refresh desired content; a content change clears the last error (new content, new chance). */
export async function upsertDesired(db: Queryable, tenantId: string, rows: DesiredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into pushed_insurances (tenant_id, origin_id, target, procore_project_id, procore_vendor_id,
        procore_commitment_id, commitment_type, owner_key, desired, desired_hash)
     select $1, x.origin_id, x.target, x.procore_project_id, x.procore_vendor_id, x.procore_commitment_id,
        x.commitment_type, x.owner_key, x.desired, x.desired_hash
     from jsonb_to_recordset($2::jsonb) as x(origin_id text, target text, procore_project_id text,
        procore_vendor_id text, procore_commitment_id text, commitment_type text, owner_key text,
        desired jsonb, desired_hash text)
     on conflict (tenant_id, origin_id) do update set
        target = excluded.target, procore_project_id = excluded.procore_project_id,
        procore_vendor_id = excluded.procore_vendor_id, procore_commitment_id = excluded.procore_commitment_id,
        commitment_type = excluded.commitment_type, owner_key = excluded.owner_key,
        desired = excluded.desired, desired_hash = excluded.desired_hash,
        attempts = case when pushed_insurances.desired_hash is distinct from excluded.desired_hash then 0 else pushed_insurances.attempts end,
        last_error = case when pushed_insurances.desired_hash is distinct from excluded.desired_hash then null else pushed_insurances.last_error end,
        updated_at = now()
     where pushed_insurances.desired_hash is distinct from excluded.desired_hash
        or pushed_insurances.owner_key is distinct from excluded.owner_key`,
    [tenantId, JSON.stringify(rows)],
  );
}

/** Rows whose coverage disappeared: keep them (we may still own a Procore row) but want them gone. */
export async function markUnwanted(db: Queryable, tenantId: string, originIds: string[]): Promise<void> {
  if (originIds.length === 0) return;
  await db.query(
    `update pushed_insurances set desired = null, desired_hash = null, attempts = 0, last_error = null, updated_at = now()
     where tenant_id = $1 and origin_id = any($2::text[]) and desired_hash is not null`,
    [tenantId, originIds],
  );
}

export interface DirtyScope {
  target: Target;
  procore_project_id: string;
  n: number;
}

export async function dirtyScopes(db: Queryable, tenantId: string, ownerKeys?: string[]): Promise<DirtyScope[]> {
  const res = await db.query<DirtyScope>(
    `select target, procore_project_id, count(*)::int as n from pushed_insurances
     where tenant_id = $1 and desired_hash is distinct from pushed_hash
       and ($2::text[] is null or owner_key = any($2::text[]))
     group by target, procore_project_id order by target, procore_project_id`,
    [tenantId, ownerKeys ?? null],
  );
  return res.rows;
}

/** One page of dirty rows of one scope, keyset-paginated by origin_id. */
export async function dirtyRows(
  db: Queryable,
  tenantId: string,
  scope: { target: Target; projectId: string },
  after: string,
  limit: number,
  ownerKeys?: string[],
): Promise<LedgerRow[]> {
  const res = await db.query<LedgerRow>(
    `select ${COLS} from pushed_insurances
     where tenant_id = $1 and target = $2 and procore_project_id = $3 and origin_id > $4
       and desired_hash is distinct from pushed_hash
       and ($6::text[] is null or owner_key = any($6::text[]))
     order by origin_id limit $5`,
    [tenantId, scope.target, scope.projectId, after, limit, ownerKeys ?? null],
  );
  return res.rows;
}

export async function ledgerForScope(db: Queryable, tenantId: string, target: Target, projectId: string): Promise<LedgerRow[]> {
  const res = await db.query<LedgerRow>(
    `select ${COLS} from pushed_insurances where tenant_id = $1 and target = $2 and procore_project_id = $3`,
    [tenantId, target, projectId],
  );
  return res.rows;
}

export async function pushedProjects(db: Queryable, tenantId: string): Promise<string[]> {
  const res = await db.query<{ p: string }>(
    `select distinct procore_project_id as p from pushed_insurances where tenant_id = $1 and target = 'project' order by 1`,
    [tenantId],
  );
  return res.rows.map((r) => r.p);
}

/** Procore acknowledged these: only rows whose desired content is still what we sent are marked clean. */
export async function ackPushed(
  db: Queryable,
  tenantId: string,
  acks: { origin_id: string; hash: string; procore_id: string | null }[],
): Promise<void> {
  if (acks.length === 0) return;
  await db.query(
    `update pushed_insurances p set pushed_hash = x.hash, procore_id = coalesce(x.procore_id, p.procore_id),
        attempts = 0, last_error = null, pushed_at = now(), updated_at = now()
     from jsonb_to_recordset($2::jsonb) as x(origin_id text, hash text, procore_id text)
     where p.tenant_id = $1 and p.origin_id = x.origin_id and p.desired_hash = x.hash`,
    [tenantId, JSON.stringify(acks)],
  );
}

export async function recordFailures(db: Queryable, tenantId: string, failures: { origin_id: string; error: string }[]): Promise<void> {
  if (failures.length === 0) return;
  await db.query(
    `update pushed_insurances p set attempts = p.attempts + 1, last_error = left(x.error, 500), updated_at = now()
     from jsonb_to_recordset($2::jsonb) as x(origin_id text, error text)
     where p.tenant_id = $1 and p.origin_id = x.origin_id`,
    [tenantId, JSON.stringify(failures)],
  );
}

export async function setProcoreIds(
  db: Queryable,
  tenantId: string,
  items: { origin_id: string; procore_id: string | null; dirty: boolean }[],
): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `update pushed_insurances p set procore_id = x.procore_id,
        pushed_hash = case when x.dirty then null else p.pushed_hash end, updated_at = now()
     from jsonb_to_recordset($2::jsonb) as x(origin_id text, procore_id text, dirty boolean)
     where p.tenant_id = $1 and p.origin_id = x.origin_id`,
    [tenantId, JSON.stringify(items)],
  );
}

export async function removeRows(db: Queryable, tenantId: string, originIds: string[]): Promise<void> {
  if (originIds.length === 0) return;
  await db.query(`delete from pushed_insurances where tenant_id = $1 and origin_id = any($2::text[]) and desired is null`, [
    tenantId,
    originIds,
  ]);
}

/** Rows whose policy lapsed since they were built: flip them to `expired` (rehashed by the caller). */
export async function rowsPastExpiry(db: Queryable, tenantId: string, today: string): Promise<LedgerRow[]> {
  const res = await db.query<LedgerRow>(
    `select ${COLS} from pushed_insurances
     where tenant_id = $1 and target <> 'commitment_status' and desired is not null
       and desired->>'expiration_date' < $2 and desired->>'status' <> 'expired'`,
    [tenantId, today],
  );
  return res.rows;
}
