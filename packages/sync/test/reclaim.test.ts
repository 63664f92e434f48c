import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { claimRun, enqueueRun, finishRun, emptyCounts, reclaimStaleRuns } from '../src';
import { insertTenant } from './helpers';

// #16.7 crash recovery and the cycle order the claim enforces.
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const status = async (id: number) =>
  (await db.pool.query<{ status: string }>('select status from runs where id = $1', [id])).rows[0]!.status;
const done = (id: number, owner: string) =>
  finishRun(db.pool, id, owner, { status: 'succeeded', counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [] });

describe('reclaiming runs of a dead process', () => {
  it('a restarted instance (same id) takes its runs back at once; another instance only after the heartbeat went silent', async () => {
    const t = await insertTenant(db.pool);
    const id = (await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' }))!;
    expect((await claimRun(db.pool, 'host:3000', 300_000))?.id).toBe(id);
    // the lease (5 min) has not lapsed: nobody may claim it
    expect(await claimRun(db.pool, 'other', 300_000)).toBeNull();
    expect(await reclaimStaleRuns(db.pool, 'other')).toEqual([]);
    // the process restarts with the same instance id: the run cannot be alive, it is queued again
    expect(await reclaimStaleRuns(db.pool, 'host:3000')).toEqual([id]);
    expect(await status(id)).toBe('queued');
    // "sync now" right after the restart finds the run queued, and the worker claims it now
    expect(await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'manual' })).toBeNull();
    expect((await claimRun(db.pool, 'other', 300_000))?.id).toBe(id);
    // the old owner's late finish is refused (it lost the lease)
    expect(await done(id, 'host:3000')).toBe(false);

    // a silent heartbeat, well within the lease, lets any instance take over
    await db.pool.query(`update runs set heartbeat_at = now() - interval '60 seconds' where id = $1`, [id]);
    expect(await reclaimStaleRuns(db.pool, 'third')).toEqual([id]);
    expect((await claimRun(db.pool, 'third', 300_000))?.id).toBe(id);
    // a beating run is left alone
    expect(await reclaimStaleRuns(db.pool, 'fourth')).toEqual([]);
    expect(await done(id, 'third')).toBe(true);
  });

  it('a push is not claimed while the upkeep queued before it is due or running', async () => {
    const t = await insertTenant(db.pool);
    const up = (await enqueueRun(db.pool, { tenantId: t, kind: 'upkeep', trigger: 'schedule' }))!;
    const push = (await enqueueRun(db.pool, { tenantId: t, kind: 'push', trigger: 'schedule' }))!;
    expect((await claimRun(db.pool, 'a', 60_000))?.id).toBe(up);
    expect(await claimRun(db.pool, 'b', 60_000)).toBeNull(); // the push waits for the upkeep's links
    expect(await done(up, 'a')).toBe(true);
    expect((await claimRun(db.pool, 'b', 60_000))?.id).toBe(push);
    expect(await done(push, 'b')).toBe(true);
  });
});
