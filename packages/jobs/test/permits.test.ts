import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExecutor, RateBudget, upstreamWait } from '@mycoi/http';
import { emptyCounts, enqueueRun, finishRun } from '@mycoi/sync';
import { drainDue, inFlightLimit, Permits, startWorkerLoop, type RunHandler } from '../src';
import { insertTenant } from './tenants';

// SYNC_CONCURRENCY bounds the runs WORKING at once; a run that only waits on its tenant's upstream
// rate limit (upstreamWait, which the HTTP executor calls for budget, Retry-After and backoff
// sleeps) lends its permit, so other tenants' runs go on meanwhile.

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('Permits', () => {
  it('a returning run is served before a new one, and release passes a permit on', async () => {
    const p = new Permits(1);
    await p.acquire();
    const order: string[] = [];
    const starting = p.acquire().then(() => order.push('starting'));
    const returning = p.acquire(true).then(() => order.push('returning'));
    p.release();
    await returning;
    expect(order).toEqual(['returning']);
    expect(p.inUse).toBe(1);
    p.release();
    await starting;
    expect(order).toEqual(['returning', 'starting']);
    p.release();
    expect(p.inUse).toBe(0);
  });

  it('close() wakes every waiter', async () => {
    const p = new Permits(1);
    await p.acquire();
    const waiting = Promise.all([p.acquire(), p.acquire(true)]);
    p.close();
    await expect(waiting).resolves.toBeDefined();
  });

  it('lends the permit while the work waits upstream, holds it again on return, even after a failure', async () => {
    const p = new Permits(1);
    await p.acquire();
    let other = false;
    const work = p.lendWhileWaiting(async () => {
      await upstreamWait(sleep(30)); // meanwhile another run may take the permit…
      expect(other).toBe(true);
      throw new Error('upstream refused');
    });
    await p.acquire(); // …which it does
    other = true;
    p.release();
    await expect(work).rejects.toThrow('upstream refused');
    expect(p.inUse).toBe(1); // held again by the work's caller, who releases it
    p.release();
    expect(p.inUse).toBe(0);
  });

  it('parallel calls of one run share its permit; a straggler still waiting after the run ended leaves it alone', async () => {
    const p = new Permits(2);
    await p.acquire();
    let straggler!: Promise<void>;
    await p.lendWhileWaiting(async () => {
      await Promise.all([upstreamWait(sleep(20)), upstreamWait(sleep(25))]);
      expect(p.inUse).toBe(1);
      straggler = upstreamWait(sleep(30)); // not awaited by the run
    });
    expect(p.inUse).toBe(1);
    p.release();
    await straggler;
    expect(p.inUse).toBe(0);
  });
});

describe('runs waiting on their tenant’s rate limit lend their permit', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.pool.query('delete from tenants');
  });

  async function queueTenants(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await enqueueRun(db.pool, { tenantId: await insertTenant(db.pool, `W${i}`), kind: 'push', trigger: 'schedule' });
    }
  }

  /** Each run works, waits `waitMs` (upstream, or a plain sleep), works again; counts who works at once. */
  function handler(waitUpstream: boolean, waitMs = 120) {
    let working = 0;
    let maxWorking = 0;
    let started = 0;
    let maxStarted = 0;
    const work = async () => {
      working++;
      maxWorking = Math.max(maxWorking, working);
      await sleep(5);
      working--;
    };
    const handle: RunHandler = async (run, owner) => {
      started++;
      maxStarted = Math.max(maxStarted, started);
      await work();
      await (waitUpstream ? upstreamWait(sleep(waitMs)) : sleep(waitMs));
      await work();
      started--;
      await finishRun(db.pool, run.id, owner, { status: 'succeeded', counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [] });
      return { status: 'succeeded', ctx: null, stopReason: null };
    };
    return { handle, maxWorking: () => maxWorking, maxStarted: () => maxStarted };
  }

  const opts = (handle: RunHandler) => ({ pool: db.pool, instanceId: 'P', leaseMs: 60_000, concurrency: 2, kinds: null, handle });

  it('drainDue: at most 2 working, more than 2 started while they wait, at most inFlightLimit(2)', async () => {
    await queueTenants(12);
    const h = handler(true);
    const done = await drainDue(opts(h.handle));
    expect(done).toHaveLength(12);
    expect(h.maxWorking()).toBeLessThanOrEqual(2);
    expect(h.maxStarted()).toBeGreaterThan(2);
    expect(h.maxStarted()).toBeLessThanOrEqual(inFlightLimit(2));
  });

  it('drainDue with the real HTTP executor: a run whose rate budget is spent lends its permit while it waits for the window', async () => {
    // the seam itself: the executor's budget wait (not a test stand-in) is what lends the permit
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await queueTenants(6);
      let working = 0;
      let maxWorking = 0;
      let started = 0;
      let maxStarted = 0;
      const handle: RunHandler = async (run, owner) => {
        started++;
        maxStarted = Math.max(maxStarted, started);
        // each tenant's own budget, spent until the window resets in ~1 s (as at Procore's spike limit)
        const budget = new RateBudget();
        const reset = String(Math.ceil(Date.now() / 1000) + 1);
        budget.update({ 'x-rate-limit-limit': '25', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
        const executor = createExecutor({ service: 'test', baseURL, budget, priority: 'background' });
        const res = await executor.request({ method: 'GET', url: '/ping' }); // sleeps on the budget first
        working++;
        maxWorking = Math.max(maxWorking, working);
        await sleep(5);
        working--;
        started--;
        expect(res.status).toBe(200);
        expect(executor.stats.budgetWaits).toBeGreaterThan(0);
        await finishRun(db.pool, run.id, owner, { status: 'succeeded', counts: emptyCounts(), calls: 1, writeCalls: 0, errors: [] });
        return { status: 'succeeded', ctx: null, stopReason: null };
      };
      const done = await drainDue(opts(handle));
      expect(done).toHaveLength(6);
      expect(maxStarted).toBeGreaterThan(2); // with permits held through the wait it would be 2
      expect(maxWorking).toBeLessThanOrEqual(2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('drainDue: a wait that is not upstream (CPU, database) keeps the permit', async () => {
    await queueTenants(6);
    const h = handler(false, 40);
    const done = await drainDue(opts(h.handle));
    expect(done).toHaveLength(6);
    expect(h.maxStarted()).toBeLessThanOrEqual(2);
  });

  it('the worker loop: the same bounds, and every run finishes', async () => {
    await queueTenants(12);
    const h = handler(true);
    const loop = startWorkerLoop({ ...opts(h.handle), pollMs: 100, logger: { warn() {}, error() {} } });
    loop.wake();
    const end = Date.now() + 20_000;
    for (;;) {
      const { rows } = await db.pool.query<{ n: number }>("select count(*)::int as n from runs where status = 'succeeded'");
      if (rows[0]!.n === 12 || Date.now() > end) break;
      await sleep(20);
    }
    await loop.stop();
    const { rows } = await db.pool.query<{ n: number }>("select count(*)::int as n from runs where status = 'succeeded'");
    expect(rows[0]!.n).toBe(12);
    expect(h.maxWorking()).toBeLessThanOrEqual(2);
    expect(h.maxStarted()).toBeGreaterThan(2);
    expect(h.maxStarted()).toBeLessThanOrEqual(inFlightLimit(2));
  });
});
