import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import { listMigrations, migrate, type Database } from '@mycoi/db';

// The upgrade to the one job queue (migration 090) on a database that has what the old code left:
// two runs of one tenant running at once (a targeted run overlapping the cycle), a targeted run
// parked by the old events worker, and events still pending. After it: one running run per tenant,
// the parked run ended, and the pending events carried by one queued targeted run (none lost).

let db: Database;
let tenant: string;
const all = listMigrations();
const before = all.filter((m) => m.id < '090');

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  await migrate(db.pool, before);
  tenant = (
    await db.pool.query<{ id: string }>(
      "insert into tenants (procore_company_id, name, status, procore_environment) values ('1001', 'Old', 'active', 'local') returning id",
    )
  ).rows[0]!.id;
  await db.pool.query(
    `insert into runs (tenant_id, kind, status, trigger, run_after, target) values
       ($1, 'push', 'running', 'schedule', now(), null),
       ($1, 'targeted', 'running', 'event', now(), '{"vendorIds": ["v1"]}'),
       ($1, 'targeted', 'queued', 'event', now() + interval '1 hour', '{"vendorIds": ["v2"]}'),
       ($1, 'upkeep', 'running', 'schedule', now(), null)`,
    [tenant],
  );
  await db.pool.query(
    `insert into webhook_events (source, event_id, tenant_id, payload, status, handle_after, lease_owner, lease_expires_at) values
       ('mycoi', 'e1', $1, '{}', 'pending', now(), 'events-old', now() + interval '1 minute'),
       ('mycoi', 'e2', $1, '{}', 'pending', now() + interval '1 second', null, null),
       ('mycoi', 'e3', $1, '{}', 'handled', now(), null, null)`,
    [tenant],
  );
});
afterAll(async () => {
  await db?.close();
});

describe('migration 090 (one job queue)', () => {
  it('keeps one running run per tenant, ends parked runs and queues the pending events', async () => {
    const applied = await migrate(db.pool, all);
    expect(applied).toContain('090_jobs_queue');
    const runs = await db.pool.query<{ kind: string; status: string; target: unknown }>(
      'select kind, status, target from runs where tenant_id = $1 order by id',
      [tenant],
    );
    const events = await db.pool.query<{ id: number; lease_owner: string | null }>(
      "select id::int, lease_owner from webhook_events where status = 'pending' order by id",
    );
    expect(runs.rows).toEqual([
      { kind: 'push', status: 'running', target: null },
      { kind: 'targeted', status: 'stopped', target: { vendorIds: ['v1'] } },
      { kind: 'targeted', status: 'stopped', target: { vendorIds: ['v2'] } },
      { kind: 'upkeep', status: 'queued', target: null },
      { kind: 'targeted', status: 'queued', target: { eventIds: events.rows.map((e) => e.id) } },
    ]);
    expect(events.rows.map((e) => e.lease_owner)).toEqual([null, null]);
  });
});
