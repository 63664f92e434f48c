import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncHistory, TenantView, ValidationResult, type ValidationCheck } from '@mycoi/contracts';
import { Agent } from './tenants-harness';
import { startTestServer, type TestServer } from './support/server';
import { demoAgents } from './support/agents';
import { connectDemoMycoi, registerCompany, saveSettings } from './support/onboarding';

// #11 "Partial permissions are a normal state … Validation of the DMSA reports the same": the
// projects the integration works in (myCOI projects linked to Procore projects, our links, projects
// we hold rows in, projects already reported forbidden) that the service account cannot reach are a
// WARNING check naming them with the fix, recorded as the engine's project_forbidden problems.
// Driven over HTTP as the console and ops pages do, against the real Procore and myCOI sandboxes.

const DMSA = 'demo-dmsa-client';
const OAK_FIX =
  "Add the myCOI service account to project Oak Street Apartments in Procore's Project Directory, or add Oak Street Apartments to the app's permitted projects (App Management → the myCOI app → Permissions → Permitted Projects), then validate again.";
// the engine's wording (packages/sync/src/forbidden.ts), which validation shares
const OAK_PROBLEM_FIX =
  "Add the myCOI service account to project Oak Street Apartments in Procore's Project Directory (or add the project to the app's permitted projects in Procore's App Management).";

let ts: TestServer;
let admin: Agent;
let ops: Agent;
let tenantId: string;

async function validate(): Promise<{ result: ValidationResult; access: ValidationCheck }> {
  const res = await admin.post('/api/admin/companies/1001/validate');
  expect(res.status).toBe(200);
  const result = ValidationResult.parse(res.body);
  return { result, access: result.checks.find((c) => c.id === 'projectAccess')! };
}

async function problems() {
  const res = await admin.get('/api/admin/companies/1001/sync');
  expect(res.status).toBe(200);
  return SyncHistory.parse(res.body).problems.filter((p) => p.kind === 'project_forbidden');
}

async function waitFor(done: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`${what} did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const permit = (ids: 'all' | number[]) => ts.procore.admin.setInstallation(DMSA, 1001, { permittedProjectIds: ids });

beforeAll(async () => {
  ts = await startTestServer({ env: { SYNC_ENABLED: 'true' } });
  ({ admin, ops } = await demoAgents(ts));
});
afterAll(async () => {
  await ts?.close();
});

describe('DMSA validation reports the projects the service account cannot reach', () => {
  it('a new company has no linked project yet: the check passes and says so', async () => {
    await registerCompany(admin, { clientId: DMSA, clientSecret: 'demo-dmsa-secret' });
    await saveSettings(admin, { features: { compliancePush: true, sidePanel: true }, complianceLevel: 'both' });
    const { result, access } = await validate();
    expect(result.ok).toBe(true);
    expect(access).toMatchObject({ ok: true, fixHint: null, label: 'Access to the projects linked to myCOI' });
    expect(access.detail).toMatch(/No Procore project is linked to myCOI yet/);
    tenantId = TenantView.parse((await admin.get('/api/admin/companies/1001')).body.tenant).id;
  });

  it("with myCOI's projects known, each one linked to a Procore project is checked", async () => {
    // myCOI's demo account has Riverside Medical Center (external_id 5001) and Oak Street Apartments (5002)
    await connectDemoMycoi(ops, tenantId);
    const { result, access } = await validate();
    expect(result.ok).toBe(true);
    expect(access).toMatchObject({ ok: true, detail: 'All 2 projects linked to myCOI can be reached' });
  });

  it('a project removed from the permitted projects is a warning naming it, with the fix; activation may still be requested', async () => {
    permit([5001, 5003]); // Oak Street Apartments (5002) removed
    const { result, access } = await validate();
    expect(result.ok).toBe(true); // a warning does not block
    expect(access).toMatchObject({ ok: false, severity: 'warning', fixHint: OAK_FIX });
    expect(access.skipped).toBeUndefined();
    expect(access.detail).toMatch(/^No access to 1 of the 2 projects linked to myCOI: Oak Street Apartments \(#5002\)\./);
    // every other check still passes
    expect(result.checks.filter((c) => c.id !== 'projectAccess').every((c) => c.ok)).toBe(true);
    // the console's problems list has it, in the engine's words and scope
    const p = await problems();
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ scope: 'project:5002', title: 'No access to project Oak Street Apartments', fix: OAK_PROBLEM_FIX });
    expect(p[0]!.detail).toMatch(/not among the app's permitted projects \(Procore answered 403 on its Project Directory\)/);
    // what the probe was: Oak Street's Project Directory, refused
    expect(
      ts.procore.requests().some((q) => q.clientId === DMSA && q.status === 403 && q.path.startsWith('/rest/v1.0/projects/5002/vendors')),
    ).toBe(true);
    const requested = await admin.post('/api/admin/companies/1001/request-activation');
    expect(requested.status).toBe(200);
    expect(requested.body.status).toBe('awaiting_activation');
  });

  it('restoring the project passes the check and clears the problem', async () => {
    permit('all');
    const { result, access } = await validate();
    expect(result.ok).toBe(true);
    expect(access).toMatchObject({ ok: true, fixHint: null, detail: 'All 2 projects linked to myCOI can be reached' });
    expect(await problems()).toEqual([]);
  });

  it('after activation the projects of our links and rows are checked too', async () => {
    const act = await ops.post(`/api/ops/tenants/${tenantId}/activate`, {});
    expect(act.status).toBe(200);
    expect(act.body.status).toBe('active');
    await waitFor(async () => {
      const { rows } = await ts.running.db.pool.query<{ kind: string }>(
        "select kind from runs where tenant_id = $1 and status = 'succeeded' and kind in ('push', 'upkeep')",
        [tenantId],
      );
      return new Set(rows.map((r) => r.kind)).size === 2;
    }, 'the first cycle');
    // the first cycle linked Oak Street's commitments and wrote rows there
    const { rows } = await ts.running.db.pool.query(
      "select 1 from links where tenant_id = $1 and kind = 'commitment' and procore_project_id = '5002'",
      [tenantId],
    );
    expect(rows.length).toBeGreaterThan(0);
    const { result, access } = await validate();
    expect(result.ok).toBe(true);
    expect(access).toMatchObject({ ok: true });
    expect(access.detail).toMatch(/^All \d+ projects linked to myCOI can be reached$/);
  });

  it('a linked project removed mid-life: validation and the engine keep one problem for it', async () => {
    permit([5001, 5003]);
    const first = await validate();
    expect(first.result.ok).toBe(true);
    expect(first.access).toMatchObject({ ok: false, severity: 'warning', fixHint: OAK_FIX });
    expect((await problems()).map((x) => [x.scope, x.count])).toEqual([['project:5002', 1]]);

    // the engine's next push reads Oak Street back (a due reconcile) and meets the same 403
    await ts.running.db.pool.query(`update sync_tenant_state set last_reconcile_at = now() - interval '2 days' where tenant_id = $1`, [
      tenantId,
    ]);
    const now = await ops.post(`/api/ops/tenants/${tenantId}/sync-now`, {});
    expect(now.status).toBe(202);
    const pushId = Math.max(...(now.body.runIds as number[]));
    await waitFor(async () => {
      const { rows } = await ts.running.db.pool.query<{ status: string }>('select status from runs where id = $1', [pushId]);
      return ['succeeded', 'failed', 'stopped'].includes(rows[0]?.status ?? '');
    }, 'the push');
    let p = await problems();
    expect(p.map((x) => x.scope)).toEqual(['project:5002']); // one entry, seen again
    expect(p[0]!.count).toBeGreaterThanOrEqual(2);
    const seen = p[0]!.count;
    expect(p[0]!.detail).toMatch(/^Procore refused \(403\) when myCOI/); // the engine's words this time
    expect(p[0]!.title).toBe('No access to project Oak Street Apartments');

    const again = await validate();
    expect(again.access).toMatchObject({ ok: false, severity: 'warning', fixHint: OAK_FIX });
    p = await problems();
    expect(p.map((x) => x.scope)).toEqual(['project:5002']);
    expect(p[0]!.count).toBeGreaterThan(seen);

    permit('all');
    const restored = await validate();
    expect(restored.result.ok).toBe(true);
    expect(restored.access).toMatchObject({ ok: true, fixHint: null });
    expect(await problems()).toEqual([]);
  });

  it('projects from our own links count too; several are listed in one fix; a deleted project is not a permission problem', async () => {
    const pool = ts.running.db.pool;
    // a project link as the side panel makes it (Harbor Warehouse, 5003: no myCOI project carries its id)
    // and one to a Procore project that no longer exists
    await pool.query(
      `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by)
       values ($1, 'project', '5003', 'div_test_harbor', 'linked', 'pat@acme.test'),
              ($1, 'project', '5999', 'div_test_gone', 'linked', 'pat@acme.test')
       on conflict do nothing`,
      [tenantId],
    );
    permit([5001]);
    const { result, access } = await validate();
    expect(result.ok).toBe(true);
    expect(access).toMatchObject({ ok: false, severity: 'warning' });
    expect(access.detail).toContain('Oak Street Apartments (#5002) and Harbor Warehouse (#5003)');
    expect(access.detail).toContain('Project #5999 no longer exists in Procore.');
    expect(access.fixHint).toBe(
      "Add the myCOI service account to projects Oak Street Apartments and Harbor Warehouse in Procore's Project Directory, or add them to the app's permitted projects (App Management → the myCOI app → Permissions → Permitted Projects), then validate again.",
    );
    expect((await problems()).map((x) => [x.scope, x.title])).toEqual([
      ['project:5002', 'No access to project Oak Street Apartments'],
      ['project:5003', 'No access to project Harbor Warehouse'],
    ]);

    permit('all');
    const again = await validate();
    expect(again.access).toMatchObject({ ok: true });
    expect(again.access.detail).toContain('Project #5999 no longer exists in Procore.');
    expect(await problems()).toEqual([]);
  });
});
