import { describeError, type RunContext } from './context';
import { duePending, markPendingDue } from './pending';
import type { ProcoreProject } from './ports';

/**
 * Records myCOI already has for Procore projects and approved commitments (a division or an
 * assignment whose external_id is the Procore id, e.g. created earlier by the side panel or by
 * myCOI staff) are linked here, before the digest is built and before the push needs the link:
 * the digest then lists only what is really missing from myCOI. Returns how many links were made.
 */
export async function linkExistingRecords(ctx: RunContext, projects: ProcoreProject[]): Promise<number> {
  const t = ctx.tenant;
  const { mycoi } = ctx.clients;
  let made = 0;
  const linkedProjects = await ctx.pool.query<{ procore_id: string }>(
    `select procore_id from links where tenant_id = $1 and kind = 'project'`,
    [t.id],
  );
  const known = new Set(linkedProjects.rows.map((r) => r.procore_id));
  for (const p of projects) {
    if (!p.active || known.has(p.id)) continue;
    try {
      const d = await mycoi.findDivisionByExternalId(p.id);
      if (!d) continue;
      const res = await ctx.pool.query(
        `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by) values ($1, 'project', $2, $3, 'matched', 'sync')
         on conflict do nothing`,
        [t.id, p.id, d.id],
      );
      made += res.rowCount ?? 0;
    } catch (err) {
      ctx.error('project_link_failed', describeError(err), `project:${p.id}`);
    }
  }
  const unlinked = await ctx.pool.query<{ id: string; project: string; vendor: string | null }>(
    `select u.procore_commitment_id as id, u.procore_project_id as project, u.procore_vendor_id as vendor
     from upkeep_commitments u
     where u.tenant_id = $1 and u.status = any($2::text[])
       and not exists (select 1 from links l where l.tenant_id = u.tenant_id and l.kind = 'commitment' and l.procore_id = u.procore_commitment_id)
     order by u.procore_commitment_id`,
    [t.id, t.settings.approvedStatuses],
  );
  for (const c of unlinked.rows) {
    try {
      const a = await mycoi.findAssignmentByExternalId(c.id);
      if (!a) continue;
      const res = await ctx.pool.query(
        `insert into links (tenant_id, kind, procore_id, mycoi_id, procore_project_id, procore_vendor_id, source, created_by)
         values ($1, 'commitment', $2, $3, $4, $5, 'matched', 'sync') on conflict do nothing`,
        [t.id, c.id, a.id, c.project, c.vendor],
      );
      made += res.rowCount ?? 0;
    } catch (err) {
      ctx.error('commitment_link_failed', describeError(err), `commitment:${c.id}`);
    }
  }
  if (made) ctx.add('linksMatched', made);
  return made;
}

/**
 * After upkeep: records waiting for a link may be placeable now (upkeep learned commitments or
 * made links). Marks them due; returns true when a push should follow to place them.
 */
export async function wakePendingAfterUpkeep(ctx: RunContext, linksMade: number): Promise<boolean> {
  const learned = (ctx.counts.read ?? 0) + linksMade + (ctx.counts.vendorsCreated ?? 0) + (ctx.counts.vendorsMatched ?? 0);
  if (learned > 0) await markPendingDue(ctx.pool, ctx.tenant.id);
  return (await duePending(ctx.pool, ctx.tenant.id, 1)).length > 0;
}
