import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProcoreClient, RateBudgetExhaustedError, UpstreamError } from '../src/index';
import { ACME, count, setup } from './helpers';

// Retry safety of writes against the sandbox's faults, one fault at a time at 100%.
let env: Awaited<ReturnType<typeof setup>>;
beforeAll(async () => {
  env = await setup();
});
afterEach(() => {
  env.sb.faults.clear();
  env.sb.clearRequests();
});
afterAll(async () => {
  await env.sb.close();
});

const vendorsNamed = (name: string) => [...env.sb.state.vendors.values()].filter((v) => v.name === name).length;

describe('plain POST create', () => {
  it('is not repeated after a reset: one attempt, typed error', async () => {
    env.sb.faults.set({ resetRate: 1 });
    const err = await env.acme.vendors.create({ name: 'Reset Co' }).catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.code).toBe('ECONNRESET');
    expect(count(env.sb, (r) => r.path === '/rest/v1.0/vendors')).toBe(1);
    expect(vendorsNamed('Reset Co')).toBe(0);
  });

  it('is not repeated when the answer is lost after it was applied: applied exactly once', async () => {
    env.sb.faults.set({ lostResponseRate: 1 });
    await expect(env.acme.vendors.create({ name: 'Lost Answer Co' })).rejects.toBeInstanceOf(UpstreamError);
    expect(vendorsNamed('Lost Answer Co')).toBe(1);
  });

  it('is not repeated after a 5xx', async () => {
    env.sb.faults.set({ errorRate: 1, errorStatuses: [502] });
    await expect(env.acme.vendors.create({ name: 'Bad Gateway Co' })).rejects.toMatchObject({ status: 502, attempts: 1 });
  });

  it('IS repeated after a 429 (throttled calls are never processed)', async () => {
    env.sb.faults.set({ rateLimitRate: 1 });
    const { createProcoreClient } = await import('../src/index');
    const client = createProcoreClient({
      hosts: { baseUrl: env.sb.url },
      token: env.token,
      http: {
        sleep: async () => {
          env.sb.faults.clear();
        },
        retry: { maxAttempts: 3 },
      },
    });
    const v = await client.company(ACME).vendors.create({ name: 'Throttled Co' });
    expect(v.name).toBe('Throttled Co');
    expect(
      env.sb
        .requests()
        .filter((r) => r.path === '/rest/v1.0/vendors')
        .map((r) => r.status),
    ).toEqual([429, 201]);
    expect(vendorsNamed('Throttled Co')).toBe(1);
  });
});

describe('idempotent writes under lost answers', () => {
  /** A client whose write's next answer is lost (applied by the sandbox, never received); the retry gets through. */
  function losingOneAnswer() {
    let armed = false;
    const client = createProcoreClient({
      hosts: { baseUrl: env.sb.url },
      token: env.token,
      // the client's wait before its retry is when the fault goes away
      http: {
        sleep: async () => {
          if (armed) {
            armed = false;
            env.sb.faults.clear();
          }
        },
      },
    });
    const loseNextAnswer = () => {
      armed = true;
      env.sb.faults.set({ lostResponseRate: 1 });
    };
    return { client, loseNextAnswer };
  }

  it('sync by origin_id repeats safely: one row', async () => {
    const api = env.acme.insurances({ level: 'company_vendor', vendorId: env.sb.seed.companies[0]!.vendorIds[0]! });
    const { client, loseNextAnswer } = losingOneAnswer();
    loseNextAnswer();
    const r = await client
      .company(ACME)
      .insurances({ level: 'company_vendor', vendorId: env.sb.seed.companies[0]!.vendorIds[0]! })
      .sync([{ origin_id: 'lost-sync-1', status: 'compliant', name: 'Travelers' }]);
    expect(r.entities).toHaveLength(1);
    expect(count(env.sb, (x) => x.path === `${api.path}/sync`)).toBe(2);
    expect([...env.sb.state.insurances.values()].filter((i) => i.origin_id === 'lost-sync-1')).toHaveLength(1);
  });

  it('delete, project-vendor add and remove recover when the first answer was lost', async () => {
    const { client, loseNextAnswer } = losingOneAnswer();
    const acme = client.company(ACME);
    const vendorId = env.sb.seed.companies[0]!.vendorIds[0]!;
    const ins = acme.insurances({ level: 'company_vendor', vendorId });
    const row = await ins.create({ insurance_type: 'Auto', status: 'undecided' });
    loseNextAnswer();
    await ins.delete(row.id); // 1st applied + lost, 2nd → 404 → treated as done
    expect(env.sb.state.insurances.has(row.id)).toBe(false);

    const projectId = env.sb.seed.companies[0]!.projectIds[0]!;
    const pv = acme.projectVendors(projectId);
    const members = new Set((await pv.list()).items.map((v) => v.id));
    const outsider = env.sb.seed.companies[0]!.vendorIds.find((id) => !members.has(id))!;
    loseNextAnswer();
    expect((await pv.add(outsider)).id).toBe(outsider);
    expect(env.sb.state.projectVendors.get(projectId)?.has(outsider)).toBe(true);
    loseNextAnswer();
    await pv.remove(outsider);
    expect(env.sb.state.projectVendors.get(projectId)?.has(outsider) ?? false).toBe(false);
  });
});

describe('rate budget', () => {
  it('stops cleanly before the limit instead of being throttled', async () => {
    const small = await setup({ rateLimit: { hourly: 10 } }, { http: { onBudgetExhausted: 'throw' } });
    try {
      let ok = 0;
      let stopped: unknown;
      for (let i = 0; i < 15 && !stopped; i++) {
        try {
          await small.acme.me();
          ok++;
        } catch (e) {
          stopped = e;
        }
      }
      expect(ok).toBe(10);
      expect(stopped).toBeInstanceOf(RateBudgetExhaustedError);
      expect(small.procore.canSpend(1)).toBe(false);
      expect(small.procore.budget.resetAt).toBeGreaterThan(Date.now());
      expect(small.sb.requests().filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await small.sb.close();
    }
  });

  it('tells a caller up front whether a run of N calls fits', async () => {
    const small = await setup({ rateLimit: { hourly: 50, spike10s: 1000 } }); // the hour is the nearer limit
    try {
      expect(small.procore.canSpend(1000)).toBe(true); // unknown until the first response
      await small.acme.me();
      expect(small.procore.budget.remaining).toBe(49);
      expect(small.procore.canSpend(49)).toBe(true);
      expect(small.procore.canSpend(50)).toBe(false);
    } finally {
      await small.sb.close();
    }
  });
});
