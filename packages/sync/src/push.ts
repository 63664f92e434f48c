import { BudgetLowError, describeError, type RunContext } from './context';
import {
  ackPushed,
  dirtyRows,
  dirtyScopes,
  recordFailures,
  removeRows,
  type CommitmentStatusWrite,
  type LedgerRow,
  type Target,
} from './ledger';
import type { CommitmentType, InsuranceScope, InsuranceWrite, ProcoreInsurance } from './ports';
import { isOurs } from './rows';
import { clearForbidden, isForbidden, recordForbidden } from './forbidden';
import { clearAccepted, recordNotInProject, recordRejected } from './push-problems';
import { clearProblem, recordProblem } from './problems';

/** Procore's sync endpoints take at most 1000 items a call. */
export const SYNC_BATCH = 1000;
/** Scopes pushed in parallel by one run (kept small: the tenant's rate budget is shared). */
export const SCOPE_CONCURRENCY = 4;

export function toScope(target: Target, projectId: string): InsuranceScope {
  return target === 'company' ? { level: 'company' } : { level: 'project', projectId };
}

/**
 * What ends a whole run: bad credentials (401: every further call fails the same way) and a low
 * rate budget. A 403 is not here: it ends only its scope (one project, one tool), see forbidden.ts.
 */
export function isFatal(err: unknown): boolean {
  const status = (err as { status?: number } | null)?.status;
  return status === 401 || err instanceof BudgetLowError;
}

/** Errors that end the current scope rather than one row: fatal ones and 403. */
function endsScope(err: unknown): boolean {
  return isFatal(err) || isForbidden(err);
}

/**
 * Send every dirty ledger row (optionally only those of some owners) to Procore: upserts through
 * the scope's sync endpoint in batches of ≤ 1000, deletes of rows we own one by one, commitment
 * statuses one by one. Each batch is acknowledged in the ledger as soon as Procore answers, which
 * is the per-page checkpoint: a crash re-sends at most one batch, and re-sending is harmless
 * because the sync endpoint matches on origin_id.
 */
export async function pushDirty(ctx: RunContext, ownerKeys?: string[], concurrency = SCOPE_CONCURRENCY): Promise<void> {
  const scopes = await dirtyScopes(ctx.pool, ctx.tenant.id, ownerKeys);
  let next = 0;
  let fatal: unknown;
  // a few scopes at a time: the calls are latency-bound, and each scope's rows are independent
  const worker = async () => {
    while (fatal === undefined && next < scopes.length) {
      const s = scopes[next++]!;
      const where = {
        projectId: s.procore_project_id || undefined,
        tool: s.target === 'commitment_status' ? ('commitments' as const) : ('directory' as const),
      };
      try {
        let refused = false;
        if (s.target === 'commitment_status') refused = await pushCommitmentStatuses(ctx, s.procore_project_id, ownerKeys);
        else await pushScope(ctx, s.target, s.procore_project_id, ownerKeys);
        // a scope Procore refused a read in was not written: its permission problem may still be there
        if (!refused) await clearForbidden(ctx, where);
      } catch (err) {
        if (isFatal(err)) fatal ??= err;
        // a permission missing for this project or tool: skip the scope, say what to change
        else if (isForbidden(err)) {
          const what =
            s.target === 'commitment_status'
              ? 'set commitment insurance statuses'
              : s.target === 'company'
                ? 'wrote insurance rows to the Company Directory'
                : 'wrote insurance rows to the Project Directory';
          await recordForbidden(ctx, err, { ...where, what });
        }
        // one scope's outage must not stop the others; its rows stay dirty for the next run
        else ctx.error('scope_failed', describeError(err), `${s.target}:${s.procore_project_id}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, scopes.length)) }, worker));
  if (fatal !== undefined) throw fatal;
}

async function pushScope(ctx: RunContext, target: Target, projectId: string, ownerKeys?: string[]): Promise<void> {
  const procore = ctx.clients.procore;
  const scope = toScope(target, projectId);
  let members: Set<string> | undefined;
  let listed: Map<string, ProcoreInsurance> | undefined;
  let after = '';
  for (;;) {
    const page = await dirtyRows(ctx.pool, ctx.tenant.id, { target, projectId }, after, SYNC_BATCH, ownerKeys);
    if (page.length === 0) return;
    after = page[page.length - 1]!.origin_id;
    const writes = page.filter((r) => r.desired !== null);
    const deletes = page.filter((r) => r.desired === null);

    let sendable = writes;
    if (target === 'project' && writes.some((r) => r.procore_id === null)) {
      // a row we never wrote may need its vendor added to the project's directory first
      ctx.checkBudget();
      members ??= await ctx.projectMembers(projectId);
      sendable = await ensureMembers(ctx, projectId, writes, members);
    }
    if (sendable.length > 0) await syncBatch(ctx, scope, sendable);

    for (const row of deletes) {
      if (!isOurs(row.origin_id)) continue; // defence in depth: never delete what we do not own
      let id = row.procore_id;
      if (!id) {
        // we may have created it in a call whose answer was lost: look it up once per scope
        ctx.checkBudget();
        listed ??= new Map((await procore.listInsurances(scope)).filter((r) => isOurs(r.origin_id)).map((r) => [r.origin_id!, r]));
        id = listed.get(row.origin_id)?.id ?? null;
      }
      try {
        if (id) {
          ctx.checkBudget();
          await procore.deleteInsurance(scope, id);
          ctx.add('deleted');
        }
        await removeRows(ctx.pool, ctx.tenant.id, [row.origin_id]);
      } catch (err) {
        if (endsScope(err)) throw err;
        ctx.add('failed');
        ctx.error('delete_failed', describeError(err), row.origin_id);
        await recordFailures(ctx.pool, ctx.tenant.id, [{ origin_id: row.origin_id, error: describeError(err) }]);
      }
    }
    await ctx.beat();
    if (page.length < SYNC_BATCH) return;
  }
}

async function ensureMembers(ctx: RunContext, projectId: string, rows: LedgerRow[], members: Set<string>): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  const blocked: { origin_id: string; error: string }[] = [];
  for (const row of rows) {
    const vendorId = row.procore_vendor_id;
    if (row.procore_id !== null || members.has(vendorId)) {
      out.push(row);
      continue;
    }
    if (!ctx.tenant.settings.addVendorsToProjectDirectory) {
      blocked.push({ origin_id: row.origin_id, error: 'vendor is not in the project directory' });
      continue;
    }
    try {
      ctx.checkBudget();
      await ctx.clients.procore.addVendorToProject(projectId, vendorId);
      members.add(vendorId);
      ctx.add('vendorsAddedToProjects');
      out.push(row);
    } catch (err) {
      // a 403 here is about adding to the directory, not about writing rows: only this row waits
      if (isFatal(err)) throw err;
      blocked.push({ origin_id: row.origin_id, error: `adding vendor to project directory failed: ${describeError(err)}` });
    }
  }
  if (blocked.length) {
    ctx.add('failed', blocked.length);
    ctx.error('vendor_not_in_project', blocked[0]!.error, `project:${projectId}`);
    await recordFailures(ctx.pool, ctx.tenant.id, blocked);
    const vendors = new Map(rows.map((r) => [r.origin_id, r.procore_vendor_id]));
    await recordNotInProject(
      ctx,
      projectId,
      blocked.map((b) => vendors.get(b.origin_id)!),
      blocked[0]!.error,
    );
  }
  return out;
}

async function syncBatch(ctx: RunContext, scope: InsuranceScope, rows: LedgerRow[]): Promise<void> {
  ctx.checkBudget();
  const byOrigin = new Map(rows.map((r) => [r.origin_id, r]));
  let outcome;
  try {
    outcome = await ctx.clients.procore.syncInsurances(
      scope,
      rows.map((r) => r.desired as InsuranceWrite),
    );
  } catch (err) {
    if (endsScope(err)) throw err;
    ctx.add('failed', rows.length);
    ctx.error('sync_call_failed', describeError(err), scope.level === 'company' ? 'company' : `project:${scope.projectId}`);
    await recordFailures(
      ctx.pool,
      ctx.tenant.id,
      rows.map((r) => ({ origin_id: r.origin_id, error: describeError(err) })),
    );
    return;
  }
  const acks: { origin_id: string; hash: string; procore_id: string | null }[] = [];
  for (const e of outcome.entities) {
    const row = e.origin_id ? byOrigin.get(e.origin_id) : undefined;
    if (!row || !row.desired_hash) continue;
    acks.push({ origin_id: row.origin_id, hash: row.desired_hash, procore_id: e.id });
    ctx.add(row.procore_id ? 'updated' : 'created');
  }
  const failures = outcome.errors
    .filter((e) => e.origin_id && byOrigin.has(e.origin_id))
    .map((e) => ({ origin_id: e.origin_id!, error: e.message }));
  if (failures.length) {
    ctx.add('failed', failures.length);
    for (const f of failures.slice(0, 5)) ctx.error('item_rejected', f.error, f.origin_id);
  }
  await ackPushed(ctx.pool, ctx.tenant.id, acks);
  await recordFailures(ctx.pool, ctx.tenant.id, failures);
  await recordRejected(ctx, failures);
  const accepted = new Set(acks.map((a) => a.origin_id));
  await clearAccepted(
    ctx,
    rows.filter((r) => accepted.has(r.origin_id)),
  );
}

/** Returns true when Procore refused (403) to show a commitment's kind: that commitment was skipped. */
async function pushCommitmentStatuses(ctx: RunContext, projectId: string, ownerKeys?: string[]): Promise<boolean> {
  let after = '';
  let refused = false;
  for (;;) {
    const page = await dirtyRows(ctx.pool, ctx.tenant.id, { target: 'commitment_status', projectId }, after, 200, ownerKeys);
    if (page.length === 0) return refused;
    after = page[page.length - 1]!.origin_id;
    for (const row of page) {
      const commitmentId = row.procore_commitment_id!;
      if (row.desired === null) {
        await removeRows(ctx.pool, ctx.tenant.id, [row.origin_id]); // we never clear a status someone relies on
        await clearProblem(ctx.pool, ctx.tenant.id, 'commitment_unknown', `commitment:${commitmentId}`);
        continue;
      }
      const want = row.desired as CommitmentStatusWrite;
      try {
        // each kind has its own endpoint: never guess one (a purchase order's status sent to the
        // work order endpoint is a 404); a kind that cannot be learned skips this commitment
        const type = await commitmentKind(ctx, projectId, row);
        if (type === 'refused') refused = true;
        if (type === 'refused' || type === 'unknown') continue;
        ctx.checkBudget();
        await ctx.clients.procore.setCommitmentInsuranceStatus(projectId, { id: commitmentId, type }, want.status, want.notes);
        ctx.add('commitmentStatuses');
        await ackPushed(ctx.pool, ctx.tenant.id, [{ origin_id: row.origin_id, hash: row.desired_hash!, procore_id: commitmentId }]);
        // written: whatever kept it back before is gone (only a row that failed can have a problem)
        if (row.last_error) await clearProblem(ctx.pool, ctx.tenant.id, 'commitment_unknown', `commitment:${commitmentId}`);
      } catch (err) {
        if (endsScope(err)) throw err;
        ctx.add('failed');
        ctx.error('commitment_status_failed', describeError(err), row.origin_id);
        await recordFailures(ctx.pool, ctx.tenant.id, [{ origin_id: row.origin_id, error: describeError(err) }]);
      }
    }
    await ctx.beat();
  }
}

const isCommitmentType = (t: string | null): t is CommitmentType => t === 'work_order' || t === 'purchase_order';

/**
 * The commitment's kind: what upkeep listed or an earlier push learned (the ledger row carries it),
 * else asked of Procore (`GET /rest/v1.0/commitments/:id`) and kept on the link and the ledger,
 * so it is asked once. When Procore does not tell it ('refused': 403; 'unknown': 404 or a kind we
 * do not know) the commitment's status write is skipped with the reason recorded on the row, the
 * run and as a `commitment_unknown` problem; the row stays dirty and the next push asks again.
 */
async function commitmentKind(ctx: RunContext, projectId: string, row: LedgerRow): Promise<CommitmentType | 'refused' | 'unknown'> {
  if (isCommitmentType(row.commitment_type)) return row.commitment_type;
  const id = row.procore_commitment_id!;
  const t = ctx.tenant.id;
  let found: Awaited<ReturnType<typeof ctx.clients.procore.getCommitment>>;
  try {
    ctx.checkBudget();
    found = await ctx.clients.procore.getCommitment(projectId, id);
  } catch (err) {
    // 401, a spent budget, a 5xx: the ordinary paths (end the run, or retry the row next push)
    if (!isForbidden(err)) throw err;
    await unknownKind(ctx, row, projectId, `Procore refused (403) to show commitment ${id}: ${describeError(err)}`, {
      title: `Commitment ${id} in project ${projectId} cannot be read in Procore`,
      fix:
        `Give the myCOI service account access to project ${projectId} and Read-only or Standard access to its Commitments tool ` +
        "in Procore's App Management; if the commitment is private, add the service account to its privacy list.",
    });
    return 'refused';
  }
  if (found === null) {
    await unknownKind(
      ctx,
      row,
      projectId,
      `Procore has no commitment ${id} in project ${projectId} (404): it was deleted or belongs to another project.`,
      {
        title: `Commitment ${id} was not found in project ${projectId} in Procore`,
        fix: "Open the myCOI assignment's commitment in Procore's side panel and link the assignment to the commitment it belongs to (or remove the link if the commitment was deleted).",
      },
    );
    return 'unknown';
  }
  if (found.type === null) {
    await unknownKind(ctx, row, projectId, `Procore reported commitment ${id} as neither a work order nor a purchase order.`, {
      title: `Commitment ${id} in project ${projectId} is of a kind myCOI does not know`,
      fix: 'Contact myCOI support with this commitment id.',
    });
    return 'unknown';
  }
  await ctx.pool.query(`update links set commitment_type = $3 where tenant_id = $1 and kind = 'commitment' and procore_id = $2`, [
    t,
    id,
    found.type,
  ]);
  await ctx.pool.query(
    `update pushed_insurances set commitment_type = $3
     where tenant_id = $1 and target = 'commitment_status' and procore_commitment_id = $2`,
    [t, id, found.type],
  );
  await clearProblem(ctx.pool, t, 'commitment_unknown', `commitment:${id}`);
  ctx.add('commitmentKindsLearned');
  return found.type;
}

async function unknownKind(
  ctx: RunContext,
  row: LedgerRow,
  projectId: string,
  why: string,
  p: { title: string; fix: string },
): Promise<void> {
  const id = row.procore_commitment_id!;
  const error = `commitment kind unknown, insurance status not written: ${why}`;
  ctx.add('failed');
  ctx.error('commitment_unknown', error, row.origin_id);
  await recordFailures(ctx.pool, ctx.tenant.id, [{ origin_id: row.origin_id, error }]);
  await recordProblem(ctx.pool, ctx.tenant.id, {
    kind: 'commitment_unknown',
    scope: `commitment:${id}`,
    title: p.title,
    detail: `${why} Without its kind (work order or purchase order) myCOI cannot tell which Procore endpoint takes its insurance status, so the status of commitment ${id} (project ${projectId}) is not written; it is retried on every push.`,
    fix: p.fix,
  });
}
