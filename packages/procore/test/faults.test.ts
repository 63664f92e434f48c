import { createProcoreSandbox, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOAuthClient,
  createProcoreClient,
  dmsaTokenProvider,
  RateBudget,
  type CompanyClient,
  type InsuranceSyncItem,
} from '../src/index';
import { ACME, DMSA } from './helpers';

// Acceptance: with 20% 5xx, resets, lost responses and a 429 storm, 500 mixed calls complete, every
// write is applied exactly once (checked in sandbox state) and no call exceeds the rate limit.
// Time is virtual: the client's sleep moves the sandbox clock forward (rate windows, Retry-After)
// instead of waiting, so the run honours real windows yet takes a few seconds.
// Nothing here depends on wall-clock speed: no hang fault is injected, so the per-attempt timeout is
// the client default (30 s) — a 5 s one fired on a starved event loop (full suite on 2 busy cores),
// burning attempts and leaving processed-but-unanswered calls. The vitest timeout below only
// guards against a hang (~800 real HTTP calls take 10–45 s on the loaded CI box).

const SPIKE = 40;
const OPS = 500;
const CONCURRENCY = 8;
const FAULTS = { errorRate: 0.2, resetRate: 0.05, lostResponseRate: 0.03 };

let sb: ProcoreSandbox;
beforeAll(async () => {
  sb = await createProcoreSandbox({ rateLimit: { hourly: 100_000, spike10s: SPIKE } });
});
afterAll(async () => {
  await sb.close();
});

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('fault run', () => {
  it(`${OPS} mixed calls under faults: writes exactly once, nothing beyond the rate limit`, async () => {
    const now = () => sb.state.nowMs();
    const sleep = async (ms: number) => {
      sb.state.clockOffsetMs += ms;
      await new Promise((r) => setImmediate(r));
    };
    let storm: { on: number; off: number } | undefined;
    let storm429 = 0;
    const hosts = { baseUrl: sb.url };
    const oauth = createOAuthClient({ hosts });
    const budget = new RateBudget({ now });
    const client = createProcoreClient({
      hosts,
      token: dmsaTokenProvider(oauth, DMSA, { now }),
      budget,
      http: {
        sleep,
        budgetSleep: sleep, // budget waits move the virtual clock too
        retry: { now, random: lcg(7), maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 5000 },
        onAttempt: (a) => {
          if (a.status !== 429 || !storm || storm.off >= 0) return;
          if (++storm429 === 30) {
            storm.off = sb.requests().length;
            sb.faults.set(FAULTS);
          }
        },
      },
    });
    const acme: CompanyClient = client.company(ACME);

    // Fixtures written before the faults: rows to update and rows to delete.
    const projectId = sb.seed.companies.find((c) => c.id === ACME)!.projectIds[0]!;
    const vendorIds = sb.seed.companies.find((c) => c.id === ACME)!.vendorIds;
    const vendorId = vendorIds[0]!;
    const cvi = acme.insurances({ level: 'company_vendor', vendorId });
    const pool = await cvi.sync(
      Array.from({ length: 200 }, (_, i) => ({ origin_id: `pool-${i}`, status: 'undecided' as const, notes: 'initial' })),
    );
    expect(pool.entities).toHaveLength(200);
    const toUpdate = pool.entities.slice(0, 120).map((e) => e.id);
    const toDelete = pool.entities.slice(120).map((e) => e.id);

    const expectUpsert = new Map<string, string>(); // origin_id → notes
    const expectUpdate = new Map<number, string>(); // id → notes
    const expectDeleted: number[] = [];
    const expectVendor = new Map<string, string>(); // origin_id → name
    const rnd = lcg(42);
    const ops: Array<() => Promise<unknown>> = [];
    for (let op = 0; op < OPS; op++) {
      const r = rnd();
      if (r < 0.4) {
        const k = op % 6;
        ops.push(() =>
          [
            () => acme.projects.list(),
            () => acme.vendors.get(vendorIds[op % vendorIds.length]!),
            () => cvi.list(),
            () => acme.commitments.workOrders.list(projectId, { status: 'Approved' }),
            () => acme.commitments.list(projectId),
            () => acme.projectVendors(projectId).list(),
          ][k]!(),
        );
      } else if (r < 0.65) {
        const items: InsuranceSyncItem[] = Array.from({ length: 1 + (op % 3) }, (_, j) => ({
          origin_id: `fault-${op}-${j}`,
          insurance_type: 'General Liability',
          name: 'Travelers',
          status: 'compliant',
          notes: `upsert ${op}`,
        }));
        for (const it of items) expectUpsert.set(it.origin_id!, `upsert ${op}`);
        ops.push(async () => {
          const res = await cvi.sync(items);
          if (res.failed.length || res.errors.length)
            throw new Error(`sync failed: ${JSON.stringify(res.failed.map((f) => f.error.message))}`);
        });
      } else if (r < 0.85 && toUpdate.length) {
        const id = toUpdate.pop()!;
        expectUpdate.set(id, `update ${op}`);
        ops.push(() => cvi.update(id, { notes: `update ${op}`, status: 'compliant' }));
      } else if (r < 0.93 && toDelete.length) {
        const id = toDelete.pop()!;
        expectDeleted.push(id);
        ops.push(() => cvi.delete(id));
      } else {
        expectVendor.set(`fault-vendor-${op}`, `Fault Vendor ${op}`);
        ops.push(async () => {
          const res = await acme.vendors.sync([{ origin_id: `fault-vendor-${op}`, name: `Fault Vendor ${op}` }]);
          if (res.failed.length || res.errors.length) throw new Error('vendor sync failed');
        });
      }
    }

    sb.clearRequests();
    sb.faults.set(FAULTS);
    let next = 0;
    const failures: unknown[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ops.length) {
          const i = next++;
          if (i === 200) {
            storm = { on: sb.requests().length, off: -1 };
            sb.faults.set({ ...FAULTS, rateLimitStorm: true });
          }
          await ops[i]!().catch((e) => failures.push(e));
        }
      }),
    );
    sb.faults.clear();
    const log = sb.requests().filter((r) => r.path.startsWith('/rest/'));

    // Readable failures: class, method, path, status/code, attempts and the executor's reason.
    const describeFailure = (e: unknown) => {
      const x = e as {
        name?: string;
        status?: number;
        code?: string;
        attempts?: number;
        method?: string;
        path?: string;
        reason?: string;
        message?: string;
      };
      return `${x.name} ${x.method ?? ''} ${x.path ?? ''} status=${x.status} code=${x.code} attempts=${x.attempts} ${x.reason ?? x.message}`;
    };
    expect(failures.map(describeFailure)).toEqual([]);
    // The faults really happened.
    expect(log.filter((r) => r.status >= 500).length).toBeGreaterThan(80);
    expect(log.filter((r) => r.status === 0).length).toBeGreaterThan(20);
    expect(storm429).toBeGreaterThanOrEqual(30);

    // Exactly once: one row per origin_id with the written value; updates and deletes landed.
    const byOrigin = new Map<string, { notes?: string | null }[]>();
    for (const ins of sb.state.insurances.values()) {
      if (!ins.origin_id) continue;
      byOrigin.set(ins.origin_id, [...(byOrigin.get(ins.origin_id) ?? []), ins]);
    }
    for (const [origin, notes] of expectUpsert) {
      expect(
        byOrigin.get(origin)?.map((x) => x.notes),
        origin,
      ).toEqual([notes]);
    }
    for (const [id, notes] of expectUpdate) expect(sb.state.insurances.get(id)?.notes).toBe(notes);
    for (const id of expectDeleted) expect(sb.state.insurances.has(id)).toBe(false);
    const vendorsByOrigin = [...sb.state.vendors.values()].filter((v) => v.origin_id?.startsWith('fault-vendor-'));
    expect(vendorsByOrigin.length).toBe(expectVendor.size);
    for (const v of vendorsByOrigin) expect(v.name).toBe(expectVendor.get(v.origin_id!));

    // Nothing beyond the rate limit: the only 429s are the injected storm's.
    const all = sb.requests();
    const throttled = all.map((r, i) => ({ r, i })).filter(({ r }) => r.status === 429);
    const outsideStorm = throttled.filter(({ i }) => !(storm && i >= storm.on && i < storm.off));
    expect(outsideStorm.map(({ r, i }) => `#${i} ${r.method} ${r.path}`)).toEqual([]);
    // …and the run did press against the limit: the client waited for windows to reset.
    expect(client.stats.budgetWaits).toBeGreaterThan(0);
    expect(log.filter((r) => r.status !== 429 && r.status !== 0 && r.status < 500).length).toBeGreaterThan(SPIKE * 5);
  }, 120_000);
});
