import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProblems } from '../src';
import { convergence, createWorld, ourRows, type World } from './setup';

// #11.2: a 403 on one project ends only that scope; 401 still ends the run.
let w: World;
beforeAll(async () => {
  w = await createWorld({ level: 'both', settings: { commitmentComplianceStatus: true } });
  expect((await w.run('upkeep')).status).toBe('succeeded');
  expect((await w.run('push')).status).toBe('succeeded');
});
afterAll(async () => {
  await w?.close();
});

const DMSA = 'demo-dmsa-client';
const rowsOf = (prefix: string) => ourRows(w.procore).filter((i) => i.origin_id!.startsWith(prefix));

let day = 0;
const dayIso = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
/** A myCOI review on another day: every row of the record changes (its notes carry the date). */
async function touch(target: { vendorId: string } | { assignmentId: string }, status: 'finalized_non_compliant' | 'finalized_compliant') {
  w.mycoi.admin.setCompliance(target, { status, last_reviewed_at: new Date(Date.now() - ++day * 86_400_000).toISOString() });
}

describe('a project removed from the DMSA permitted projects mid-life', () => {
  it('the next push writes every other scope and records the forbidden project with the fix', async () => {
    w.procore.admin.setInstallation(DMSA, 1001, { permittedProjectIds: [5001, 5003] }); // 5002 (Oak Street Apartments) removed
    await touch({ assignmentId: 'asg_acme_0001' }, 'finalized_non_compliant'); // project 5001
    await touch({ assignmentId: 'asg_acme_0005' }, 'finalized_non_compliant'); // project 5002
    await touch({ vendorId: 'ven_acme_harbor' }, 'finalized_non_compliant'); // company level
    // a due reconcile must not fail the run either
    await w.db.pool.query(`update sync_tenant_state set last_reconcile_at = now() - interval '2 days' where tenant_id = $1`, [w.tenantId]);
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    // project 5001 and the company level carry the new reviews; project 5002 still the old one
    const reviewedOn = (prefix: string, n: number) => {
      const rows = rowsOf(prefix);
      return rows.length > 0 && rows.every((i) => i.notes?.includes(`Last reviewed by myCOI: ${dayIso(n)}`));
    };
    expect(reviewedOn('mycoi:p:5001:a:asg_acme_0001:', 1)).toBe(true);
    expect(reviewedOn('mycoi:v:ven_acme_harbor:', 3)).toBe(true);
    expect(rowsOf('mycoi:p:5002:a:asg_acme_0005:').length).toBeGreaterThan(0);
    expect(reviewedOn('mycoi:p:5002:a:asg_acme_0005:', 2)).toBe(false);
    const c = await convergence(w);
    // only project 5002's rows (and its commitment status) wait
    expect(c.dirty).toBeGreaterThan(0);
    const dirty = await w.db.pool.query<{ target: string; procore_project_id: string }>(
      `select distinct target, procore_project_id from pushed_insurances where tenant_id = $1 and desired_hash is distinct from pushed_hash`,
      [w.tenantId],
    );
    expect(dirty.rows.every((d) => d.procore_project_id === '5002')).toBe(true);
    const problems = await listProblems(w.db.pool, w.tenantId);
    const p = problems.find((x) => x.kind === 'project_forbidden');
    expect(p).toMatchObject({ scope: 'project:5002', title: 'No access to project Oak Street Apartments' });
    expect(p!.fix).toBe(
      "Add the myCOI service account to project Oak Street Apartments in Procore's Project Directory (or add the project to the app's permitted projects in Procore's App Management).",
    );
    expect(r.ctx!.counts.scopesForbidden).toBeGreaterThanOrEqual(1);
  });

  it('restoring the project clears the problem and writes its rows', async () => {
    w.procore.admin.setInstallation(DMSA, 1001, { permittedProjectIds: 'all' });
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
    expect((await listProblems(w.db.pool, w.tenantId)).filter((x) => x.kind === 'project_forbidden')).toEqual([]);
    expect(w.procore.state.commitments.get(900006)!.compliance.insurance_status).toBe('not_compliant');
  });

  it('a tool taken away is a tool problem; the other scopes still complete', async () => {
    const inst = w.procore.state.apps.get(DMSA)!.installations.get(1001)!;
    const before = structuredClone(inst.permissions);
    w.procore.admin.setInstallation(DMSA, 1001, {
      permissions: { ...before, project: { ...before.project, commitments: 'read_only' } },
    });
    await touch({ assignmentId: 'asg_acme_0001' }, 'finalized_compliant');
    await touch({ vendorId: 'ven_acme_harbor' }, 'finalized_compliant');
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    const problems = await listProblems(w.db.pool, w.tenantId);
    expect(problems.find((x) => x.kind === 'tool_forbidden')).toMatchObject({ scope: 'tool:commitments' });
    const dirty = await w.db.pool.query<{ target: string }>(
      `select distinct target from pushed_insurances where tenant_id = $1 and desired_hash is distinct from pushed_hash`,
      [w.tenantId],
    );
    expect(dirty.rows).toEqual([{ target: 'commitment_status' }]);
    w.procore.admin.setInstallation(DMSA, 1001, { permissions: before });
    expect((await w.run('push')).status).toBe('succeeded');
    expect((await listProblems(w.db.pool, w.tenantId)).filter((x) => x.kind === 'tool_forbidden')).toEqual([]);
  });

  it('an uninstalled app is one problem saying to reinstall it; reinstalling clears it', async () => {
    const inst = structuredClone(w.procore.state.apps.get(DMSA)!.installations.get(1001)!);
    w.procore.admin.setInstallation(DMSA, 1001, null);
    await touch({ vendorId: 'ven_acme_harbor' }, 'finalized_non_compliant');
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    const problems = (await listProblems(w.db.pool, w.tenantId)).filter((x) => x.kind === 'tool_forbidden');
    expect(problems.map((p) => p.scope)).toEqual(['app']);
    expect(problems[0]!.fix).toMatch(/Install the myCOI app again/);
    w.procore.admin.setInstallation(DMSA, 1001, inst);
    expect((await w.run('push')).status).toBe('succeeded');
    expect((await listProblems(w.db.pool, w.tenantId)).filter((x) => x.kind === 'tool_forbidden')).toEqual([]);
  });

  it('401 still ends the run', async () => {
    w.procore.state.apps.get(DMSA)!.clientSecret = 'rotated-by-the-customer'; // our stored secret no longer works
    await touch({ vendorId: 'ven_acme_harbor' }, 'finalized_non_compliant');
    const r = await w.run('push');
    expect(r.status).toBe('failed');
    expect((r.error as { status?: number }).status).toBe(401);
  });
});
