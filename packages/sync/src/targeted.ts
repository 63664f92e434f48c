import { describeError, type RunContext } from './context';
import { ingestRecords } from './ingest';
import { forgetGoneOwners, readOwnerRecords } from './owner-reads';
import { isFatal, pushDirty } from './push';
import { featuresOf } from './tenants';
import { ensureVendors, upsertCommitments } from './upkeep';
import { duePending, markPendingDue } from './pending';
import { enqueueRun } from './runs';

/**
 * What an event-driven (targeted) run works on. One run may carry many owners: the events worker
 * coalesces a burst into one run, so rows of many vendors share each scope's ≤ 1000-row sync call.
 */
export interface TargetedTarget {
  vendorId?: string;
  assignmentId?: string;
  vendorIds?: string[];
  assignmentIds?: string[];
  /** Procore commitments named by webhooks: refresh what upkeep knows of them and ensure the vendors
   *  of approved commitments exist in myCOI (an empty list only ensures vendors: a vendor or project changed) */
  commitments?: { projectId: string; id: string; since: string | null }[];
}

/** Refresh only the given myCOI vendors/assignments (and commitments), then push just their rows. */
export async function runTargetedBatch(ctx: RunContext, target: TargetedTarget): Promise<void> {
  // commitment events feed upkeep, which the gate may have off (e.g. no Commitments tool)
  if (target.commitments && featuresOf(ctx.tenant).upkeep.on) {
    await upkeepCommitments(ctx, target.commitments); // [] = just ensure vendors
    // a commitment just learned may be what a pending assignment waited for: the worker's next push
    // places it (not this event run: re-reading every pending record would slow the event down)
    if ((ctx.counts.read ?? 0) > 0) await markPendingDue(ctx.pool, ctx.tenant.id);
    if ((await duePending(ctx.pool, ctx.tenant.id, 1)).length > 0) {
      await enqueueRun(ctx.pool, { tenantId: ctx.tenant.id, kind: 'push', trigger: 'resume' });
    }
  }
  const vendorIds = [...new Set([...(target.vendorIds ?? []), ...(target.vendorId ? [target.vendorId] : [])])];
  const assignmentIds = [...new Set([...(target.assignmentIds ?? []), ...(target.assignmentId ? [target.assignmentId] : [])])];
  const keys = [...assignmentIds.map((id) => `a:${id}`), ...vendorIds.map((id) => `v:${id}`)];
  if (keys.length === 0) return;

  // gone from myCOI: the rows we own for it go too
  const { records, gone } = await readOwnerRecords(ctx, keys);

  const owners = records.length ? await ingestRecords(ctx, records) : [];
  await forgetGoneOwners(ctx, gone);
  const push = [...owners, ...gone];
  if (push.length) await pushDirty(ctx, push);
}

/**
 * Upkeep for a few commitments: re-read them (per project, updated since the event, so one or two
 * calls each) into upkeep_commitments, then ensure the vendors of approved ones exist in myCOI.
 */
async function upkeepCommitments(ctx: RunContext, items: NonNullable<TargetedTarget['commitments']>): Promise<void> {
  const byProject = new Map<string, { ids: Set<string>; since: string | null }>();
  for (const c of items) {
    const p = byProject.get(c.projectId) ?? { ids: new Set<string>(), since: c.since };
    p.ids.add(c.id);
    if (p.since !== null && (c.since === null || c.since < p.since)) p.since = c.since;
    byProject.set(c.projectId, p);
  }
  for (const [projectId, p] of byProject) {
    try {
      ctx.checkBudget();
      const listed = await ctx.clients.procore.listCommitments(projectId, p.since);
      const mine = listed.filter((c) => p.ids.has(c.id));
      ctx.add('read', mine.length);
      await upsertCommitments(ctx.pool, ctx.tenant.id, mine);
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.error('commitments_unreadable', describeError(err), `project:${projectId}`);
    }
  }
  await ensureVendors(ctx);
}
