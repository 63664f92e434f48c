import type { RunContext } from './context';
import { describeError } from './context';
import { getCheckpoint, setCheckpoint } from './checkpoints';
import type { Queryable } from './db';
import type { MycoiVendor, ProcoreCommitment, ProcoreProject } from './ports';
import { isFatal } from './push';
import { isForbidden, recordForbidden, rememberProjectNames } from './forbidden';
import { clearProblem } from './problems';

export const UPKEEP_CHECKPOINT = 'upkeep.commitments';

interface UpkeepProgress {
  /** commitments updated at or after this were already seen (null = first run: all of them) */
  since: string | null;
  /** watermark this pass will store as `since` when it finishes */
  until: string;
  /** projects of this pass already done (resume skips them) */
  done: string[];
}

/** Lower-case, drop punctuation and legal suffixes: "ACME Builders, Inc." ≡ "Acme Builders". */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\b(inc|incorporated|llc|l l c|ltd|limited|co|corp|corporation|company|lp|llp|pllc|plc)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function normaliseTaxId(id: string | null | undefined): string | null {
  const d = (id ?? '').replace(/[^0-9a-z]/gi, '');
  return d === '' ? null : d.toLowerCase();
}

/** Same company when the normalised names agree and the tax ids do not contradict each other. */
export function sameVendor(a: { name: string; taxId: string | null }, b: { name: string; taxId: string | null }): boolean {
  if (normaliseName(a.name) !== normaliseName(b.name) || normaliseName(a.name) === '') return false;
  const ta = normaliseTaxId(a.taxId);
  const tb = normaliseTaxId(b.taxId);
  return ta === null || tb === null || ta === tb;
}

export async function upsertCommitments(db: Queryable, tenantId: string, items: ProcoreCommitment[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `insert into upkeep_commitments (tenant_id, procore_commitment_id, commitment_type, procore_project_id,
        procore_vendor_id, vendor_name, status, title, number, updated_at)
     select $1, x.id, x.type, x."projectId", x."vendorId", x."vendorName", x.status, x.title, x.number, x."updatedAt"::timestamptz
     from jsonb_to_recordset($2::jsonb) as x(id text, type text, "projectId" text, "vendorId" text, "vendorName" text,
        status text, title text, number text, "updatedAt" text)
     on conflict (tenant_id, procore_commitment_id) do update set commitment_type = excluded.commitment_type,
        procore_project_id = excluded.procore_project_id, procore_vendor_id = excluded.procore_vendor_id,
        vendor_name = excluded.vendor_name, status = excluded.status, title = excluded.title,
        number = excluded.number, updated_at = excluded.updated_at, seen_at = now()`,
    [tenantId, JSON.stringify(items)],
  );
}

/**
 * Procore → myCOI upkeep: refresh what we know of commitments (incrementally via updated_at), and
 * make sure the vendor of every approved commitment exists in myCOI, linked. Progress is
 * checkpointed per project so a killed run resumes where it stopped.
 */
export async function runUpkeep(ctx: RunContext): Promise<ProcoreProject[]> {
  const { procore } = ctx.clients;
  const t = ctx.tenant;
  let progress = await getCheckpoint<UpkeepProgress>(ctx.pool, t.id, UPKEEP_CHECKPOINT);
  if (!progress || !progress.until || !Array.isArray(progress.done)) {
    // a minute of overlap absorbs clock skew between us and Procore; re-reading a row is harmless
    const until = new Date(ctx.now().getTime() - 60_000).toISOString();
    progress = { since: progress?.since ?? null, until, done: [] };
  }
  ctx.checkBudget();
  let listed: ProcoreProject[];
  try {
    listed = await procore.listProjects();
  } catch (err) {
    // without the project list there is no upkeep at all: say which permission is missing
    if (isForbidden(err)) await recordForbidden(ctx, err, { tool: 'projects', what: "listed the company's projects" });
    throw err;
  }
  await clearProblem(ctx.pool, t.id, 'tool_forbidden', 'tool:projects');
  const projects = listed.filter((p) => p.active);
  ctx.add('projects', projects.length);
  await rememberProjectNames(ctx.pool, t.id, projects);
  const done = new Set(progress.done);
  for (const p of projects) {
    if (done.has(p.id)) continue;
    ctx.checkBudget();
    let items: ProcoreCommitment[];
    try {
      items = await procore.listCommitments(p.id, progress.since);
    } catch (err) {
      if (isFatal(err)) throw err;
      // e.g. the project is not permitted to the DMSA: report and keep going
      if (isForbidden(err)) await recordForbidden(ctx, err, { projectId: p.id, tool: 'commitments', what: 'read its commitments' });
      else ctx.error('commitments_unreadable', describeError(err), `project:${p.id}`);
      continue;
    }
    ctx.add('read', items.length);
    await upsertCommitments(ctx.pool, t.id, items);
    await clearProblem(ctx.pool, t.id, 'project_forbidden', `project:${p.id}`); // readable again
    done.add(p.id);
    progress.done = [...done];
    await setCheckpoint(ctx.pool, t.id, UPKEEP_CHECKPOINT, progress);
    await ctx.beat();
  }
  await ensureVendors(ctx);
  await setCheckpoint(ctx.pool, t.id, UPKEEP_CHECKPOINT, { since: progress.until, until: null, done: [] });
  return projects;
}

/** Vendors of approved commitments that have no myCOI link yet. */
async function unlinkedApprovedVendors(ctx: RunContext): Promise<{ id: string; name: string | null }[]> {
  const res = await ctx.pool.query<{ id: string; name: string | null }>(
    `select u.procore_vendor_id as id, min(u.vendor_name) as name from upkeep_commitments u
     where u.tenant_id = $1 and u.procore_vendor_id is not null and u.status = any($2::text[])
       and not exists (select 1 from links l where l.tenant_id = u.tenant_id and l.kind = 'vendor' and l.procore_id = u.procore_vendor_id)
     group by u.procore_vendor_id order by u.procore_vendor_id`,
    [ctx.tenant.id, ctx.tenant.settings.approvedStatuses],
  );
  return res.rows;
}

export async function ensureVendors(ctx: RunContext): Promise<void> {
  const { procore, mycoi } = ctx.clients;
  for (const v of await unlinkedApprovedVendors(ctx)) {
    try {
      ctx.checkBudget();
      const pv = await procore.getVendor(v.id);
      const name = pv?.name ?? v.name;
      if (!name) continue;
      let found: MycoiVendor | null = await mycoi.findVendorByExternalId(v.id);
      let source: 'matched' | 'created' = 'matched';
      if (!found) {
        const candidates = await mycoi.searchVendors(name);
        found = candidates.find((c) => !c.externalId && sameVendor(c, { name, taxId: pv?.taxId ?? null })) ?? null;
        // myCOI vendors cannot be edited through the partner API: the link lives in our links table
      }
      if (!found) {
        found = await mycoi.createVendor({ name, externalId: v.id, taxId: pv?.taxId ?? null });
        source = 'created';
      }
      await ctx.pool.query(
        `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by) values ($1, 'vendor', $2, $3, $4, 'sync')
         on conflict do nothing`,
        [ctx.tenant.id, v.id, found.id, source],
      );
      ctx.add(source === 'created' ? 'vendorsCreated' : 'vendorsMatched');
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.add('failed');
      ctx.error('vendor_upkeep_failed', describeError(err), `vendor:${v.id}`);
    }
  }
}
