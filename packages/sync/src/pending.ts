import type { Queryable } from './db';
import { clearProblem, recordProblem } from './problems';

/**
 * Feed records the push could not place (no Procore link yet). The feed cursor may move past a
 * record only because it is kept here; it stays until a later ingest places it. Rows that were
 * placed but that Procore refused (vendor not in the project directory, item rejected, project
 * forbidden) need no entry: they stay dirty in the ledger and every push retries them.
 */
export interface PendingRecord {
  ownerKey: string;
  mycoiVendorId: string;
  detail: string;
}

/** Safety net: a pending record is retried at least this often even if nothing marked it due. */
export const PENDING_RETRY_MS = 6 * 3600_000;

function problemFor(p: PendingRecord) {
  const assignment = p.ownerKey.startsWith('a:');
  const id = p.ownerKey.slice(2);
  return {
    kind: 'not_linked' as const,
    scope: `${assignment ? 'assignment' : 'vendor'}:${id}`,
    title: assignment
      ? `myCOI assignment ${id} is not linked to a Procore commitment`
      : `myCOI vendor ${id} is not linked to a Procore vendor`,
    detail: `${p.detail}. Its compliance is kept and written to Procore as soon as the link exists.`,
    fix: assignment
      ? 'Open the commitment in Procore and link it to this myCOI assignment in the myCOI side panel (or give the assignment the Procore commitment id as its external id in myCOI).'
      : "Open the vendor in Procore's Company Directory and link it to this myCOI vendor in the myCOI side panel (or give the vendor the Procore vendor id as its external id in myCOI).",
  };
}

/** Keep records that could not be placed (in the caller's transaction, with the feed cursor). */
export async function keepPending(db: Queryable, tenantId: string, items: PendingRecord[], retryMs = PENDING_RETRY_MS): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `insert into sync_pending (tenant_id, owner_key, mycoi_vendor_id, reason, detail, due_at)
     select $1, x.owner_key, x.vendor, 'not_linked', x.detail, now() + ($3::bigint * interval '1 millisecond')
     from jsonb_to_recordset($2::jsonb) as x(owner_key text, vendor text, detail text)
     on conflict (tenant_id, owner_key) do update set detail = excluded.detail, mycoi_vendor_id = excluded.mycoi_vendor_id,
       attempts = sync_pending.attempts + 1, due_at = excluded.due_at, updated_at = now()`,
    [tenantId, JSON.stringify(items.map((i) => ({ owner_key: i.ownerKey, vendor: i.mycoiVendorId, detail: i.detail }))), retryMs],
  );
  for (const p of items) await recordProblem(db, tenantId, problemFor(p));
}

/** These records were placed (or are no longer wanted): forget them and their problem. */
export async function resolvePending(db: Queryable, tenantId: string, ownerKeys: string[]): Promise<void> {
  if (ownerKeys.length === 0) return;
  const { rows } = await db.query<{ owner_key: string }>(
    'delete from sync_pending where tenant_id = $1 and owner_key = any($2::text[]) returning owner_key',
    [tenantId, ownerKeys],
  );
  for (const r of rows) {
    await clearProblem(db, tenantId, 'not_linked', `${r.owner_key.startsWith('a:') ? 'assignment' : 'vendor'}:${r.owner_key.slice(2)}`);
  }
}

/**
 * The cause may have gone away: retry at the next push. With no filter every pending record of the
 * tenant is due (upkeep learned commitments); else those of the given myCOI records or vendors.
 */
export async function markPendingDue(
  db: Queryable,
  tenantId: string,
  filter?: { ownerKeys?: string[]; mycoiVendorIds?: string[] },
): Promise<number> {
  const res = await db.query(
    `update sync_pending set due_at = now(), updated_at = now()
     where tenant_id = $1 and due_at > now()
       and ($2::boolean or owner_key = any($3::text[]) or mycoi_vendor_id = any($4::text[]))`,
    [tenantId, filter === undefined, filter?.ownerKeys ?? [], filter?.mycoiVendorIds ?? []],
  );
  return res.rowCount ?? 0;
}

/** Owner keys due for a retry, oldest first. */
export async function duePending(db: Queryable, tenantId: string, limit = 500): Promise<string[]> {
  const { rows } = await db.query<{ owner_key: string }>(
    'select owner_key from sync_pending where tenant_id = $1 and due_at <= now() order by due_at, owner_key limit $2',
    [tenantId, limit],
  );
  return rows.map((r) => r.owner_key);
}

export async function countPending(db: Queryable, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from sync_pending where tenant_id = $1', [tenantId]);
  return rows[0]!.n;
}
