import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { drainDue } from '@mycoi/jobs';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { createProcoreSandbox } from '@mycoi/procore-sandbox';
import { HOOK_NAMESPACE, HookManager, hookJobHandler, queueHookJob, WANTED_TRIGGERS, type HookClients } from '../src';
import { insertAcme } from './tenant';

// Hook registration, removal and the gate's "no hook" as jobs of the one queue, against the strict
// Procore sandbox over HTTP and a real database: each job's row in `runs` records the Procore calls
// it made (they spend the tenant's rate budget like a sync run's), and they are exactly the calls
// the sandbox received for the tenant's company.

type Sandbox = Awaited<ReturnType<typeof createProcoreSandbox>>;
let db: Database;
let procore: Sandbox;
let hooks: HookManager;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  procore = await createProcoreSandbox({ port: 0, seed: 'demo' });
  const hosts = { baseUrl: procore.url };
  const client = createProcoreClient({
    hosts,
    token: dmsaTokenProvider(createOAuthClient({ hosts }), { clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' }),
    // short backoff: the fault case below retries a few times
    http: { retry: { baseDelayMs: 10, maxDelayMs: 50 } },
  });
  // the port apps/api fills from its tenant client registry: one client (token, budget) per tenant
  const clients: HookClients = { procore: async () => ({ client, companyId: '1001', clientId: 'demo-dmsa-client' }) };
  hooks = new HookManager({ pool: db.pool, clients, publicUrl: () => 'http://127.0.0.1:9/', namespace: HOOK_NAMESPACE });
});
afterAll(async () => {
  await procore?.close();
  await db?.close();
});
beforeEach(async () => {
  await db.pool.query('delete from tenants');
  tenantId = await insertAcme(db.pool);
});

/** Queue one hook job and run it on the job worker; its row as recorded, and the sandbox's requests meanwhile. */
async function runJob(action: 'ensure' | 'remove') {
  procore.clearRequests();
  const id = await queueHookJob(db.pool, tenantId, action, 'manual');
  const done = await drainDue({
    pool: db.pool,
    instanceId: 'hook-test',
    leaseMs: 60_000,
    concurrency: 1,
    kinds: ['hooks'],
    handle: hookJobHandler(db.pool, hooks),
  });
  expect(done.map((d) => d.run.id)).toEqual([id]);
  const { rows } = await db.pool.query<{ status: string; stop_reason: string | null; calls: number; write_calls: number }>(
    'select status, stop_reason, calls, write_calls from runs where id = $1',
    [id],
  );
  // the API calls of the tenant's company; the token request is not an API call (the engine does not count it either)
  const seen = procore.requests().filter((r) => r.companyId === 1001 && !r.path.startsWith('/oauth'));
  return { run: rows[0]!, calls: seen.length, writes: seen.filter((r) => r.method !== 'GET').length };
}

describe('hook jobs record their Procore calls', () => {
  it('a registration job records every call the sandbox counted for the company, writes apart', async () => {
    const { run, calls, writes } = await runJob('ensure');
    expect(run.status).toBe('succeeded');
    expect(run.stop_reason).toBeNull();
    // me, list hooks, create the hook, list triggers, one create per trigger, read back
    expect(writes).toBe(1 + WANTED_TRIGGERS.length);
    expect(calls).toBe(writes + 4);
    expect(run.calls).toBe(calls);
    expect(run.write_calls).toBe(writes);
  });

  it('verifying a registered hook is reads only; removing it is one delete', async () => {
    await runJob('ensure');
    const verify = await runJob('ensure');
    expect(verify.run.status).toBe('succeeded');
    expect(verify.run.calls).toBe(verify.calls);
    expect(verify.run.calls).toBeGreaterThan(0);
    expect(verify.run.write_calls).toBe(0);
    expect(verify.writes).toBe(0);

    const removal = await runJob('remove');
    expect(removal.run.status).toBe('succeeded');
    expect(removal.run.calls).toBe(removal.calls);
    expect(removal.run.write_calls).toBe(1);
    expect(removal.writes).toBe(1);
  });

  it('a tenant whose events are off costs no call, and its job says so', async () => {
    await db.pool.query('update tenants set compliance_push = false where id = $1', [tenantId]);
    const { run, calls } = await runJob('ensure');
    expect(calls).toBe(0);
    expect(run).toMatchObject({ status: 'succeeded', stop_reason: 'off', calls: 0, write_calls: 0 });
  });

  it('a failed registration still records the calls it made before Procore refused', async () => {
    // Procore answers 500 to every call: the client retries, then gives up and the job fails
    procore.faults.set({ errorRate: 1, errorStatuses: [500] });
    try {
      const { run, calls } = await runJob('ensure');
      expect(run.status).toBe('failed');
      expect(calls).toBeGreaterThan(1);
      expect(run.calls).toBe(calls);
      expect(run.write_calls).toBe(0);
    } finally {
      procore.faults.clear();
    }
  });
});
