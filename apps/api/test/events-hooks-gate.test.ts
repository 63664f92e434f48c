import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSettings, TenantView } from '@mycoi/contracts';
import { listProblems } from '@mycoi/sync';
import { queueHookJob, waitForRun, WANTED_TRIGGERS, type HookManager } from '@mycoi/events';
import { tenantFeaturesOf } from '../src/tenants/gate';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import type { Agent } from './tenants-harness';
import { demoAgents } from './support/agents';
import { startTestServer, type TestServer } from './support/server';
import { otherInstanceHooks } from './support/hooks';

// Procore hook registration asks THE gate (`events` of tenantFeatures): a side-panel-only tenant
// gets no hook at activation (its deliveries would be dropped anyway); turning compliance push on
// in the console makes the repair pass register it; turning it off makes the repair pass remove it;
// on again registers it again. Suspension is the lifecycle's business: the hook stays.

const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
/** What boot queues for every active tenant: a hook job, run by the service's job worker; its end as recorded. */
async function bootCheck(): Promise<{ status: string; stop_reason: string | null } | undefined> {
  const id = await queueHookJob(pool(), tenantId, 'ensure', 'schedule');
  expect(await waitForRun(pool(), id, 20_000)).toBe(true);
  return (await pool().query<{ status: string; stop_reason: string | null }>('select status, stop_reason from runs where id = $1', [id]))
    .rows[0];
}
let ts: TestServer;
let tenantId: string;
let manager: HookManager;
let admin: Agent;

const pool = () => ts.running.db.pool;
/** Our hooks for the tenant as the Procore sandbox holds them, with their triggers. */
const hooksAtProcore = () =>
  [...ts.procore.state.hooks.values()]
    .filter((h) => h.destination_url === `${ts.url}/webhooks/procore/${tenantId}`)
    .map((h) => ({ id: h.id, triggers: [...ts.procore.state.triggers.values()].filter((t) => t.webhook_hook_id === h.id).length }));
const hookRow = async () =>
  (
    await pool().query<{ state: string; hook_id: string | null; trigger_count: number }>(
      'select state, hook_id, trigger_count from procore_hooks where tenant_id = $1',
      [tenantId],
    )
  ).rows[0];
const hookProblems = async () => (await listProblems(pool(), tenantId)).filter((p) => p.kind === 'hooks_missing');
/** What the admin console does: save the features in Settings. */
async function setCompliancePush(on: boolean): Promise<void> {
  const res = await admin.put('/api/admin/companies/1001/settings', { features: { compliancePush: on } });
  expect(res.status).toBe(200);
  expect(TenantView.parse(res.body).features.compliancePush).toBe(on);
}

beforeAll(async () => {
  ts = await startTestServer();
  // a "side panel only" tenant: the panel, no compliance push
  tenantId = await insertDemoTenant(pool(), ts.running.config.encryption, {
    compliance_push: false,
    side_panel: true,
    settings: defaultTenantSettings,
  });
  // the repair pass of another instance on the same database (the service's own runs every 10 min)
  manager = otherInstanceHooks(ts);
  ({ admin } = await demoAgents(ts));
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

describe('Procore hook registration follows the feature gate', () => {
  it('a side-panel-only tenant is activated without a hook: nothing at Procore, nothing "missing"', async () => {
    // the activation's transition listener (the running service's HookManager) has settled when this returns
    await applyTransition(pool(), tenantId, 'activate', ops);
    const gate = (await tenantFeaturesOf(pool(), tenantId))!;
    expect([gate.side_panel.on, gate.events.reason]).toEqual([true, 'compliance_push_off']);
    expect(hooksAtProcore()).toEqual([]);
    expect(await hookRow()).toBeUndefined();
    expect(await hookProblems()).toEqual([]);
    // the repair pass, a direct ensure and the boot check agree, and ask Procore nothing
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
    expect(await manager.ensure(tenantId)).toBe('off');
    expect(await bootCheck()).toEqual({ status: 'succeeded', stop_reason: 'off' });
    expect(hooksAtProcore()).toEqual([]);
    expect(await hookRow()).toBeUndefined();
  });

  it('compliance push turned on in Settings: the repair pass registers the hook', async () => {
    await setCompliancePush(true);
    expect(await manager.reconcile()).toEqual({ ensured: 1, removed: 0 });
    const [hook, ...more] = hooksAtProcore();
    expect(more).toEqual([]);
    expect(hook!.triggers).toBe(WANTED_TRIGGERS.length);
    expect(await hookRow()).toEqual({ state: 'registered', hook_id: String(hook!.id), trigger_count: WANTED_TRIGGERS.length });
    // registered and recently verified: the next pass leaves it alone
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
  });

  it('a suspended tenant keeps its hook (the lifecycle decides that, not the feature gate)', async () => {
    await applyTransition(pool(), tenantId, 'suspend', ops, { reason: 'billing' });
    expect(await manager.ensure(tenantId)).toBe('off');
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
    expect(hooksAtProcore()).toHaveLength(1);
    expect((await hookRow())!.state).toBe('registered');
    await applyTransition(pool(), tenantId, 'resume', ops);
    expect(hooksAtProcore()).toHaveLength(1);
    expect((await hookRow())!.state).toBe('registered');
  });

  it('compliance push turned off again: the repair pass removes the hook; on again registers it again', async () => {
    const before = hooksAtProcore()[0]!.id;
    await setCompliancePush(false);
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 1 });
    expect(hooksAtProcore()).toEqual([]);
    expect(await hookRow()).toMatchObject({ state: 'removed', hook_id: null, trigger_count: 0 });
    expect(await hookProblems()).toEqual([]);
    // nothing left to do: the next pass and the boot check ask Procore nothing
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
    expect(await bootCheck()).toEqual({ status: 'succeeded', stop_reason: 'off' });
    expect(hooksAtProcore()).toEqual([]);

    await setCompliancePush(true);
    expect(await manager.reconcile()).toEqual({ ensured: 1, removed: 0 });
    const [again] = hooksAtProcore();
    expect(again!.triggers).toBe(WANTED_TRIGGERS.length);
    expect(again!.id).not.toBe(before);
    expect((await hookRow())!.state).toBe('registered');
  });

  it('settings that no longer parse turn events off too: the hook is removed until they are saved again', async () => {
    await pool().query(`update tenants set settings = '{"approvedStatuses": 42}'::jsonb where id = $1`, [tenantId]);
    expect((await tenantFeaturesOf(pool(), tenantId))!.events.reason).toBe('settings_invalid');
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 1 });
    expect(hooksAtProcore()).toEqual([]);
    await pool().query('update tenants set settings = $2::jsonb where id = $1', [tenantId, JSON.stringify(defaultTenantSettings)]);
    expect(await manager.reconcile()).toEqual({ ensured: 1, removed: 0 });
    expect(hooksAtProcore()).toHaveLength(1);
  });
});
