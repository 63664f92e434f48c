import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { emptyCounts, enqueueRun, enqueueTargeted, finishRun, type RunRow } from '@mycoi/sync';
import { drainDue, type RunHandler, type WorkerOptions } from '../src';
import { insertTenant } from './tenants';

// The queue's rules on a real database (PGlite, or PostgreSQL 15 with DATABASE_URL: there the
// pool's connections really claim at the same time). The run handler is the seam: it records what
// ran when and finishes the run the way the engine does; what a run does is tested in @mycoi/sync.

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

const tenant = insertTenant;

interface Span {
  run: RunRow;
  owner: string;
  start: number;
  end: number;
}

/** A handler that takes `ms(run)` of waiting (as runs do on upstream HTTP) and records its span. */
function recorder(ms: (run: RunRow) => number) {
  const spans: Span[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const handle: RunHandler = async (run, owner) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const start = performance.now();
    await new Promise((r) => setTimeout(r, ms(run)));
    const end = performance.now();
    inFlight--;
    spans.push({ run, owner, start, end });
    await finishRun(db.pool, run.id, owner, { status: 'succeeded', counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [] });
    return { status: 'succeeded', ctx: null, stopReason: null };
  };
  return { spans, handle, maxInFlight: () => maxInFlight };
}

const worker = (instanceId: string, concurrency: number, handle: RunHandler): WorkerOptions => ({
  pool: db.pool,
  instanceId,
  leaseMs: 60_000,
  concurrency,
  kinds: null,
  handle,
});

function overlaps(spans: Span[]): string[] {
  const byTenant = new Map<string, Span[]>();
  for (const s of spans) byTenant.set(s.run.tenant_id, [...(byTenant.get(s.run.tenant_id) ?? []), s]);
  const bad: string[] = [];
  for (const list of byTenant.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.end) bad.push(`${list[i - 1]!.run.id}/${list[i]!.run.id}`);
  }
  return bad;
}

describe('job worker', () => {
  it('two instances run many tenants concurrently, each run once, never two of one tenant at once, upkeep before push', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const t = await tenant(db.pool, `T${i}`);
      ids.push(t);
      await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'schedule' });
      await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'schedule' });
      await enqueueTargeted(db.pool, { tenantId: t, target: { vendorIds: [`v${i}`] } });
    }
    const rec = recorder(() => 15);
    const [a, b] = await Promise.all([drainDue(worker('A', 3, rec.handle)), drainDue(worker('B', 3, rec.handle))]);
    const ran = [...a, ...b].map((x) => x.run.id);
    expect(ran).toHaveLength(36);
    expect(new Set(ran).size).toBe(36);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(overlaps(rec.spans)).toEqual([]);
    expect(rec.maxInFlight()).toBeGreaterThan(1);
    expect(rec.maxInFlight()).toBeLessThanOrEqual(6);
    for (const t of ids) {
      const mine = rec.spans.filter((s) => s.run.tenant_id === t);
      const upkeep = mine.find((s) => s.run.kind === 'upkeep')!;
      const push = mine.find((s) => s.run.kind === 'push')!;
      expect(push.start).toBeGreaterThanOrEqual(upkeep.end);
    }
    // the table agrees: per tenant, each run started after the previous one finished
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from runs r join runs o on o.tenant_id = r.tenant_id and o.id <> r.id
        where r.started_at < o.finished_at and o.started_at < r.finished_at`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('a large tenant holds one slot: small tenants all finish while its long run is going', async () => {
    const big = await tenant(db.pool, 'Big');
    await enqueueRun(db.pool, { tenantId: big, kind: 'push', trigger: 'schedule', runAfter: new Date(Date.now() - 60_000) });
    await enqueueRun(db.pool, { tenantId: big, kind: 'upkeep', trigger: 'schedule', runAfter: new Date(Date.now() - 60_000) });
    const small: string[] = [];
    for (let i = 0; i < 8; i++) {
      const t = await tenant(db.pool, `S${i}`);
      small.push(t);
      await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'schedule' });
    }
    const rec = recorder((run) => (run.tenant_id === big ? 400 : 10));
    const done = await drainDue(worker('A', 2, rec.handle));
    expect(done).toHaveLength(10);
    const bigSpans = rec.spans.filter((s) => s.run.tenant_id === big);
    const firstBig = bigSpans.sort((x, y) => x.start - y.start)[0]!;
    const smallEnd = Math.max(...rec.spans.filter((s) => small.includes(s.run.tenant_id)).map((s) => s.end));
    // the big tenant's other run waited for its first; the small ones used the free slot meanwhile
    expect(smallEnd).toBeLessThan(firstBig.end);
    expect(overlaps(rec.spans)).toEqual([]);
  });

  it('a handler that throws ends its run as failed and frees the tenant for its next run', async () => {
    const t = await tenant(db.pool, 'Crashy');
    const first = await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'manual' });
    await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' });
    const rec = recorder(() => 1);
    const handle: RunHandler = async (run, owner) => {
      if (run.id === first) throw new Error('database hiccup');
      return rec.handle(run, owner);
    };
    const done = await drainDue(worker('A', 2, handle));
    expect(done.map((d) => [d.run.kind, d.outcome.status])).toEqual([
      ['upkeep', 'failed'],
      ['push', 'succeeded'],
    ]);
    const { rows } = await db.pool.query<{ status: string; stop_reason: string | null }>(
      'select status, stop_reason from runs where tenant_id = $1 order by id',
      [t],
    );
    expect(rows).toEqual([
      { status: 'failed', stop_reason: 'run_failed' },
      { status: 'succeeded', stop_reason: null },
    ]);
  });

  it('a claimer limited to targeted runs leaves push and upkeep queued (SYNC_ENABLED=false)', async () => {
    const t = await tenant(db.pool, 'Off');
    await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' });
    await enqueueTargeted(db.pool, { tenantId: t, target: { eventIds: [1] } });
    const rec = recorder(() => 1);
    const done = await drainDue({ ...worker('A', 2, rec.handle), kinds: ['targeted'] });
    expect(done.map((d) => d.run.kind)).toEqual(['targeted']);
    const { rows } = await db.pool.query<{ kind: string; status: string }>(
      'select kind, status from runs where tenant_id = $1 order by id',
      [t],
    );
    expect(rows).toEqual([
      { kind: 'push', status: 'queued' },
      { kind: 'targeted', status: 'succeeded' },
    ]);
  });
});
