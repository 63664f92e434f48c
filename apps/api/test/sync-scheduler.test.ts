import { startMailbox, type Mailbox } from './support/mailbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { phaseMs, type SyncService, type SyncServiceConfig } from '@mycoi/jobs';
import { defaultTenantSettings } from '@mycoi/contracts';
import { createMailer } from '../src/mail/mailer';
import { demoSyncService } from './support/sync';

let db: Database;
let procore: ProcoreSandbox;
let mycoi: MycoiSandbox;
let mailbox: Mailbox;
const tenants: string[] = [];

function service(instanceId: string, config: Partial<SyncServiceConfig> = {}): SyncService {
  const mailer = createMailer({ smtpUrl: mailbox.url, from: 'sync@mycoi.test', pool: db.pool });
  return demoSyncService({ pool: db.pool, urls: { procore: procore.url, mycoi: mycoi.url }, mailer, instanceId, config });
}

beforeAll(async () => {
  [db, procore, mycoi] = await Promise.all([
    createTestDatabase(),
    createProcoreSandbox({ seed: 'demo', rateLimit: { hourly: 100_000, spike10s: 10_000 } }),
    createMycoiSandbox({ seed: 'demo' }),
  ]);
  mailbox = await startMailbox();
  // two active tenants on the one demo company, at different levels so their rows never overlap,
  // and one suspended tenant that must never be scheduled
  for (const [env, level, status, recipients] of [
    ['local', 'vendor', 'active', ['risk@acme.test']],
    ['sandbox', 'commitment', 'active', []],
    ['monthly', 'both', 'suspended', []],
  ] as const) {
    const r = await db.pool.query<{ id: string }>(
      `insert into tenants (procore_environment, procore_company_id, name, status, compliance_level, settings)
       values ($1, '1001', 'Acme Builders', $2, $3, $4::jsonb) returning id`,
      [env, status, level, JSON.stringify({ ...defaultTenantSettings, digestRecipients: recipients })],
    );
    tenants.push(r.rows[0]!.id);
  }
});
afterAll(async () => {
  await mailbox?.close();
  await Promise.all([procore?.close(), mycoi?.close()]);
  await db?.close();
});

describe('scheduler: two instances on one database', () => {
  it('one instance claims the slot and enqueues; together they run each tenant once per slot', async () => {
    const a = service('instance-a');
    const b = service('instance-b');
    const slot = new Date(Math.floor(Date.now() / 7200_000) * 7200_000 - 4 * 3600_000); // a past slot: runs are due
    const queued = await Promise.all([a.tick(slot), b.tick(slot)]);
    expect(queued.sort()).toEqual([0, 4]); // 2 active tenants × (push + upkeep); the suspended one is skipped
    const claims = await db.pool.query('select slot_key, owner from cron_slots');
    expect(claims.rows).toHaveLength(1);
    expect(claims.rows[0].slot_key).toBe(`sync:${slot.toISOString()}`);

    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    const ran = [...ra, ...rb].map((x) => `${x.run.tenant_id}:${x.run.kind}`).sort();
    expect(ran).toEqual([`${tenants[0]}:push`, `${tenants[0]}:upkeep`, `${tenants[1]}:push`, `${tenants[1]}:upkeep`].sort());
    const rows = await db.pool.query<{ tenant_id: string; kind: string; status: string; slot: string }>(
      'select tenant_id, kind, status, slot from runs order by id',
    );
    expect(rows.rows.every((r) => r.status === 'succeeded' && r.slot === `sync:${slot.toISOString()}`)).toBe(true);
    expect(rows.rows.filter((r) => r.tenant_id === tenants[2])).toEqual([]);

    // a late tick of the same slot on either instance does nothing
    expect(await b.tick(slot)).toBe(0);
    expect(await a.tick(slot)).toBe(0);
    expect(await a.drain()).toEqual([]);
  });

  it('the digest went out over SMTP once, with the unmatched items', async () => {
    expect(mailbox.mails).toHaveLength(1);
    const m = mailbox.mails[0]!;
    expect((m.to as { text: string }).text).toBe('risk@acme.test');
    expect(m.subject).toMatch(/\d+ project\(s\) and \d+ commitment\(s\) not in myCOI/);
    // projects and commitments myCOI already has (external ids) are linked, not listed
    expect(m.text).toContain('Harbor Warehouse');
    expect(m.text).not.toContain('Riverside Medical Center');
    expect(m.html).toContain('https://app.procore.com/5003/project/home');
    // the next slot's upkeep finds the same set: no new mail
    const a = service('instance-a');
    expect(await a.tick(new Date(Math.floor(Date.now() / 7200_000) * 7200_000 - 2 * 3600_000))).toBe(4);
    expect((await a.drain()).map((x) => x.outcome.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(mailbox.mails).toHaveLength(1);
  });

  it('spreads tenants by a stable phase and delays a backing-off tenant', async () => {
    const spread = 3600_000;
    const t = { id: tenants[0]!, phaseSeconds: 0 };
    expect(phaseMs(t, spread)).toBe(phaseMs(t, spread));
    expect(phaseMs(t, spread)).toBeGreaterThanOrEqual(0);
    expect(phaseMs(t, spread)).toBeLessThan(spread);
    expect(phaseMs({ id: 'x', phaseSeconds: 90 }, spread)).toBe(90_000);

    const until = new Date(Date.now() + 3 * 3600_000);
    await db.pool.query(
      `insert into sync_tenant_state (tenant_id, consecutive_failures, backoff_until) values ($1, 3, $2)
       on conflict (tenant_id) do update set consecutive_failures = 3, backoff_until = $2`,
      [tenants[1], until],
    );
    const s = service('instance-c', { phaseSpreadMs: spread });
    const slot = new Date(Date.now() - 1000);
    expect(await s.tick(slot)).toBe(4);
    const q = await db.pool.query<{ tenant_id: string; run_after: Date }>(`select tenant_id, run_after from runs where status = 'queued'`);
    for (const r of q.rows) {
      if (r.tenant_id === tenants[1]) expect(r.run_after.getTime()).toBe(until.getTime());
      else expect(r.run_after.getTime()).toBe(slot.getTime() + phaseMs({ id: r.tenant_id, phaseSeconds: 0 }, spread));
    }
    // nothing is due yet for the backing-off tenant; the other one runs once its phase has come
    const ran = await s.drain();
    expect(ran.every((x) => x.run.tenant_id !== tenants[1])).toBe(true);
  });

  it('syncNow queues both kinds once; runTenant takes the queued run and refuses while one is running', async () => {
    await db.pool.query(`update runs set status = 'stopped' where status in ('queued', 'running')`);
    const s = service('instance-d');
    const ids = await s.syncNow(tenants[0]!);
    expect(ids).toHaveLength(2);
    expect(await s.syncNow(tenants[0]!)).toEqual([]);
    // the push syncNow queued is the one runTenant runs (no second push), the upkeep stays queued
    const pushed = await s.runTenant(tenants[0]!, 'push');
    expect(pushed?.status).toBe('succeeded');
    const pushes = await db.pool.query(`select status from runs where tenant_id = $1 and kind = 'push' and id = any($2::bigint[])`, [
      tenants[0]!,
      ids,
    ]);
    expect(pushes.rows).toEqual([{ status: 'succeeded' }]);
    // a run of the kind already running elsewhere is refused
    await db.pool.query(
      `update runs set status = 'running', lease_owner = 'other', lease_expires_at = now() + interval '5 minutes' where id = any($1::bigint[]) and kind = 'upkeep'`,
      [ids],
    );
    expect(await s.runTenant(tenants[0]!, 'upkeep')).toBeNull();
    await db.pool.query(
      `update runs set status = 'queued', lease_owner = null, lease_expires_at = null where id = any($1::bigint[]) and kind = 'upkeep'`,
      [ids],
    );
    const ran = await s.drain();
    expect(ran.map((x) => `${x.run.kind}:${x.outcome.status}`)).toEqual(['upkeep:succeeded']);
    const now = await s.runTenant(tenants[0]!, 'push');
    expect(now?.status).toBe('succeeded');
  });
});
