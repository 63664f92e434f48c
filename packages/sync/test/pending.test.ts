import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_CHECKPOINT, getCheckpoint, listProblems, markPendingDue } from '../src';
import { createWorld, ourRows, type World } from './setup';

// #12.5: a record that cannot be placed is never passed over by the feed checkpoint.
let w: World;
beforeAll(async () => {
  w = await createWorld({ level: 'both' });
});
afterAll(async () => {
  await w?.close();
});

const pending = async () =>
  (
    await w.db.pool.query<{ owner_key: string }>('select owner_key from sync_pending where tenant_id = $1 order by 1', [w.tenantId])
  ).rows.map((r) => r.owner_key);
const projectRows = () => ourRows(w.procore).filter((i) => i.origin_id!.startsWith('mycoi:p:'));

describe('pending records', () => {
  it('a push before any upkeep keeps the unlinkable assignments pending while the cursor moves on', async () => {
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(projectRows()).toEqual([]);
    expect((await getCheckpoint<{ cursor: string | null }>(w.db.pool, w.tenantId, FEED_CHECKPOINT))?.cursor).toBeTruthy();
    const keys = await pending();
    expect(keys).toEqual(
      expect.arrayContaining(['a:asg_acme_0001', 'a:asg_acme_0002', 'a:asg_acme_0005', 'a:asg_acme_0006', 'v:ven_acme_cascade']),
    );
    expect(r.ctx!.counts.pending).toBe(keys.length);
    const problems = (await listProblems(w.db.pool, w.tenantId)).filter((p) => p.kind === 'not_linked');
    expect(problems.map((p) => p.scope)).toContain('assignment:asg_acme_0001');
    expect(problems.find((p) => p.scope === 'assignment:asg_acme_0001')!.fix).toMatch(/side panel/);
  });

  it('a second push with nothing new does not retry them before they are due', async () => {
    w.mycoi.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(r.ctx!.counts.pendingRetried ?? 0).toBe(0);
    expect(w.mycoi.requests().filter((q) => q.path.startsWith('/v1/compliance/assignments/'))).toEqual([]);
  });

  it('a commitment webhook that teaches a commitment marks the pending records due and queues a push', async () => {
    const r = await w.run('targeted', { commitments: [{ projectId: '5001', id: '900001', since: null }] });
    expect(r.status).toBe('succeeded');
    const queued = await w.db.pool.query<{ trigger: string }>(
      `select trigger from runs where tenant_id = $1 and kind = 'push' and status = 'queued'`,
      [w.tenantId],
    );
    expect(queued.rows).toEqual([{ trigger: 'resume' }]);
    const due = await w.db.pool.query<{ n: number }>(
      'select count(*)::int as n from sync_pending where tenant_id = $1 and due_at <= now()',
      [w.tenantId],
    );
    expect(due.rows[0]!.n).toBeGreaterThanOrEqual(5);
  });

  it('upkeep learns the commitments, marks them due and queues a push that places them', async () => {
    const up = await w.run('upkeep');
    expect(up.status).toBe('succeeded');
    const queued = await w.db.pool.query<{ trigger: string }>(
      `select trigger from runs where tenant_id = $1 and kind = 'push' and status = 'queued'`,
      [w.tenantId],
    );
    expect(queued.rows).toEqual([{ trigger: 'resume' }]);
    const r = await w.run('push'); // runs the queued one
    expect(r.status).toBe('succeeded');
    expect(r.ctx!.counts.pendingPlaced).toBeGreaterThanOrEqual(4);
    for (const a of ['asg_acme_0001', 'asg_acme_0002', 'asg_acme_0003', 'asg_acme_0005']) {
      expect(
        projectRows().some((i) => i.origin_id!.includes(`:a:${a}:`)),
        a,
      ).toBe(true);
    }
    // what is still pending really has no Procore counterpart
    expect(await pending()).toEqual(['a:asg_acme_0006', 'v:ven_acme_cascade']);
    const problems = (await listProblems(w.db.pool, w.tenantId)).filter((p) => p.kind === 'not_linked');
    expect(problems.map((p) => p.scope).sort()).toEqual(['assignment:asg_acme_0006', 'vendor:ven_acme_cascade']);
  });

  it('a link made later (as the side panel does) places the record at the next push', async () => {
    // Cascade HVAC is vendor 70006 in Procore; the panel records the link and marks the record due
    await w.db.pool.query(
      `insert into links (tenant_id, kind, procore_id, mycoi_id, source, created_by) values ($1, 'vendor', '70006', 'ven_acme_cascade', 'linked', 'pat@acme.test')`,
      [w.tenantId],
    );
    expect(await markPendingDue(w.db.pool, w.tenantId, { ownerKeys: ['v:ven_acme_cascade'], mycoiVendorIds: ['ven_acme_cascade'] })).toBe(
      2,
    );
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(ourRows(w.procore).some((i) => i.origin_id!.startsWith('mycoi:v:ven_acme_cascade:') && i.vendor_id === 70006)).toBe(true);
    // its assignment still has no commitment: it stays pending, retried later
    expect(await pending()).toEqual(['a:asg_acme_0006']);
    expect((await listProblems(w.db.pool, w.tenantId)).filter((p) => p.kind === 'not_linked').map((p) => p.scope)).toEqual([
      'assignment:asg_acme_0006',
    ]);
  });

  it('a pending record that disappears from myCOI is forgotten', async () => {
    await w.db.pool.query(`update sync_pending set owner_key = 'a:asg_gone' where tenant_id = $1`, [w.tenantId]);
    await markPendingDue(w.db.pool, w.tenantId);
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(await pending()).toEqual([]);
  });

  it('a record whose level the tenant no longer pushes stops waiting', async () => {
    await w.db.pool.query(
      `insert into sync_pending (tenant_id, owner_key, mycoi_vendor_id, reason, detail, due_at) values ($1, 'a:asg_acme_0006', 'ven_acme_cascade', 'not_linked', 'x', now())`,
      [w.tenantId],
    );
    await w.db.pool.query(`update tenants set compliance_level = 'vendor' where id = $1`, [w.tenantId]);
    expect((await w.run('push')).status).toBe('succeeded');
    expect(await pending()).toEqual([]);
  });
});
