import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import {
  claimRun,
  enqueueHooks,
  enqueueRun,
  enqueueTargeted,
  nextDueInMs,
  reclaimStaleRuns,
  finishRun,
  heartbeat,
  emptyCounts,
  recordOutcome,
  tenantState,
} from '../src';
import { insertTenant } from './helpers';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('runs table', () => {
  it('allows one active run per tenant and kind, claims it once, and re-claims it when its lease lapses', async () => {
    const t = await insertTenant(db.pool);
    const a = await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'schedule', slot: 's1' });
    expect(a).toBeTypeOf('number');
    expect(await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' })).toBeNull();
    expect(await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'schedule' })).toBeTypeOf('number');

    const first = await claimRun(db.pool, 'A', 60_000);
    expect(first?.id).toBe(a);
    // one run per tenant at a time: the upkeep waits while the push is going
    expect(await claimRun(db.pool, 'B', 60_000)).toBeNull();

    // A dies: its lease lapses and C takes the run over; A's heartbeat and finish are then refused
    await db.pool.query(`update runs set lease_expires_at = now() - interval '1 second' where id = $1`, [a]);
    const again = await claimRun(db.pool, 'C', 60_000);
    expect(again?.id).toBe(a);
    expect(again?.attempts).toBe(2);
    expect(await heartbeat(db.pool, a!, 'A', 60_000)).toBe(false);
    const result = { status: 'succeeded' as const, counts: emptyCounts(), calls: 3, writeCalls: 1, errors: [] };
    expect(await finishRun(db.pool, a!, 'A', result)).toBe(false);
    expect(await finishRun(db.pool, a!, 'C', result)).toBe(true);
    // finished: the tenant's upkeep may run now, and a new push may be queued
    expect((await claimRun(db.pool, 'B', 60_000))?.kind).toBe('upkeep');
    expect(await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' })).toBeTypeOf('number');
  });

  it('never lets one tenant run twice, even past the claim check (unique index), while other tenants run alongside', async () => {
    const t = await insertTenant(db.pool);
    const u = await insertTenant(db.pool);
    const push = await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' });
    const upkeep = await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'manual' });
    const other = await enqueueRun(db.pool, { tenantId: u, kind: 'push', trigger: 'manual' });
    await db.pool.query(`update runs set status = 'running' where id = $1`, [push]);
    // a second running row of the tenant (a claimer racing past the check) is what the index refuses;
    // asked through ON CONFLICT so the refusal is an answer, not an error (PGlite's test connection
    // does not survive a failed statement; claimRun's 23505 retry is raced on PostgreSQL in packages/jobs)
    const second = await db.pool.query(
      `insert into runs (tenant_id, kind, status) values ($1, 'targeted', 'running') on conflict (tenant_id) where status = 'running' do nothing returning id`,
      [t],
    );
    expect(second.rows).toEqual([]);
    expect(await claimRun(db.pool, 'Y', 60_000, ['upkeep'])).toBeNull();
    expect(upkeep).toBeTypeOf('number');
    expect((await claimRun(db.pool, 'X', 60_000))?.id).toBe(other);
    await db.pool.query(`update runs set status = 'succeeded' where id = any($1::bigint[])`, [[push, upkeep, other]]);
  });

  it('coalesces targeted work into one queued run per tenant; a running one leaves new work to a new run', async () => {
    const t = await insertTenant(db.pool);
    const soon = new Date(Date.now() + 60_000);
    const a = await enqueueTargeted(db.pool, { tenantId: t, target: { eventIds: [2, 1] }, runAfter: soon });
    const b = await enqueueTargeted(db.pool, {
      tenantId: t,
      target: { eventIds: [3, 2], vendorIds: ['v1'] },
      runAfter: new Date(Date.now() + 120_000),
    });
    expect(b).toBe(a);
    const row = (await db.pool.query('select target, run_after from runs where id = $1', [a])).rows[0];
    expect(row.target).toEqual({ eventIds: [1, 2, 3], vendorIds: ['v1'] });
    expect(row.run_after.getTime()).toBe(soon.getTime()); // a later event never delays the run
    // only targeted runs: a claimer limited to push finds nothing, not even when due
    await db.pool.query('update runs set run_after = now() where id = $1', [a]);
    expect(await claimRun(db.pool, 'P', 60_000, ['push'])).toBeNull();
    expect((await claimRun(db.pool, 'T', 60_000, ['targeted']))?.id).toBe(a);
    const c = await enqueueTargeted(db.pool, { tenantId: t, target: { eventIds: [4] } });
    expect(c).not.toBe(a);
    expect(await claimRun(db.pool, 'T2', 60_000)).toBeNull(); // waits for the running one
  });

  it("the worker's next due time leaves out runs of a tenant with a run going (they cannot be claimed: no spinning)", async () => {
    await db.pool.query("update runs set status = 'succeeded' where status in ('queued', 'running')");
    const t = await insertTenant(db.pool);
    const running = await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'manual' });
    await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' });
    expect(await nextDueInMs(db.pool)).toBe(0);
    await db.pool.query(`update runs set status = 'running' where id = $1`, [running]);
    expect(await nextDueInMs(db.pool)).toBeNull();
    const u = await insertTenant(db.pool);
    await enqueueRun(db.pool, { tenantId: u, kind: 'push', trigger: 'manual', runAfter: new Date(Date.now() + 60_000) });
    expect(await nextDueInMs(db.pool)).toBeGreaterThan(50_000);
    expect(await nextDueInMs(db.pool, ['targeted'])).toBeNull();
  });

  it('a targeted run left running by a dead process keeps its row but is taken over at once (the tenant may have a new one queued)', async () => {
    await db.pool.query("update runs set status = 'succeeded' where status in ('queued', 'running')");
    const t = await insertTenant(db.pool);
    const dead = await enqueueTargeted(db.pool, { tenantId: t, target: { eventIds: [1] } });
    expect((await claimRun(db.pool, 'dead', 300_000))?.id).toBe(dead);
    const queued = await enqueueTargeted(db.pool, { tenantId: t, target: { eventIds: [2] } });
    await db.pool.query("update runs set heartbeat_at = now() - interval '1 minute' where id = $1", [dead]);
    expect(await reclaimStaleRuns(db.pool, 'alive', 45_000)).toEqual([dead]);
    const taken = await claimRun(db.pool, 'alive', 60_000);
    expect([taken?.id, taken?.attempts]).toEqual([dead, 2]);
    // the queued one waits for it: one run per tenant
    expect(await claimRun(db.pool, 'other', 60_000)).toBeNull();
    expect(queued).not.toBe(dead);
  });

  it('keeps one queued hook job per tenant: a newer request replaces its action', async () => {
    const t = await insertTenant(db.pool);
    const a = await enqueueHooks(db.pool, { tenantId: t, action: 'ensure', trigger: 'manual' });
    expect(await enqueueHooks(db.pool, { tenantId: t, action: 'remove', trigger: 'manual' })).toBe(a);
    const { rows } = await db.pool.query('select kind, status, target from runs where tenant_id = $1', [t]);
    expect(rows).toEqual([{ kind: 'hooks', status: 'queued', target: { action: 'remove' } }]);
  });

  it('backs a failing tenant off and clears it on success', async () => {
    const t = await insertTenant(db.pool);
    await recordOutcome(db.pool, t, false);
    await recordOutcome(db.pool, t, false);
    const s = await tenantState(db.pool, t);
    expect(s?.consecutive_failures).toBe(2);
    expect(s!.backoff_until!.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    await recordOutcome(db.pool, t, true);
    expect((await tenantState(db.pool, t))?.backoff_until).toBeNull();
  });
});
