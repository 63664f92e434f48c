import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { drainDue } from '@mycoi/jobs';
import { enqueueTargeted } from '@mycoi/sync';
import { EventCounters, eventRunHandler, RetryLaterError, type EventMetricsPort, type Target, type TargetedEngine } from '../src';
import { insertAcme } from './tenant';

// The targeted-run handler on the job worker and a real database, without the HTTP app: the
// events its run carries are planned, executed through the engine seam (TargetedEngine; what the
// engine does against Procore is tested in @mycoi/sync and through HTTP in apps/api) and settled;
// the gate is asked again at run time; a run that cannot happen now leaves its events to a new run.

let db: Database;
let tenantId: string;
let executed: Target[][];
let engineFails: Error | null;

/** Records what the engine was asked to do. */
const engine: TargetedEngine = {
  async execute(_run, _owner, targets) {
    executed.push(targets);
    if (engineFails) throw engineFails;
    return { stopped: null, procoreWrites: 1, procoreCalls: 1 };
  },
};

/** The prom counters' shape, in memory: what was counted, by name and labels. */
function recordingMetrics(): { port: EventMetricsPort; seen: Map<string, number> } {
  const seen = new Map<string, number>();
  const counter = (name: string) => ({
    inc(labels: Partial<Record<string, string | number>>, value = 1) {
      const key = `${name}${JSON.stringify(labels)}`;
      seen.set(key, (seen.get(key) ?? 0) + value);
    },
  });
  const port: EventMetricsPort = {
    received: counter('received'),
    deduplicated: counter('deduplicated'),
    rejected: counter('rejected'),
    unparsed: counter('unparsed'),
    droppedInactive: counter('droppedInactive'),
    ignoredOwn: counter('ignoredOwn'),
    handled: counter('handled'),
    latency: { observe: (labels) => counter('latency').inc(labels) }, // how many were observed
    targetedRuns: counter('targetedRuns'),
  };
  return { port, seen };
}
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  executed = [];
  engineFails = null;
  await db.pool.query('delete from tenants');
  tenantId = await insertAcme(db.pool);
});

/** Stores myCOI compliance events for vendors and queues the targeted run that carries them. */
async function storeEvents(vendorIds: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, vendor] of vendorIds.entries()) {
    const payload = {
      id: `evt-${i}`,
      type: 'compliance.updated',
      created_at: new Date().toISOString(),
      account_id: 'acct-acme',
      data: { record: { level: 'vendor', vendor_id: vendor, assignment_id: null } },
    };
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into webhook_events (source, event_id, tenant_id, occurred_at, payload, status, handle_after)
       values ('mycoi', $1, $2, now(), $3::jsonb, 'pending', now()) returning id`,
      [`evt-${i}`, tenantId, JSON.stringify(payload)],
    );
    ids.push(Number(rows[0]!.id));
  }
  await enqueueTargeted(db.pool, { tenantId, target: { eventIds: ids } });
  return ids;
}

async function runHandler() {
  const metrics = recordingMetrics();
  const counters = new EventCounters(db.pool, metrics.port, 60_000);
  const handler = eventRunHandler({ pool: db.pool, engine, metrics: metrics.port, counters, logger });
  const done = await drainDue({
    pool: db.pool,
    instanceId: 'events-test',
    leaseMs: 60_000,
    concurrency: 1,
    kinds: ['targeted'],
    handle: handler.handle,
  });
  await counters.flush();
  const events = (
    await db.pool.query<{ status: string; outcome: string | null }>(
      'select status, outcome from webhook_events where tenant_id = $1 order by id',
      [tenantId],
    )
  ).rows;
  const tally = Object.fromEntries(
    (
      await db.pool.query<{ kind: string; count: string }>("select kind, count from event_counters where scope = $1 and source = 'mycoi'", [
        tenantId,
      ])
    ).rows.map((r) => [r.kind, Number(r.count)]),
  );
  return { done, events, tally, settled: handler.settledCount(), seen: metrics.seen };
}

describe('eventRunHandler', () => {
  it("plans the run's events into one push, executes it and settles every event as pushed", async () => {
    await storeEvents(['v2', 'v1', 'v2']);
    const { done, events, tally, settled, seen } = await runHandler();
    expect(done.map((d) => d.outcome.status)).toEqual(['succeeded']);
    expect(executed).toEqual([[{ kind: 'push', vendorIds: ['v1', 'v2'], assignmentIds: [] }]]);
    expect(events).toEqual(Array.from({ length: 3 }, () => ({ status: 'handled', outcome: 'pushed' })));
    expect(settled).toBe(3);
    expect(tally).toEqual({ handled: 3 });
    expect(seen.get('handled{"source":"mycoi","outcome":"pushed"}')).toBe(3);
    expect(seen.get('targetedRuns{"kind":"push"}')).toBe(1);
  });

  it('asks the gate again: a tenant suspended after its events were stored gets nothing executed', async () => {
    await storeEvents(['v1', 'v2']);
    await db.pool.query("update tenants set status = 'suspended' where id = $1", [tenantId]);
    const { done, events, tally } = await runHandler();
    expect(executed).toEqual([]);
    expect(done.map((d) => [d.outcome.status, d.outcome.stopReason])).toEqual([['stopped', 'tenant_inactive']]);
    expect(events).toEqual([
      { status: 'ignored', outcome: 'tenant_inactive' },
      { status: 'ignored', outcome: 'tenant_inactive' },
    ]);
    expect(tally).toEqual({ handled: 2, dropped_inactive: 2 });
    const { rows } = await db.pool.query('select status, stop_reason from runs where tenant_id = $1', [tenantId]);
    expect(rows).toEqual([{ status: 'stopped', stop_reason: 'tenant_inactive' }]);
  });

  it('a run that cannot happen now (budget low) leaves its events pending, carried by a new queued run', async () => {
    const ids = await storeEvents(['v1']);
    engineFails = new RetryLaterError('rate_budget_low', 60_000);
    const { done, events } = await runHandler();
    expect(done.map((d) => d.outcome.stopReason)).toEqual(['rate_budget_low']);
    expect(events).toEqual([{ status: 'pending', outcome: 'rate_budget_low' }]);
    const { rows } = await db.pool.query<{ status: string; target: { eventIds: number[] }; later: boolean }>(
      "select status, target, run_after > now() + interval '50 seconds' as later from runs where tenant_id = $1 order by id",
      [tenantId],
    );
    expect(rows.map((r) => r.status)).toEqual(['stopped', 'queued']);
    expect(rows[1]).toMatchObject({ target: { eventIds: ids }, later: true });
  });

  it('an unreadable payload is settled as such and costs no engine call', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into webhook_events (source, event_id, tenant_id, payload, status, handle_after)
       values ('mycoi', 'bad', $1, '{"type":"compliance.updated"}'::jsonb, 'pending', now()) returning id`,
      [tenantId],
    );
    await enqueueTargeted(db.pool, { tenantId, target: { eventIds: [Number(rows[0]!.id)] } });
    const { done, events } = await runHandler();
    expect(executed).toEqual([]);
    expect(done.map((d) => d.outcome.status)).toEqual(['succeeded']);
    expect(events).toEqual([{ status: 'ignored', outcome: 'unreadable_payload' }]);
  });
});
