import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueRun } from '@mycoi/sync';
import { insertDemoTenant } from './support/tenants';
import { applyTransition } from '../src/tenants/transitions';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';

// Issue 15's acceptance test, through the whole service and both sandboxes over loopback HTTP: a
// burst of myCOI webhooks arrives while the tenant's two-hour cycle is running. The one job queue
// must not start the event run alongside the cycle (never two runs of one tenant at once), and
// must lose no change: every event handled, the Procore sandbox showing the last state of each.

const MYCOI_SECRET = 'burst-mycoi-webhook-secret-0123456789';
const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
// myCOI vendor → its Procore vendor (the demo seed links them by external_id)
const VENDORS = new Map([
  ['ven_acme_bright', 70001],
  ['ven_acme_summit', 70002],
  ['ven_acme_harbor', 70003],
  ['ven_acme_greenline', 70004],
  ['ven_acme_peak', 70005],
]);
const STATUSES = ['compliant', 'non_compliant', 'compliant', 'non_compliant', 'compliant', 'non_compliant'] as const;
let ts: TestServer;
let tenantId: string;
const pool = () => ts.running.db.pool;

interface RunSpan {
  id: number;
  kind: string;
  status: string;
  started_at: Date | null;
  finished_at: Date | null;
}
const runsOf = async () =>
  (
    await pool().query<RunSpan>('select id, kind, status, started_at, finished_at from runs where tenant_id = $1 order by started_at, id', [
      tenantId,
    ])
  ).rows;
const idle = async () =>
  (await pool().query("select 1 from runs where tenant_id = $1 and status in ('queued', 'running')", [tenantId])).rows.length === 0 &&
  (await pool().query("select 1 from webhook_events where status = 'pending'")).rows.length === 0;

beforeAll(async () => {
  ts = await startTestServer({
    // the scheduler's worker runs here (SYNC_ENABLED), four runs at once, events coalesced over 50 ms
    env: { MYCOI_WEBHOOK_SECRET: MYCOI_SECRET, EVENTS_COALESCE_MS: '50', SYNC_ENABLED: 'true', SYNC_CONCURRENCY: '4' },
  });
  tenantId = await insertDemoTenant(pool(), ts.running.config.encryption);
  ts.mycoi.admin.setWebhook({ url: `${ts.url}/webhooks/mycoi`, secret: MYCOI_SECRET, backoffMs: 50 });
  // activation queues the first upkeep and push; let them and the hook registration finish
  await applyTransition(pool(), tenantId, 'activate', ops);
  await until('the first cycle', async () => (await runsOf()).filter((r) => r.status === 'succeeded').length >= 2 && (await idle()));
});
afterAll(async () => {
  await ts?.close();
});

describe('one job queue: a webhook burst during a running cycle', () => {
  it('runs no two runs of the tenant at once and loses no change', async () => {
    // a slow Procore keeps the cycle's upkeep going while the burst arrives
    ts.procore.faults.set({ latencyMs: 300 });
    await enqueueRun(pool(), { tenantId, kind: 'upkeep', trigger: 'manual' });
    await enqueueRun(pool(), { tenantId, kind: 'push', trigger: 'manual' });
    const cycle = await until('the cycle running', async () =>
      (await runsOf()).find((r) => r.status === 'running' && r.kind !== 'targeted'),
    );

    const last = new Map<string, string>();
    let n = 0;
    for (const status of STATUSES) {
      for (const vendorId of VENDORS.keys()) {
        ts.mycoi.admin.setCompliance(
          { vendorId },
          {
            status: 'finalized_compliant',
            coverage_lines: [{ type: 'general_liability', carrier: 'Burst Mutual', policy_number: `BURST-${vendorId}`, status }],
          },
        );
        last.set(vendorId, status);
        n++;
      }
    }
    await ts.mycoi.admin.flushWebhooks(); // every delivery answered 2xx, i.e. stored
    const stored = await pool().query<{ n: number }>(
      "select count(*)::int as n from webhook_events where source = 'mycoi' and status = 'pending'",
    );
    expect(stored.rows[0]!.n).toBeGreaterThan(0);
    // the premise: the whole burst is stored while the cycle still runs, and its run waits
    const during = (await runsOf()).find((r) => r.id === cycle.id)!;
    expect(during.status).toBe('running');
    const waiting = await pool().query<{ status: string }>(
      "select status from runs where tenant_id = $1 and kind = 'targeted' and status in ('queued', 'running')",
      [tenantId],
    );
    expect(waiting.rows).toEqual([{ status: 'queued' }]);

    ts.procore.faults.clear();
    await until('every run and event settled', idle, 60_000);

    // no overlap: each run of the tenant starts after the one before it finished
    const spans = (await runsOf()).filter((r) => r.started_at);
    for (let i = 1; i < spans.length; i++) {
      expect(
        spans[i]!.started_at!.getTime(),
        `run ${spans[i]!.id} (${spans[i]!.kind}) overlaps run ${spans[i - 1]!.id}`,
      ).toBeGreaterThanOrEqual(spans[i - 1]!.finished_at!.getTime());
    }
    // the event run came after the cycle it waited for
    const after = spans.filter((r) => r.kind === 'targeted' && r.started_at!.getTime() >= during.started_at!.getTime());
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after[0]!.started_at!.getTime()).toBeGreaterThanOrEqual((await runsOf()).find((r) => r.id === cycle.id)!.finished_at!.getTime());

    // no lost change: every event handled, Procore shows each vendor's last state
    const events = await pool().query<{ status: string; n: number }>(
      "select status, count(*)::int as n from webhook_events where source = 'mycoi' group by status",
    );
    expect(events.rows).toEqual([{ status: 'handled', n: expect.any(Number) }]);
    for (const [vendorId, status] of last) {
      const row = [...ts.procore.state.insurances.values()].find(
        (i) => i.vendor_id === VENDORS.get(vendorId) && i.policy_number === `BURST-${vendorId}`,
      );
      expect(row?.status, vendorId).toBe(status);
    }
    expect(n).toBe(STATUSES.length * VENDORS.size);
  });
});
