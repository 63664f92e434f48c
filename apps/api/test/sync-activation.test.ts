import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';

// runs at Procore's documented limits take longer than the helper's default wait
const untilLong = <T>(what: string, probe: () => T | Promise<T>) => until(what, probe, 60_000);

// #12.6: activation (and resume) start the first push at once, not at the next cron slot. The
// whole service runs with its scheduler on and a cron slot far away (SYNC_CRON yearly), so only
// the activation can have queued the runs. The elapsed time is printed (no timed assertion).

const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
let ts: TestServer;
let tenantId: string;
const pool = () => ts.running.db.pool;
const ourRows = () => [...ts.procore.state.insurances.values()].filter((i) => i.origin_id?.startsWith('mycoi:'));

beforeAll(async () => {
  ts = await startTestServer({ env: { SYNC_ENABLED: 'true', SYNC_CRON: '0 0 1 1 *' } });
  const ring = ts.running.config.encryption;
  tenantId = await insertDemoTenant(pool(), ring, { compliance_level: 'both' });
});
afterAll(async () => {
  await ts?.close();
});

describe('activation starts the first push at once', () => {
  it('activate → rows in Procore without waiting for a cron slot', async () => {
    expect(ourRows()).toEqual([]);
    const t0 = Date.now();
    await applyTransition(pool(), tenantId, 'activate', ops);
    await untilLong('first rows in Procore', () => ourRows().length > 0);
    const firstRowMs = Date.now() - t0;
    const done = await untilLong('the first push finished', async () => {
      const { rows } = await pool().query<{ status: string }>(
        `select status from runs where tenant_id = $1 and kind = 'push' and status not in ('queued', 'running')`,
        [tenantId],
      );
      return rows[0]?.status;
    });
    const pushDoneMs = Date.now() - t0;
    expect(done).toBe('succeeded');
    // (the hook registration is a job of the same queue too: kind 'hooks')
    const runs = await pool().query<{ kind: string; trigger: string }>(
      "select kind, trigger from runs where tenant_id = $1 and kind in ('upkeep', 'push') order by id",
      [tenantId],
    );
    expect(runs.rows.slice(0, 2)).toEqual([
      { kind: 'upkeep', trigger: 'manual' },
      { kind: 'push', trigger: 'manual' },
    ]);
    expect(ourRows().some((i) => i.project_id !== null)).toBe(true); // commitment level in the first push too
    console.log(`[bench] activate → first Procore row: ${firstRowMs} ms; first push finished: ${pushDoneMs} ms (${ourRows().length} rows)`);
  }, 90_000);

  it('resume after a suspension queues runs with trigger "resume" and runs them at once', async () => {
    await applyTransition(pool(), tenantId, 'suspend', ops);
    const before = (await pool().query<{ n: number }>('select max(id)::int as n from runs')).rows[0]!.n;
    const t0 = Date.now();
    await applyTransition(pool(), tenantId, 'resume', ops);
    const finished = await untilLong('the resumed push', async () => {
      const { rows } = await pool().query<{ status: string; trigger: string }>(
        `select status, trigger from runs where tenant_id = $1 and kind = 'push' and id > $2 and status not in ('queued', 'running')`,
        [tenantId, before],
      );
      return rows[0];
    });
    expect(finished).toEqual({ status: 'succeeded', trigger: 'resume' });
    console.log(`[bench] resume → push finished: ${Date.now() - t0} ms`);
  }, 90_000);
});
