import { withTransaction } from '@mycoi/db';
import type { Queryable } from './db';
import type { RunContext } from './context';
import { setCheckpoint } from './checkpoints';
import { contentHash } from './hash';
import { ledgerByOwners, markUnwanted, upsertDesired, type DesiredRow } from './ledger';
import type { MycoiComplianceRecord } from './ports';
import { buildRows, commitmentStatusKey, projectOriginId, rowHash, vendorOriginId } from './rows';
import { commitmentStatus, todayUtc } from './status';
import { keepPending, resolvePending, type PendingRecord } from './pending';
import { featuresOf } from './tenants';

export const FEED_CHECKPOINT = 'push.feed_cursor';

export function ownerKey(r: MycoiComplianceRecord): string {
  return r.level === 'vendor' ? `v:${r.vendorId}` : `a:${r.assignmentId ?? ''}`;
}

interface VendorLink {
  mycoi_id: string;
  procore_id: string;
}
interface CommitmentLink {
  mycoi_id: string;
  procore_id: string;
  procore_project_id: string | null;
  procore_vendor_id: string | null;
  /** work_order / purchase_order when upkeep or the push learned it, else null */
  commitment_type: string | null;
}

async function loadLinks(db: Queryable, tenantId: string, records: MycoiComplianceRecord[]) {
  const vendorIds = [...new Set(records.map((r) => r.vendorId))];
  const assignmentIds = [...new Set(records.flatMap((r) => (r.assignmentId ? [r.assignmentId] : [])))];
  const vendors = await db.query<VendorLink>(
    `select mycoi_id, procore_id from links where tenant_id = $1 and kind = 'vendor' and mycoi_id = any($2::text[])`,
    [tenantId, vendorIds],
  );
  const commitments = await db.query<CommitmentLink>(
    // the kind: upkeep's listing, else what the push learned from Procore and kept on the link
    `select l.mycoi_id, l.procore_id, l.procore_project_id, l.procore_vendor_id, coalesce(u.commitment_type, l.commitment_type) as commitment_type
     from links l left join upkeep_commitments u on u.tenant_id = l.tenant_id and u.procore_commitment_id = l.procore_id
     where l.tenant_id = $1 and l.kind = 'commitment' and l.mycoi_id = any($2::text[])`,
    [tenantId, assignmentIds],
  );
  return {
    vendor: new Map(vendors.rows.map((r) => [r.mycoi_id, r.procore_id])),
    commitment: new Map(commitments.rows.map((r) => [r.mycoi_id, r])),
  };
}

/** A myCOI vendor's Procore id: the recorded link, else the myCOI vendor's external_id. */
function procoreVendorId(r: MycoiComplianceRecord, links: Map<string, string>): string | null {
  const linked = links.get(r.vendorId);
  if (linked) return linked;
  return r.vendorExternalId && /^\d+$/.test(r.vendorExternalId) ? r.vendorExternalId : null;
}

/**
 * Records whose vendor or assignment has no link yet: ask myCOI for the Procore id it holds
 * (vendor external_id; assignment external_id = commitment id, whose project and vendor upkeep
 * already knows) and record the link, so the next cycle needs no lookup at all.
 */
async function resolveMissingLinks(ctx: RunContext, records: MycoiComplianceRecord[]): Promise<void> {
  const t = ctx.tenant;
  const links = await loadLinks(ctx.pool, t.id, records);
  const vendorIds = new Set<string>();
  for (const r of records)
    if (r.level === 'vendor' || !links.commitment.get(r.assignmentId ?? '')?.procore_vendor_id) vendorIds.add(r.vendorId);
  for (const id of vendorIds) {
    if (links.vendor.has(id)) continue;
    const fromRecord = records.find((r) => r.vendorId === id && r.vendorExternalId)?.vendorExternalId ?? null;
    const external = fromRecord ?? (await ctx.clients.mycoi.getVendor(id))?.externalId ?? null;
    if (!external || !/^\d+$/.test(external)) continue;
    await ctx.pool.query(
      `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by) values ($1, 'vendor', $2, $3, 'matched', 'sync')
       on conflict do nothing`,
      [t.id, external, id],
    );
  }
  for (const r of records) {
    if (r.level !== 'assignment' || !r.assignmentId || links.commitment.has(r.assignmentId)) continue;
    const a = await ctx.clients.mycoi.getAssignment(r.assignmentId);
    if (!a?.externalId) continue;
    const known = await ctx.pool.query<{ p: string; v: string | null }>(
      'select procore_project_id as p, procore_vendor_id as v from upkeep_commitments where tenant_id = $1 and procore_commitment_id = $2',
      [t.id, a.externalId],
    );
    const c = known.rows[0];
    if (!c) continue;
    await ctx.pool.query(
      `insert into links (tenant_id, kind, procore_id, mycoi_id, procore_project_id, procore_vendor_id, source, created_by)
       values ($1, 'commitment', $2, $3, $4, $5, 'matched', 'sync') on conflict do nothing`,
      [t.id, a.externalId, r.assignmentId, c.p, c.v],
    );
  }
}

/**
 * Turn feed records into desired ledger rows, in one transaction with the feed cursor, so a crash
 * either applies a whole page and its cursor or neither. Returns the owner keys touched.
 */
export async function ingestRecords(ctx: RunContext, records: MycoiComplianceRecord[], cursor?: string | null): Promise<string[]> {
  const t = ctx.tenant;
  // the gate decides (level, commitments tool, settings): features.ts in @mycoi/contracts
  const features = featuresOf(t);
  const wantVendor = features.push_vendor.on;
  const wantAssignment = features.push_commitment.on;
  const today = todayUtc(ctx.now());
  const opts = { today, expiryNotifications: t.settings.procoreExpiryEmails };
  // the last record of an owner in a page wins
  const byOwner = new Map<string, MycoiComplianceRecord>();
  const notWanted: string[] = [];
  for (const r of records) {
    ctx.add('read');
    if (r.level === 'vendor' ? !wantVendor : !wantAssignment || !r.assignmentId) {
      ctx.add('skipped');
      notWanted.push(ownerKey(r)); // e.g. the level changed: nothing waits for it any more
      continue;
    }
    byOwner.set(ownerKey(r), r);
  }
  const recs = [...byOwner.values()];
  await resolveMissingLinks(ctx, recs);
  return withTransaction(ctx.pool, async (db) => {
    const links = await loadLinks(db, t.id, recs);
    const desired: DesiredRow[] = [];
    const owners: string[] = [];
    // never passed over: a record we cannot place yet is kept (with the cursor, in this transaction)
    const pending: PendingRecord[] = [];
    const gone: string[] = [];
    for (const r of recs) {
      const owner = ownerKey(r);
      if (r.level === 'vendor') {
        const vendorId = procoreVendorId(r, links.vendor);
        if (!vendorId) {
          if (!r.active) gone.push(owner);
          else
            pending.push({
              ownerKey: owner,
              mycoiVendorId: r.vendorId,
              detail: 'The myCOI vendor has no Procore vendor link or numeric external id',
            });
          continue;
        }
        owners.push(owner);
        for (const row of buildRows(r, { vendorId, originId: (k) => vendorOriginId(r.vendorId, k) }, opts)) {
          desired.push({
            origin_id: row.origin_id,
            target: 'company',
            procore_project_id: '',
            procore_vendor_id: vendorId,
            procore_commitment_id: null,
            commitment_type: null,
            owner_key: owner,
            desired: row,
            desired_hash: rowHash(row, 'company'),
          });
        }
      } else {
        const link = links.commitment.get(r.assignmentId!);
        const vendorId = link?.procore_vendor_id ?? procoreVendorId(r, links.vendor);
        if (!link || !link.procore_project_id || !vendorId) {
          if (!r.active) gone.push(owner);
          else
            pending.push({
              ownerKey: owner,
              mycoiVendorId: r.vendorId,
              detail: 'The myCOI assignment is not linked to a Procore commitment yet',
            });
          continue;
        }
        owners.push(owner);
        const projectId = link.procore_project_id;
        for (const row of buildRows(r, { vendorId, originId: (k) => projectOriginId(projectId, r.assignmentId!, k) }, opts)) {
          desired.push({
            origin_id: row.origin_id,
            target: 'project',
            procore_project_id: projectId,
            procore_vendor_id: vendorId,
            procore_commitment_id: link.procore_id,
            commitment_type: null,
            owner_key: owner,
            desired: row,
            desired_hash: rowHash(row, `project:${projectId}`),
          });
        }
        if (features.commitment_status.on && r.active) {
          const cs = {
            status: commitmentStatus(r.status),
            notes: r.deficiencies.length ? r.deficiencies.join('\n').slice(0, 2000) : 'Per myCOI compliance review.',
          };
          desired.push({
            origin_id: commitmentStatusKey(link.procore_id),
            target: 'commitment_status',
            procore_project_id: projectId,
            procore_vendor_id: vendorId,
            procore_commitment_id: link.procore_id,
            commitment_type: link.commitment_type,
            owner_key: owner,
            desired: cs,
            desired_hash: contentHash(cs),
          });
        }
      }
    }
    const existing = await ledgerByOwners(db, t.id, owners);
    const wanted = new Map(desired.map((d) => [d.origin_id, d]));
    const unwanted = existing.filter((e) => e.desired !== null && !wanted.has(e.origin_id)).map((e) => e.origin_id);
    const before = new Map(existing.map((e) => [e.origin_id, e]));
    for (const d of desired) {
      const e = before.get(d.origin_id);
      if (e && e.desired_hash === d.desired_hash && e.pushed_hash === d.desired_hash) ctx.add('unchanged');
    }
    await upsertDesired(db, t.id, desired);
    await markUnwanted(db, t.id, unwanted);
    await keepPending(db, t.id, pending);
    await resolvePending(db, t.id, [...owners, ...gone, ...notWanted]);
    if (pending.length) {
      ctx.add('pending', pending.length);
      for (const p of pending.slice(0, 5)) ctx.error('not_linked', p.detail, p.ownerKey);
    }
    if (cursor !== undefined) await setCheckpoint(db, t.id, FEED_CHECKPOINT, { cursor });
    return owners;
  });
}
