import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { claimRun, enqueueRun, finishRun, heartbeat, emptyCounts, recordOutcome, tenantState } from '../src';
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
    const second = await claimRun(db.pool, 'B', 60_000);
    expect(first?.id).toBe(a);
    expect(second?.kind).toBe('upkeep');
    expect(await claimRun(db.pool, 'C', 60_000)).toBeNull();

    // A dies: its lease lapses and C takes the run over; A's heartbeat and finish are then refused
    await db.pool.query(`update runs set lease_expires_at = now() - interval '1 second' where id = $1`, [a]);
    const again = await claimRun(db.pool, 'C', 60_000);
    expect(again?.id).toBe(a);
    expect(again?.attempts).toBe(2);
    expect(await heartbeat(db.pool, a!, 'A', 60_000)).toBe(false);
    const result = { status: 'succeeded' as const, counts: emptyCounts(), calls: 3, writeCalls: 1, errors: [] };
    expect(await finishRun(db.pool, a!, 'A', result)).toBe(false);
    expect(await finishRun(db.pool, a!, 'C', result)).toBe(true);
    // finished: a new one may be queued
    expect(await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' })).toBeTypeOf('number');
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
