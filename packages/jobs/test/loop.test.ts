import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { emptyCounts, enqueueRun, enqueueTargeted, finishRun, type RunRow } from '@mycoi/sync';
import { startWorkerLoop, type RunHandler } from '../src';
import { insertTenant } from './tenants';

// The background worker of two instances on one database: idle slots sleep on the doorbell, one
// polls; work queued here is woken at once, work due later is picked up when due (not before),
// runs queued behind a busy tenant follow as soon as it is free. The handler is the seam.

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const silent = { warn() {}, error() {} };
const until = async (what: string, probe: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('worker loop', () => {
  it('two instances drain a queue of many tenants, one run per tenant at a time, a later run only when due', async () => {
    const spans: { run: RunRow; owner: string; start: number; end: number }[] = [];
    const handle: RunHandler = async (run, owner) => {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 10));
      spans.push({ run, owner, start, end: Date.now() });
      await finishRun(db.pool, run.id, owner, { status: 'succeeded', counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [] });
      return { status: 'succeeded', ctx: null, stopReason: null };
    };
    const loops = ['A', 'B'].map((id) =>
      startWorkerLoop({ pool: db.pool, instanceId: id, leaseMs: 60_000, concurrency: 3, kinds: null, handle, pollMs: 200, logger: silent }),
    );
    const tenants: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await insertTenant(db.pool, `L${i}`);
      tenants.push(id);
      await enqueueRun(db.pool, { tenantId: id, kind: 'upkeep', trigger: 'schedule' });
      await enqueueRun(db.pool, { tenantId: id, kind: 'push', trigger: 'schedule' });
    }
    const dueAt = new Date(Date.now() + 400);
    const later = await enqueueTargeted(db.pool, { tenantId: tenants[0]!, target: { vendorIds: ['v'] }, runAfter: dueAt });
    for (const l of loops) l.wake();
    await until('every run finished', async () => {
      const { rows } = await db.pool.query("select 1 from runs where status in ('queued', 'running') limit 1");
      return rows.length === 0;
    });
    await Promise.all(loops.map((l) => l.stop()));

    expect(spans).toHaveLength(21);
    expect(new Set(spans.map((s) => s.run.id)).size).toBe(21);
    expect(new Set(spans.map((s) => s.owner))).toEqual(new Set(['A', 'B']));
    const late = spans.find((s) => s.run.id === later)!;
    expect(late.start).toBeGreaterThanOrEqual(dueAt.getTime());
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from runs r join runs o on o.tenant_id = r.tenant_id and o.id <> r.id
        where r.started_at < o.finished_at and o.started_at < r.finished_at`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
