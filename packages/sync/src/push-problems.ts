import type { RunContext } from './context';
import type { LedgerRow } from './ledger';
import { recordProblem } from './problems';

// Rows that were placed but not accepted stay dirty in the ledger (every push retries them); these
// helpers make them visible to the customer and clear the entry once Procore takes the row.

export async function recordNotInProject(ctx: RunContext, projectId: string, vendorIds: string[], why: string): Promise<void> {
  for (const v of new Set(vendorIds)) {
    await recordProblem(ctx.pool, ctx.tenant.id, {
      kind: 'vendor_not_in_project',
      scope: `project:${projectId}:vendor:${v}`,
      title: `Vendor ${v} is not in the directory of project ${projectId}`,
      detail: `Commitment-level insurance rows need the vendor in the project's directory: ${why}`,
      fix: ctx.tenant.settings.addVendorsToProjectDirectory
        ? `Add vendor ${v} to project ${projectId}'s Directory in Procore (myCOI could not add it), or give the myCOI service account Standard access to the project-level Directory tool.`
        : `Add vendor ${v} to project ${projectId}'s Directory in Procore, or let myCOI add vendors to project directories in the console's settings.`,
    });
  }
}

export async function recordRejected(ctx: RunContext, failures: { origin_id: string; error: string }[]): Promise<void> {
  for (const f of failures) {
    await recordProblem(ctx.pool, ctx.tenant.id, {
      kind: 'row_rejected',
      scope: `row:${f.origin_id}`,
      title: `Procore refused an insurance row (${f.origin_id})`,
      detail: `Procore answered: ${f.error}. The row is retried on every push.`,
      fix: 'If the message names a field Procore requires, correct the certificate data in myCOI; otherwise contact myCOI support with this row id.',
    });
  }
}

/** Procore accepted these rows: whatever kept them out before is gone (one statement per batch). */
export async function clearAccepted(ctx: RunContext, rows: LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const scopes = new Set<string>();
  for (const r of rows) if (r.target === 'project') scopes.add(`project:${r.procore_project_id}:vendor:${r.procore_vendor_id}`);
  await ctx.pool.query(
    `delete from sync_problems where tenant_id = $1 and ((kind = 'row_rejected' and scope = any($2::text[]))
        or (kind = 'vendor_not_in_project' and scope = any($3::text[])))`,
    [ctx.tenant.id, rows.map((r) => `row:${r.origin_id}`), [...scopes]],
  );
}
