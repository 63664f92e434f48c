import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { SyncHistoryQuery } from '@mycoi/contracts';
import { enqueueRun } from '@mycoi/sync';
import { RateBudget } from '@mycoi/http';
import { createSyncService, type SyncService } from '@mycoi/jobs';
import { createMailer } from '../src/mail/mailer';
import { putCredential } from '../src/secrets/store';
import { findTenantById, toView } from '../src/tenants/repo';
import { syncHistory } from '../src/sync-history/history';
import { requestSyncNow, type SyncNowRequester } from '../src/sync-history/sync-now';
import { syncControlOf } from '../src/sync-history/control';
import { createSyncMetrics, registerSyncMetrics } from '../src/scheduler/metrics';
import { Registry } from 'prom-client';

// "Sync now" answers what really happens (issue 16.6): queued, already queued, or blocked with the
// reason — on a real database with the real scheduler service (its worker loop not started, so
// queued runs stay queued and can be inspected).

const silent = { info() {}, warn() {}, error() {} };
const config = loadConfig({ LOG_LEVEL: 'silent' });
let db: Database;
let on: SyncService;
let off: SyncService;

function service(enabled: boolean): SyncService {
  return createSyncService({
    pool: db.pool,
    logger: silent,
    clientsForTenant: async () => {
      throw new Error('no run executes in this test');
    },
    mailer: createMailer({ from: 'sync@mycoi.test', pool: db.pool }),
    config: { procoreAppUrl: 'https://app.procore.com', enabled, phaseSpreadMs: 0 },
  });
}

async function tenant(o: { status?: string; push?: boolean; dmsa?: boolean; mycoi?: boolean } = {}): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into tenants (procore_environment, procore_company_id, name, status, compliance_push, mycoi_account_id)
     values ('local', $1, 'Acme', $2, $3, 'acct-acme') returning id`,
    [String(1000 + Math.floor(Math.random() * 1e6)), o.status ?? 'active', o.push ?? true],
  );
  const id = rows[0]!.id;
  if (o.dmsa ?? true)
    await putCredential(db.pool, config.encryption, {
      tenantId: id,
      kind: 'procore_dmsa',
      clientId: 'dmsa-client',
      clientSecret: 'dmsa-secret',
    });
  if (o.mycoi ?? true)
    await putCredential(db.pool, config.encryption, {
      tenantId: id,
      kind: 'mycoi_service',
      clientId: 'mycoi-client',
      clientSecret: 'mycoi-secret',
    });
  return id;
}

const tester: SyncNowRequester = { actor: { kind: 'ops', id: 'tester', ip: null }, action: 'ops.sync_now' };
const view = async (id: string) => toView(db.pool, (await findTenantById(db.pool, id))!);
const ask = async (id: string, s: SyncService = on) => requestSyncNow(db.pool, await view(id), s, tester);
const queued = async (id: string) =>
  (await db.pool.query<{ n: number }>("select count(*)::int as n from runs where tenant_id = $1 and status = 'queued'", [id])).rows[0]!.n;

beforeAll(async () => {
  db = await createTestDatabase();
  on = service(true);
  off = service(false);
});
afterAll(async () => {
  await db?.close();
});

describe('sync now tells the truth', () => {
  it('queues a push and an upkeep once; a second request queues nothing and says so', async () => {
    const id = await tenant();
    const first = await ask(id);
    expect(first).toMatchObject({ outcome: 'queued', reason: null, blockedUntil: null });
    expect(first.message).toContain('starts within a few seconds');
    expect(first.runIds).toHaveLength(2);
    const second = await ask(id);
    expect(second).toMatchObject({ outcome: 'already_queued', runIds: first.runIds });
    expect(second.message).toContain('starts within a few seconds');
    expect(await queued(id)).toBe(2);
    const h = await syncHistory(db.pool, await view(id), on, SyncHistoryQuery.parse({}));
    expect(h).toMatchObject({ state: 'queued', inProgress: true, syncNow: { allowed: false } });
  });

  it('brings a scheduled run waiting for its slot forward instead of making the user wait for it', async () => {
    const id = await tenant();
    const later = new Date(Date.now() + 3600_000);
    const runId = await enqueueRun(db.pool, { tenantId: id, kind: 'push', trigger: 'schedule', runAfter: later });
    const r = await ask(id);
    expect(r.outcome).toBe('queued');
    expect(r.runIds).toContain(runId);
    // the first test's two runs are still waiting: the answer does not promise "within seconds"
    expect(r.message).toContain('after 2 run(s) of other companies already waiting');
    const { rows } = await db.pool.query<{ run_after: Date }>('select run_after from runs where id = $1', [runId]);
    expect(rows[0]!.run_after.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a run waiting for Procore’s rate limit to reset: already queued, until when and why', async () => {
    const id = await tenant();
    const reset = new Date(Date.now() + 20 * 60_000);
    await enqueueRun(db.pool, { tenantId: id, kind: 'push', trigger: 'resume', runAfter: reset });
    await enqueueRun(db.pool, { tenantId: id, kind: 'upkeep', trigger: 'resume', runAfter: reset });
    const r = await ask(id);
    expect(r.outcome).toBe('already_queued');
    expect(r.message).toContain(reset.toISOString());
    expect(r.message).toContain('rate limit');
  });

  it('blocked, with the reason, when nothing could run', async () => {
    const cases: [string, Promise<string>, SyncService, string][] = [
      ['tenant_inactive', tenant({ status: 'suspended' }), on, 'suspended'],
      ['tenant_inactive', tenant({ status: 'awaiting_activation' }), on, 'not active yet'],
      ['push_off', tenant({ push: false }), on, 'Compliance push is turned off'],
      ['credentials_missing', tenant({ dmsa: false }), on, 'Procore DMSA credentials are missing'],
      ['credentials_missing', tenant({ mycoi: false }), on, 'myCOI account or credentials are missing'],
      ['scheduler_off', tenant(), off, 'Syncing is turned off on this service'],
    ];
    for (const [reason, idP, s, words] of cases) {
      const id = await idP;
      const r = await ask(id, s);
      expect(r, reason).toMatchObject({ outcome: 'blocked', reason, runIds: [] });
      expect(r.message, reason).toContain(words);
      expect(await queued(id), reason).toBe(0);
      const h = await syncHistory(db.pool, await view(id), s, SyncHistoryQuery.parse({}));
      expect(h.syncNow, reason).toEqual({ allowed: false, reason, message: r.message });
    }
  });

  it('blocked until the backoff ends after failed runs', async () => {
    const id = await tenant();
    const until = new Date(Date.now() + 10 * 60_000);
    await db.pool.query('insert into sync_tenant_state (tenant_id, consecutive_failures, backoff_until) values ($1, 1, $2)', [id, until]);
    const r = await ask(id);
    expect(r).toMatchObject({ outcome: 'blocked', reason: 'backoff', blockedUntil: until.toISOString() });
    expect(r.message).toContain('The last run failed');
    expect(await queued(id)).toBe(0);
  });

  it('blocked until the Procore rate window resets when too little of it is left for a run', async () => {
    const id = await tenant();
    // the client's real RateBudget, fed by Procore's rate headers: 10 calls left, reset in 10 minutes
    const budget = new RateBudget();
    const resetSec = Math.floor(Date.now() / 1000) + 600;
    budget.update({ 'x-rate-limit-limit': '3600', 'x-rate-limit-remaining': '10', 'x-rate-limit-reset': String(resetSec) });
    const control = syncControlOf(on, async () => budget.snapshot(), 50);
    const r = await requestSyncNow(db.pool, await view(id), control, tester);
    expect(r).toMatchObject({ outcome: 'blocked', reason: 'rate_limited', blockedUntil: new Date(resetSec * 1000).toISOString() });
    expect(r.message).toContain('rate limit');
    expect(await queued(id)).toBe(0);
    // a fresh window: the same request queues
    budget.update({ 'x-rate-limit-limit': '3600', 'x-rate-limit-remaining': '3600', 'x-rate-limit-reset': String(resetSec + 3600) });
    expect((await requestSyncNow(db.pool, await view(id), control, tester)).outcome).toBe('queued');
    // a spent short (10 s) window is waited out within a run: not a reason to refuse
    const short = new RateBudget();
    short.update({
      'x-rate-limit-limit': '25',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 5),
    });
    const third = await tenant();
    expect(
      (
        await requestSyncNow(
          db.pool,
          await view(third),
          syncControlOf(on, async () => short.snapshot(), 50),
          tester,
        )
      ).outcome,
    ).toBe('queued');
    // no client for the tenant (e.g. its credentials cannot be read): not a rate answer
    const other = await tenant();
    const broken = syncControlOf(on, async () => Promise.reject(new Error('no credentials')), 50);
    expect((await requestSyncNow(db.pool, await view(other), broken, tester)).outcome).toBe('queued');
  });

  it('the queue gauges of /metrics read the runs table: due runs by kind and the oldest one’s wait', async () => {
    // no worker runs here, so the runs queued by the tests above are still waiting
    const registry = new Registry();
    registerSyncMetrics(createSyncMetrics(db.pool), registry);
    const { rows } = await db.pool.query<{ kind: string; n: number }>(
      "select kind, count(*)::int as n from runs where status = 'queued' and run_after <= now() group by kind",
    );
    const text = await registry.metrics();
    for (const kind of ['push', 'upkeep']) {
      const want = rows.find((r) => r.kind === kind)?.n ?? 0;
      expect(want, kind).toBeGreaterThan(0);
      expect(text).toContain(`sync_queue_depth{kind="${kind}"} ${want}`);
    }
    expect(text).toContain('sync_queue_depth{kind="targeted"} 0');
    const age = Number(/^sync_oldest_due_run_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThan(0);
  });

  it('the history query refuses bad paging', () => {
    expect(SyncHistoryQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(SyncHistoryQuery.safeParse({ limit: '101' }).success).toBe(false);
    expect(SyncHistoryQuery.safeParse({ before: '-1' }).success).toBe(false);
    expect(SyncHistoryQuery.parse({ limit: '5', before: '9' })).toEqual({ limit: 5, before: 9 });
  });
});
