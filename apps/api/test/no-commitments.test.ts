import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantView, ValidationResult } from '@mycoi/contracts';
import { Agent } from './tenants-harness';
import { startTestServer, type TestServer } from './support/server';
import { demoAgents } from './support/agents';
import { connectDemoMycoi, registerCompany, saveSettings } from './support/onboarding';

// A company whose DMSA app has no Commitments tool (demo-nocommit-client in the Procore sandbox),
// driven over HTTP as the console and ops pages do: validation warns instead of failing,
// activation is allowed, commitment features are off with the reason, vendor-level push works.

let ts: TestServer;
let admin: Agent;
let ops: Agent;
let tenantId: string;

interface Row {
  vendor_id: number;
  project_id: number | null;
  origin_id: string | null;
}
async function ourRows(): Promise<Row[]> {
  const state = (await (await fetch(`${ts.procore.url}/_sandbox/state`)).json()) as { insurances: Row[] };
  return state.insurances.filter((i) => i.origin_id?.startsWith('mycoi:'));
}

/** 403 answers on commitment paths to the no-commitments app so far (validation makes one). */
const forbiddenCommitmentReads = () =>
  ts.procore.requests().filter((q) => q.clientId === 'demo-nocommit-client' && q.status === 403 && /contracts|commitment/.test(q.path))
    .length;

beforeAll(async () => {
  ts = await startTestServer({ env: { SYNC_ENABLED: 'true' } });
  ({ admin, ops } = await demoAgents(ts));
});
afterAll(async () => {
  await ts?.close();
});

describe('a company without the Commitments tool', () => {
  it('validates with a warning, not a failure', async () => {
    await registerCompany(admin, { clientId: 'demo-nocommit-client', clientSecret: 'demo-nocommit-secret' });
    await saveSettings(admin, { features: { compliancePush: true, sidePanel: true }, complianceLevel: 'vendor' });
    const v = ValidationResult.parse((await admin.post('/api/admin/companies/1001/validate')).body);
    expect(v.ok).toBe(true);
    const c = v.checks.find((x) => x.id === 'commitments')!;
    expect(c).toMatchObject({ ok: false, severity: 'warning' });
    expect(c.detail).toContain('commitment-level compliance, per-commitment status, vendor upkeep and the digest are off');
    expect(v.checks.filter((x) => x.id !== 'commitments').every((x) => x.ok)).toBe(true);
  });

  it('activates, and the view says which features are off and why', async () => {
    expect((await admin.post('/api/admin/companies/1001/request-activation')).status).toBe(200);
    const view = TenantView.parse((await admin.get('/api/admin/companies/1001')).body.tenant);
    tenantId = view.id;
    expect(view.commitmentsTool).toBe(false);
    await connectDemoMycoi(ops, tenantId);
    const act = await ops.post(`/api/ops/tenants/${tenantId}/activate`, {});
    expect(act.status).toBe(200);
    expect(act.body.status).toBe('active');
    const { rows } = await ts.running.db.pool.query('select commitments_tool from tenants where id = $1', [tenantId]);
    expect(rows[0].commitments_tool).toBe(false);
  });

  it('gets vendor-level rows and no commitment-level work', async () => {
    const forbiddenBefore = forbiddenCommitmentReads();
    expect(forbiddenBefore).toBeGreaterThan(0); // the validation probe, so the count below means something
    expect((await ops.post(`/api/ops/tenants/${tenantId}/sync-now`, {})).status).toBe(202);
    const end = Date.now() + 20_000;
    let rows: Row[] = [];
    while (Date.now() < end) {
      rows = await ourRows();
      const done = await ts.running.db.pool.query("select 1 from runs where tenant_id = $1 and kind = 'push' and status = 'succeeded'", [
        tenantId,
      ]);
      // the upkeep queued at activation may still be waiting its turn: wait until nothing is queued or running
      const busy = await ts.running.db.pool.query("select 1 from runs where tenant_id = $1 and status in ('queued', 'running')", [
        tenantId,
      ]);
      if (rows.length > 0 && done.rows.length > 0 && busy.rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.project_id === null && r.origin_id!.startsWith('mycoi:v:'))).toBe(true);
    // upkeep reads commitments: the gate keeps it from running (no 403 storm, no vendors created)
    const runs = await ts.running.db.pool.query<{ kind: string; status: string; stop_reason: string | null }>(
      'select kind, status, stop_reason from runs where tenant_id = $1 order by id',
      [tenantId],
    );
    expect(
      runs.rows.filter((r) => r.kind === 'upkeep').every((r) => r.status === 'stopped' && r.stop_reason === 'no_commitments_tool'),
    ).toBe(true);
    expect(forbiddenCommitmentReads()).toBe(forbiddenBefore);
  });
});
