import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantEventsSummary } from '@mycoi/contracts';
import { listProblems } from '@mycoi/sync';
import type { HookManager } from '@mycoi/events';
import { createMailer } from '../src/mail/mailer';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import type { Agent } from './tenants-harness';
import { demoAgents } from './support/agents';
import { startTestServer, type TestServer } from './support/server';
import { demoSyncService } from './support/sync';
import { otherInstanceHooks } from './support/hooks';
import { until } from './support/until';

// Issue 11.5: Procore refuses the contract triggers. The hook must not count as registered, the
// tenant must show "Commitment events missing" (sync problems for the consoles, the hook's missing
// triggers for ops), the two-hourly cycle must still pick up commitments, and the next repair pass
// must register the triggers once Procore accepts them.

const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
const CONTRACTS = ['Work Order Contracts', 'Purchase Order Contracts'];
let ts: TestServer;
let tenantId: string;
let manager: HookManager;
let opsUser: Agent;

const pool = () => ts.running.db.pool;
// the cycle also records other problems of the demo data (e.g. a myCOI vendor with no Procore link)
const hookProblems = async () => (await listProblems(pool(), tenantId)).filter((p) => p.kind === 'hooks_missing');
const hookRow = async () =>
  (
    await pool().query<{ state: string; missing_triggers: string[]; trigger_count: number }>(
      'select state, missing_triggers, trigger_count from procore_hooks where tenant_id = $1',
      [tenantId],
    )
  ).rows[0];
async function opsEvents(): Promise<TenantEventsSummary> {
  const res = await opsUser.get(`/api/ops/tenants/${tenantId}/events`);
  expect(res.status).toBe(200);
  return TenantEventsSummary.parse(res.body);
}

beforeAll(async () => {
  ts = await startTestServer({ procore: { webhooks: { refuseTriggers: [...CONTRACTS] } } });
  tenantId = await insertDemoTenant(pool(), ts.running.config.encryption);
  manager = otherInstanceHooks(ts);
  ({ ops: opsUser } = await demoAgents(ts));
}, 60_000);
afterAll(async () => {
  await ts?.close();
});

describe('webhook triggers read back after registration', () => {
  it('refused contract triggers: the hook is incomplete and the tenant shows "Commitment events missing"', async () => {
    await applyTransition(pool(), tenantId, 'activate', ops);
    const row = await until('the hook recorded', async () => {
      const r = await hookRow();
      return r && r.state !== 'pending' ? r : null;
    });
    expect(row.state).toBe('incomplete');
    expect(row.missing_triggers.sort()).toEqual([
      'Purchase Order Contracts|create',
      'Purchase Order Contracts|delete',
      'Purchase Order Contracts|update',
      'Work Order Contracts|create',
      'Work Order Contracts|delete',
      'Work Order Contracts|update',
    ]);
    expect(row.trigger_count).toBe(4); // vendors and projects were registered

    const problems = await hookProblems();
    expect(problems.map((p) => [p.kind, p.scope, p.title])).toEqual([['hooks_missing', 'hooks:commitment', 'Commitment events missing']]);
    expect(problems[0]!.detail).toMatch(/Work Order Contracts create/);
    expect(problems[0]!.detail).toMatch(/next two-hourly sync/);
    expect(problems[0]!.fix).toMatch(/Webhooks API tool at Standard/);

    const summary = await opsEvents();
    expect(summary.hook).toMatchObject({ state: 'incomplete', triggerCount: 4 });
    expect(summary.hook!.missingTriggers).toContain('Work Order Contracts|update');
    expect(summary.hook!.lastError).toMatch(/not available for this company/);
  });

  it('the cycle still covers commitments: an approval with no event reaches myCOI through upkeep', async () => {
    const inMycoi = () => ts.mycoi.state.vendors.ofAccount('acct-acme').find((v) => v.external_id === '70008');
    expect(inMycoi()).toBeUndefined();
    ts.procore.admin.updateCommitment(900009, { status: 'Approved' }, 101);
    await ts.procore.webhooks.idle();
    const events = await pool().query("select 1 from webhook_events where tenant_id = $1 and source = 'procore'", [tenantId]);
    expect(events.rows).toEqual([]); // no trigger, no event

    const sync = demoSyncService({
      pool: pool(),
      urls: { procore: ts.procore.url, mycoi: ts.mycoi.url },
      mailer: createMailer({ from: 'sync@mycoi.test', pool: pool() }),
      instanceId: 'hooks-test',
    });
    // activation may already have queued the first upkeep and push: queue what is missing, run all due
    await sync.syncNow(tenantId);
    const done = await sync.drain();
    expect(done.find((d) => d.run.kind === 'upkeep')?.outcome.status).toBe('succeeded');
    expect(inMycoi()?.name).toBe('Redwood Drywall Partners');
  });

  it('the repair pass retries: once Procore accepts the triggers the hook is registered and the problem clears', async () => {
    // still refused: the repair pass keeps it incomplete
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
    expect((await hookRow())!.state).toBe('incomplete');
    ts.procore.config.webhooks.refuseTriggers = [];
    expect(await manager.reconcile()).toEqual({ ensured: 1, removed: 0 });
    const row = (await hookRow())!;
    expect([row.state, row.missing_triggers, row.trigger_count]).toEqual(['registered', [], 10]);
    expect(await hookProblems()).toEqual([]);
    // a registered, recently verified hook is left alone by the next pass
    expect(await manager.reconcile()).toEqual({ ensured: 0, removed: 0 });
  });

  it('a trigger Procore accepts but does not keep is found by reading back', async () => {
    const hook = [...ts.procore.state.hooks.values()].find((h) => h.destination_url === `${ts.url}/webhooks/procore/${tenantId}`)!;
    for (const t of [...ts.procore.state.triggers.values()])
      if (t.webhook_hook_id === hook.id && t.resource_name === 'Purchase Order Contracts') ts.procore.state.triggers.delete(t.id);
    ts.procore.config.webhooks.loseTriggers = ['Purchase Order Contracts'];
    try {
      expect(await manager.ensure(tenantId)).toBe('incomplete');
      expect((await hookRow())!.missing_triggers.sort()).toEqual([
        'Purchase Order Contracts|create',
        'Purchase Order Contracts|delete',
        'Purchase Order Contracts|update',
      ]);
      expect((await hookProblems()).map((p) => p.title)).toEqual(['Commitment events missing']);
      expect((await hookProblems())[0]!.detail).toMatch(/accepted the triggers but they were not there when read back/);
    } finally {
      ts.procore.config.webhooks.loseTriggers = [];
    }
    expect(await manager.ensure(tenantId)).toBe('registered');
    expect(await hookProblems()).toEqual([]);
  });

  it('no webhook permission at all: every kind of event is reported missing', async () => {
    const install = ts.procore.state.apps.get('demo-dmsa-client')!.installations.get(1001)!;
    const saved = install.permissions.company!.webhooks;
    delete install.permissions.company!.webhooks;
    try {
      expect(await manager.ensure(tenantId)).toBe('failed');
      expect((await hookProblems()).map((p) => p.title).sort()).toEqual([
        'Commitment events missing',
        'Project events missing',
        'Vendor events missing',
      ]);
    } finally {
      install.permissions.company!.webhooks = saved;
    }
    expect(await manager.ensure(tenantId)).toBe('registered');
    expect(await hookProblems()).toEqual([]);
  });

  it('registrations that meet (activation, boot check, repair) leave one hook, registered', async () => {
    const url = `${ts.url}/webhooks/procore/${tenantId}`;
    const ours = () => [...ts.procore.state.hooks.values()].filter((h) => h.destination_url === url);
    // start from no hook at Procore, as after a sandbox reset
    for (const h of ours()) ts.procore.state.hooks.delete(h.id);
    expect(await Promise.all([manager.ensure(tenantId), manager.ensure(tenantId), manager.ensure(tenantId)])).toEqual([
      'registered',
      'registered',
      'registered',
    ]);
    expect(ours()).toHaveLength(1);
    expect((await hookRow())!.state).toBe('registered');
  });
});
