import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WANTED_TRIGGERS } from '@mycoi/events';
import { PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';

// The whole service against both sandboxes over loopback HTTP: Procore delivers real v2 webhooks
// to our receiver (with the Authorization value we registered), myCOI signs real compliance.updated
// events, and the sync engine writes to the Procore sandbox. Procore runs at its documented limits
// (3,600 an hour, 25 per 10 s): hook registration, event runs and the side of the scheduler share
// one token and pace themselves to it.

const MYCOI_SECRET = 'e2e-mycoi-webhook-secret-0123456789';
const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
let ts: TestServer;
let tenantId: string;

/** Waits for a condition that depends on asynchronous delivery; fails with `what` after 20 s. */

const pool = () => ts.running.db.pool;
const destination = () => `${ts.url}/webhooks/procore/${tenantId}`;
const ourHooks = () => [...ts.procore.state.hooks.values()].filter((h) => h.destination_url === destination());
async function counter(source: string, kind: string): Promise<number> {
  const { rows } = await pool().query<{ count: number }>(
    'select count from event_counters where scope = $1 and source = $2 and kind = $3',
    [tenantId, source, kind],
  );
  return Number(rows[0]?.count ?? 0);
}

/** Everything delivered and handled: no webhook in flight at either sandbox, no event pending here. */
async function quiet(): Promise<void> {
  await ts.procore.webhooks.idle();
  await ts.mycoi.admin.flushWebhooks();
  await until(
    'no pending events',
    async () => (await pool().query("select 1 from webhook_events where status = 'pending'")).rows.length === 0,
  );
}

beforeAll(async () => {
  ts = await startTestServer({
    env: { MYCOI_WEBHOOK_SECRET: MYCOI_SECRET, EVENTS_COALESCE_MS: '100' },
    procore: { rateLimit: PROCORE_LIMITS },
  });
  tenantId = await insertDemoTenant(pool(), ts.running.config.encryption);
  ts.mycoi.admin.setWebhook({ url: `${ts.url}/webhooks/mycoi`, secret: MYCOI_SECRET, backoffMs: 50 });
});
afterAll(async () => {
  await ts?.close();
});

describe('events end to end (both sandboxes)', () => {
  it('activation registers the hook with its triggers in the tenant company', async () => {
    await applyTransition(pool(), tenantId, 'activate', ops);
    // registered = hook created AND its triggers read back (paced with the first push on one budget)
    await until('the hook registered', async () => {
      const r = await pool().query<{ state: string }>('select state from procore_hooks where tenant_id = $1', [tenantId]);
      return r.rows[0]?.state === 'registered';
    });
    const hook = await until('the hook', () => ourHooks()[0]);
    expect(hook.namespace).toBe('mycoi-procore');
    expect(hook.owned_by_company_id).toBe(1001);
    expect(hook.destination_headers.Authorization).toMatch(/^Bearer [\w-]{43}$/);
    const triggers = [...ts.procore.state.triggers.values()].filter((t) => t.webhook_hook_id === hook.id);
    const names = new Set(triggers.map((t) => `${t.resource_name}/${t.event_type.toLowerCase()}`));
    for (const r of ['Work Order Contracts', 'Purchase Order Contracts', 'Company Vendors', 'Projects']) {
      expect(names.has(`${r}/create`) && names.has(`${r}/update`), r).toBe(true);
    }
    // only triggers Procore offers: no refused (422) trigger left as an error on the hook
    expect(names.has('Projects/delete')).toBe(false);
    const { rows } = await pool().query('select state, service_user_id, last_error from procore_hooks where tenant_id = $1', [tenantId]);
    expect(rows[0]).toEqual({ state: 'registered', service_user_id: '9001', last_error: null });
    // the hook job's run shows the Procore calls it spent of the tenant's budget: the hook and each
    // trigger created, and at least the reads around them (me, hooks, triggers, read back)
    const job = await pool().query<{ calls: number; write_calls: number }>(
      "select calls, write_calls from runs where tenant_id = $1 and kind = 'hooks' and status = 'succeeded' order by id limit 1",
      [tenantId],
    );
    expect(job.rows[0]?.write_calls).toBe(1 + WANTED_TRIGGERS.length);
    expect(job.rows[0]?.calls).toBeGreaterThanOrEqual(1 + WANTED_TRIGGERS.length + 4);
  });

  it('registration is idempotent: activating again reuses the hook', async () => {
    const before = ourHooks().map((h) => h.id);
    const triggers = ts.procore.state.triggers.size;
    // resume → active runs the registration again
    await applyTransition(pool(), tenantId, 'suspend', ops);
    await applyTransition(pool(), tenantId, 'resume', ops);
    expect(ourHooks().map((h) => h.id)).toEqual(before);
    expect(ts.procore.state.triggers.size).toBe(triggers);
  });

  it('a coverage line changed in myCOI shows in the Procore insurance row', async () => {
    const line = {
      type: 'general_liability' as const,
      carrier: 'Travelers',
      policy_number: 'GL-E2E',
      effective_date: '2026-01-01',
      expiration_date: '2099-01-01',
    };
    const rowFor = () =>
      [...ts.procore.state.insurances.values()].find(
        (i) => i.vendor_id === 70002 && typeof i.origin_id === 'string' && i.origin_id.startsWith('mycoi:') && i.policy_number === 'GL-E2E',
      );
    ts.mycoi.admin.setCompliance(
      { vendorId: 'ven_acme_summit' },
      { status: 'finalized_compliant', coverage_lines: [{ ...line, status: 'compliant' }] },
    );
    await until('the compliant row', () => rowFor()?.status === 'compliant');
    ts.mycoi.admin.setCompliance(
      { vendorId: 'ven_acme_summit' },
      { status: 'finalized_non_compliant', coverage_lines: [{ ...line, status: 'non_compliant' }] },
    );
    await until('the non-compliant row', () => rowFor()?.status === 'non_compliant');
    const { rows } = await pool().query<{ kind: string; trigger: string; n: number }>(
      "select kind, trigger, count(*)::int as n from runs where tenant_id = $1 and kind = 'targeted' group by kind, trigger",
      [tenantId],
    );
    expect(rows).toEqual([{ kind: 'targeted', trigger: 'event', n: expect.any(Number) }]);
    await until('the counters written (batched each second)', async () => (await counter('mycoi', 'received')) >= 2);
    const lat = await pool().query<{ n: number }>(
      "select count(*)::int as n from webhook_events where source = 'mycoi' and latency_ms is not null",
    );
    expect(lat.rows[0]!.n).toBeGreaterThanOrEqual(1);
    // the same runs and latencies in /metrics
    const metrics = await (await fetch(`${ts.url}/metrics`)).text();
    const n = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? 0);
    expect(n(/^sync_runs_total\{kind="targeted",outcome="succeeded"\} (\d+)/m)).toBe(rows[0]!.n);
    expect(n(/^event_latency_seconds_count\{source="mycoi"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
  });

  it('an approved commitment gets its vendor created and linked in myCOI', async () => {
    const inMycoi = () => ts.mycoi.state.vendors.ofAccount('acct-acme').find((v) => v.external_id === '70008');
    expect(inMycoi()).toBeUndefined();
    ts.procore.admin.updateCommitment(900009, { status: 'Approved' }, 101);
    const vendor = await until('the myCOI vendor', () => inMycoi());
    expect(vendor.name).toBe('Redwood Drywall Partners');
    const link = await until(
      'the link',
      async () =>
        (await pool().query("select mycoi_id from links where tenant_id = $1 and kind = 'vendor' and procore_id = '70008'", [tenantId]))
          .rows[0],
    );
    expect(link.mycoi_id).toBe(vendor.id);
  });

  it('our own changes coming back from Procore do not loop', async () => {
    await quiet();
    const runs = async () =>
      Number((await pool().query<{ n: number }>('select count(*)::int as n from runs where tenant_id = $1', [tenantId])).rows[0]!.n);
    const before = await runs();
    const ignored = await counter('procore', 'ignored_own');
    // what Procore sends after our DMSA wrote to a commitment (its user and application)
    ts.procore.emit({
      companyId: 1001,
      projectId: 5001,
      resourceName: 'Work Order Contracts',
      resourceId: 900001,
      eventType: 'update',
      userId: 9001,
      applicationId: 'demo-dmsa-client',
    });
    await until('the ignored event', async () => (await counter('procore', 'ignored_own')) > ignored);
    await quiet();
    expect(await runs()).toBe(before);
    const { rows } = await pool().query<{ status: string; outcome: string }>(
      "select status, outcome from webhook_events where source = 'procore' order by id desc limit 1",
    );
    expect(rows[0]).toEqual({ status: 'ignored', outcome: 'own_change' });
  });

  it('deactivation removes the hook from Procore', async () => {
    expect(ourHooks()).toHaveLength(1);
    const hookId = ourHooks()[0]!.id;
    await applyTransition(pool(), tenantId, 'deactivate', ops);
    await until('the hook removed', () => ourHooks().length === 0);
    expect([...ts.procore.state.triggers.values()].some((t) => t.webhook_hook_id === hookId)).toBe(false);
    const { rows } = await pool().query('select state, hook_id from procore_hooks where tenant_id = $1', [tenantId]);
    expect(rows[0]).toEqual({ state: 'removed', hook_id: null });
  });

  it("stayed within Procore's documented limits: every caller on the tenant's token paced, none was throttled", () => {
    const rest = ts.procore.requests().filter((r) => r.path.startsWith('/rest/'));
    // the suite did press against the spike window: more calls than background callers may spend in
    // one (25 less the 2 they leave to the side panel), the last ones after a wait for the reset
    expect(rest.length).toBeGreaterThan(PROCORE_LIMITS.spike10s - 2);
    expect(rest.filter((r) => r.status === 429)).toEqual([]);
  });
});
