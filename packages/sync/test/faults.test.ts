import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { claimRun, executeRun, type ProcorePort } from '../src';
import { convergence, createWorld, ourRows, type World } from './setup';

let db: Database;
const worlds: World[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(worlds.map((w) => w.close()));
  await db?.close();
});

describe('faults, crashes and inactive tenants', () => {
  it('with 20% 5xx, resets and 429 storms, repeated cycles converge to exactly the desired state', async () => {
    const w = await createWorld({ db, environment: 'local' });
    worlds.push(w);
    const storm = { errorRate: 0.2, errorStatuses: [500, 502, 503], resetRate: 0.1, lostResponseRate: 0.05 };
    w.procore.faults.set(storm);
    w.mycoi.faults.set(storm);
    let upkeepOk = false;
    for (let i = 0; i < 10 && !upkeepOk; i++) upkeepOk = (await w.run('upkeep')).status === 'succeeded';
    expect(upkeepOk).toBe(true);
    const statuses: string[] = [];
    for (let i = 0; i < 25; i++) {
      // the first cycle runs into a 429 storm on top of the errors
      w.procore.faults.set(i === 0 ? { ...storm, rateLimitStorm: true } : storm);
      if (i === 3) {
        // more work under faults: changed policies and a reconcile pass
        for (const target of [{ vendorId: 'ven_acme_bright' }, { assignmentId: 'asg_acme_0001' }]) {
          const lines = w.mycoi.admin.setCompliance(target, {}).coverage_lines;
          w.mycoi.admin.setCompliance(target, { coverage_lines: lines.map((l) => ({ ...l, policy_number: `${l.policy_number}-2` })) });
        }
        await w.db.pool.query(`update sync_tenant_state set last_reconcile_at = now() - interval '2 days' where tenant_id = $1`, [
          w.tenantId,
        ]);
      }
      statuses.push((await w.run('push')).status);
      if (i >= 4 && (await convergence(w)).dirty === 0) break;
    }
    expect(statuses).toContain('succeeded');
    // the faults really happened (the client reports every failed attempt)
    expect(w.attempts).toContain(429);
    expect(w.attempts.some((s) => typeof s === 'number' && s >= 500)).toBe(true);
    expect(w.attempts.some((s) => typeof s === 'string')).toBe(true); // connection resets
    w.procore.faults.clear();
    w.mycoi.faults.clear();
    w.procore.clearRequests();
    expect((await w.run('push')).status).toBe('succeeded');
    const c = await convergence(w);
    expect(c).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
    expect(ourRows(w.procore).length).toBeGreaterThan(20);
    expect(w.procore.requests().filter((r) => r.method !== 'GET' && !r.path.startsWith('/oauth'))).toEqual([]);
  });

  it('a process killed mid-push (Procore applied, ledger not told) converges on restart with no duplicates', async () => {
    let syncCalls = 0;
    let hung: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => (hung = resolve));
    const crashOnce = { armed: true };
    const w = await createWorld({
      db,
      environment: 'sandbox',
      wrapProcore: (p: ProcorePort): ProcorePort => ({
        ...p,
        async syncInsurances(scope, rows) {
          const out = await p.syncInsurances(scope, rows);
          if (crashOnce.armed && ++syncCalls === 2) {
            crashOnce.armed = false;
            hung();
            return new Promise(() => undefined); // the process "dies" here: the answer is never handled
          }
          return out;
        },
      }),
    });
    worlds.push(w);
    expect((await w.run('upkeep')).status).toBe('succeeded');
    void w.run('push'); // never settles
    await hang;
    const applied = ourRows(w.procore).length;
    expect(applied).toBeGreaterThan(0);
    // the dead instance's lease lapses; another instance claims the run and finishes it
    await w.db.pool.query(`update runs set lease_expires_at = now() - interval '1 second' where tenant_id = $1 and status = 'running'`, [
      w.tenantId,
    ]);
    const run = await claimRun(w.db.pool, 'restarted', 60_000);
    expect(run?.tenant_id).toBe(w.tenantId);
    const outcome = await executeRun(w.engine, run!, 'restarted', async () => undefined);
    expect(outcome.status).toBe('succeeded');
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
    const rec = await w.db.pool.query('select attempts, status from runs where id = $1', [run!.id]);
    expect(rec.rows[0]).toEqual({ attempts: 2, status: 'succeeded' });
  });

  it('never touches a tenant that is not active', async () => {
    const w = await createWorld({ db, environment: 'monthly', status: 'suspended' });
    worlds.push(w);
    w.procore.clearRequests();
    w.mycoi.clearRequests();
    const r = await w.run('push');
    expect(r).toMatchObject({ status: 'stopped', stopReason: 'tenant_inactive' });
    expect((await w.run('upkeep')).status).toBe('stopped');
    expect(w.procore.requests()).toEqual([]);
    expect(w.mycoi.requests()).toEqual([]);
    expect(ourRows(w.procore)).toEqual([]);
  });

  it('adds a vendor to the project directory when allowed, and reports it when not', async () => {
    const w = await createWorld({ db, environment: 'production', settings: { addVendorsToProjectDirectory: false } });
    worlds.push(w);
    w.procore.state.removeProjectVendor(5002, 70001);
    expect((await w.run('upkeep')).status).toBe('succeeded');
    const blocked = await w.run('push');
    expect(blocked.ctx!.errors.map((e) => e.code)).toContain('vendor_not_in_project');
    expect(ourRows(w.procore).filter((i) => i.project_id === 5002 && i.vendor_id === 70001)).toEqual([]);
    expect(w.procore.state.isProjectVendor(5002, 70001)).toBe(false);

    await w.db.pool.query(`update tenants set settings = settings || '{"addVendorsToProjectDirectory": true}' where id = $1`, [w.tenantId]);
    w.procore.clearRequests();
    const r = await w.run('push');
    expect(r.status).toBe('succeeded');
    expect(r.ctx!.counts.vendorsAddedToProjects).toBe(1);
    expect(w.procore.state.isProjectVendor(5002, 70001)).toBe(true);
    expect(w.procore.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/vendors/70001/actions/add'))).toHaveLength(1);
    expect(ourRows(w.procore).filter((i) => i.project_id === 5002 && i.vendor_id === 70001).length).toBeGreaterThan(0);
    expect(await convergence(w)).toEqual({ missing: [], extra: [], duplicated: [], wrong: [], dirty: 0 });
  });
});
