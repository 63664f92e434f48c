import type { Database } from '@mycoi/db';

type Queryable = Pick<Database['pool'], 'query'>;

/**
 * Links as the side panel and upkeep leave them, for the benches: myCOI vendor i ↔ Procore vendor i,
 * and (when given) myCOI assignment i ↔ Procore commitment i. One statement per kind. Returns the
 * links written (m = myCOI id, p = Procore id).
 */
export async function seedBenchLinks(
  db: Queryable,
  tenantId: string,
  seed: {
    mycoiVendorIds: readonly string[];
    vendors: readonly (number | string)[];
    mycoiAssignmentIds?: readonly string[];
    commitments?: readonly { id: number; projectId: number; vendorId: number | null }[];
  },
): Promise<{ vendor: { m: string; p: string }[]; commitment: { m: string; p: string; project: string; vendor: string }[] }> {
  const vendorLinks = seed.mycoiVendorIds.map((m, i) => ({ m, p: String(seed.vendors[i]!) }));
  const commitmentLinks = (seed.mycoiAssignmentIds ?? []).map((m, i) => {
    const c = seed.commitments![i]!;
    return { m, p: String(c.id), project: String(c.projectId), vendor: String(c.vendorId) };
  });
  await db.query(
    `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by)
     select $1, 'vendor', x.p, x.m, 'matched', 'bench' from jsonb_to_recordset($2::jsonb) as x(m text, p text)`,
    [tenantId, JSON.stringify(vendorLinks)],
  );
  if (commitmentLinks.length > 0) {
    await db.query(
      `insert into links (tenant_id, kind, procore_id, mycoi_id, procore_project_id, procore_vendor_id, source, created_by)
       select $1, 'commitment', x.p, x.m, x.project, x.vendor, 'linked', 'bench'
       from jsonb_to_recordset($2::jsonb) as x(m text, p text, project text, vendor text)`,
      [tenantId, JSON.stringify(commitmentLinks)],
    );
  }
  return { vendor: vendorLinks, commitment: commitmentLinks };
}
