import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCORE_LIMITS } from '@mycoi/procore-sandbox';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { claimRun, executeRun } from '../src';
import { convergence, createWorld, ourRows, type World } from './setup';

// The engine at Procore's documented limits (3,600 an hour, 25 per 10 s per token): spike windows
// are waited out inside a run, only a nearly spent hour stops it, and a 429 storm costs its
// Retry-After, not the hour its headers name.

let db: Database;
const worlds: World[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(worlds.map((w) => w.close()));
  await db?.close();
});

const queuedPush = async (w: World) =>
  (
    await w.db.pool.query<{ trigger: string; run_after: Date }>(
      `select trigger, run_after from runs where tenant_id = $1 and kind = 'push' and status = 'queued'`,
      [w.tenantId],
    )
  ).rows;

describe("at Procore's documented limits", () => {
  it('cycles on one token pace through spike windows without a stop or a 429, and converge', async () => {
    const w = await createWorld({
      db,
      environment: 'local',
      level: 'both',
      settings: { commitmentStatus: true },
      procore: { rateLimit: PROCORE_LIMITS },
      shareProcoreClient: true,
    });
    worlds.push(w);
    w.procore.clearRequests();
    const outcomes = [];
    outcomes.push(await w.run('upkeep'));
    outcomes.push(await w.run('push'));
    // a reconcile pass and an upkeep on the same token: well over 25 calls within seconds
    await w.db.pool.query(`update sync_tenant_state set last_reconcile_at = now() - interval '2 days' where tenant_id = $1`, [w.tenantId]);
    outcomes.push(await w.run('push'));
    outcomes.push(await w.run('upkeep'));
    // and another vendor changed in myCOI: one more push
    const lines = w.mycoi.admin.setCompliance({ vendorId: 'ven_acme_bright' }, {}).coverage_lines;
    w.mycoi.admin.setCompliance(
      { vendorId: 'ven_acme_bright' },
      { coverage_lines: lines.map((l) => ({ ...l, policy_number: `${l.policy_number}-2` })) },
    );
    outcomes.push(await w.run('push'));
    outcomes.push(await w.run('upkeep'));
    expect(outcomes.map((o) => [o.status, o.stopReason])).toEqual(Array(6).fill(['succeeded', null]));
    const calls = w.procore.requests().filter((r) => r.path.startsWith('/rest/')).length;
    expect(calls).toBeGreaterThan(PROCORE_LIMITS.spike10s);
    expect(w.budgetWaits()).toBeGreaterThan(0); // it waited for a spike window…
    expect(w.attempts.filter((s) => s === 429)).toEqual([]); // …instead of being throttled
    expect(await queuedPush(w)).toEqual([]);
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
  }, 120_000);

  it('stops only when the HOUR is nearly spent, queues its continuation for the reset, and finishes then', async () => {
    // an hour nearly used up by other work on the same token, spike limit as documented
    const hourly = 20;
    const w = await createWorld({
      db,
      environment: 'sandbox',
      procore: { rateLimit: { hourly, spike10s: PROCORE_LIMITS.spike10s } },
      shareProcoreClient: true,
    });
    worlds.push(w);
    w.engine.budgetReserve = 3;
    const first = await w.run('upkeep');
    expect([first.status, first.stopReason]).toEqual(['succeeded', null]);
    const other = w.clients().procore;
    for (let i = 0; i < hourly; i++) {
      const b = other.rateBudget();
      if (b && b.limit === hourly && b.remaining <= 4) break;
      await other.listProjects();
    }
    expect(other.rateBudget()).toMatchObject({ limit: hourly, remaining: 4 }); // the hour is the nearer limit now
    const stopped = await w.run('push');
    expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'rate_budget_low' });
    const queued = await queuedPush(w);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.trigger).toBe('resume');
    expect(queued[0]!.run_after.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000); // the hourly reset
    expect((await convergence(w)).dirty).toBeGreaterThan(0);
    expect(w.attempts.filter((s) => s === 429)).toEqual([]); // it stopped before Procore throttled it
    // the hour passes (the sandbox's clock, and a client whose view of the window ended with it);
    // the queued continuation finishes the push
    w.procore.admin.advanceTime(3600);
    w.forgetProcoreClient();
    const resumed = await w.run('push');
    expect(resumed.status).toBe('succeeded');
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
  }, 60_000);

  it('a 429 storm whose headers claim the hour is spent: the writes resume within a minute of the storm', async () => {
    const w = await createWorld({ db, environment: 'monthly', procore: { rateLimit: PROCORE_LIMITS }, shareProcoreClient: true });
    worlds.push(w);
    expect((await w.run('upkeep')).status).toBe('succeeded');
    w.procore.faults.set({ rateLimitStorm: true });
    const during = await w.run('push');
    // the storm outlasted the client's throttle waits: a clean stop, continuation at Retry-After
    expect(during).toMatchObject({ status: 'stopped', stopReason: 'rate_budget_low' });
    expect(w.attempts).toContain(429);
    const stormEnded = Date.now();
    w.procore.faults.clear();
    const queued = await queuedPush(w);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.run_after.getTime()).toBeLessThan(stormEnded + 60_000);
    expect(ourRows(w.procore)).toEqual([]);
    // the scheduler claims it when due (no run_after shortcut), and the same client — whose budget
    // saw the storm — sends one probe, then the writes
    let run = await claimRun(w.db.pool, 'after-storm', 60_000);
    while (!run) {
      await new Promise((r) => setTimeout(r, 200));
      run = await claimRun(w.db.pool, 'after-storm', 60_000);
    }
    expect(run.tenant_id).toBe(w.tenantId);
    expect(Date.now()).toBeLessThan(stormEnded + 60_000);
    const resumed = await executeRun(w.engine, run, 'after-storm', async () => undefined);
    expect(resumed.status).toBe('succeeded');
    expect(ourRows(w.procore).length).toBeGreaterThan(0);
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
  }, 90_000);
});
