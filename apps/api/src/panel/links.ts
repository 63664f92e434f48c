import type pg from 'pg';
import type { LinkInfo, PanelKind } from '@mycoi/contracts';
import { markPendingDue } from '@mycoi/sync';

type Queryable = Pick<pg.Pool, 'query'>;

interface LinkRow {
  kind: PanelKind;
  procore_id: string;
  mycoi_id: string;
  source: LinkInfo['source'];
  created_by: string;
  created_at: Date;
}

export interface StoredLink extends Omit<LinkInfo, 'name'> {
  kind: PanelKind;
  procoreId: string;
}

const toLink = (r: LinkRow): StoredLink => ({
  kind: r.kind,
  procoreId: r.procore_id,
  mycoiId: r.mycoi_id,
  source: r.source,
  linkedBy: r.created_by,
  linkedAt: r.created_at.toISOString(),
});

export async function findLinks(
  db: Queryable,
  tenantId: string,
  wanted: Array<{ kind: PanelKind; procoreId: string }>,
): Promise<StoredLink[]> {
  if (wanted.length === 0) return [];
  const { rows } = await db.query<LinkRow>(
    `select kind, procore_id, mycoi_id, source, created_by, created_at from links
      where tenant_id = $1 and (kind, procore_id) in (select * from unnest($2::text[], $3::text[]))`,
    [tenantId, wanted.map((w) => w.kind), wanted.map((w) => w.procoreId)],
  );
  return rows.map(toLink);
}

export async function findLink(db: Queryable, tenantId: string, kind: PanelKind, procoreId: string): Promise<StoredLink | null> {
  return (await findLinks(db, tenantId, [{ kind, procoreId }]))[0] ?? null;
}

/** Which Procore record a myCOI record is linked to (for search results and link refusal). */
export async function linkedProcoreIds(db: Queryable, tenantId: string, kind: PanelKind, mycoiIds: string[]): Promise<Map<string, string>> {
  if (mycoiIds.length === 0) return new Map();
  const { rows } = await db.query<{ mycoi_id: string; procore_id: string }>(
    'select mycoi_id, procore_id from links where tenant_id = $1 and kind = $2 and mycoi_id = any($3::text[])',
    [tenantId, kind, mycoiIds],
  );
  return new Map(rows.map((r) => [r.mycoi_id, r.procore_id]));
}

export type InsertLinkResult = { ok: true; link: StoredLink } | { ok: false; conflict: 'procore' | 'mycoi'; existing: StoredLink | null };

/**
 * Inserts a link; the unique constraints (tenant, kind, procore_id) and (tenant, kind, mycoi_id)
 * make a racing duplicate a no-op. Linking the same pair again is success (idempotent);
 * a different pair on either side is a conflict the caller reports.
 */
export async function insertLink(
  db: Queryable,
  l: {
    tenantId: string;
    kind: PanelKind;
    procoreId: string;
    mycoiId: string;
    source: LinkInfo['source'];
    createdBy: string;
    projectId?: string | null;
    vendorId?: string | null;
  },
): Promise<InsertLinkResult> {
  const { rows } = await db.query<LinkRow>(
    `insert into links (tenant_id, kind, procore_id, mycoi_id, procore_project_id, procore_vendor_id, source, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing
     returning kind, procore_id, mycoi_id, source, created_by, created_at`,
    [l.tenantId, l.kind, l.procoreId, l.mycoiId, l.projectId ?? null, l.vendorId ?? null, l.source, l.createdBy],
  );
  if (rows[0]) {
    // compliance kept pending for want of this link is placed by the next push (or the panel's refresh)
    if (l.kind === 'commitment') await markPendingDue(db, l.tenantId, { ownerKeys: [`a:${l.mycoiId}`] });
    if (l.kind === 'vendor') await markPendingDue(db, l.tenantId, { ownerKeys: [`v:${l.mycoiId}`], mycoiVendorIds: [l.mycoiId] });
    return { ok: true, link: toLink(rows[0]) };
  }
  const existing = await findLink(db, l.tenantId, l.kind, l.procoreId);
  if (existing && existing.mycoiId === l.mycoiId) return { ok: true, link: existing };
  if (existing) return { ok: false, conflict: 'procore', existing };
  return { ok: false, conflict: 'mycoi', existing: null };
}
