import { createMycoiSandbox, type MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMycoiClient, MycoiApiError } from '../src';

// Injected failures: 5xx before processing, connection resets and timeouts after processing,
// truncated bodies after processing, 429 storms. Every create must be applied exactly once.

let sb: MycoiSandbox;
const waits: number[] = [];
// Short timeouts only where the timeout fault is injected; elsewhere a slow, loaded machine must
// not add unplanned retries.
const opts = (timeoutMs = 10_000) => ({
  baseURL: sb.url,
  clientId: 'demo-mycoi-client',
  clientSecret: 'demo-mycoi-secret',
  timeoutMs,
  retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 5 },
  sleep: async (ms: number) => {
    waits.push(ms);
  },
});

beforeAll(async () => {
  sb = await createMycoiSandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('writes under faults', () => {
  it('every create is applied exactly once despite errors, resets, timeouts and malformed answers', async () => {
    const client = createMycoiClient(opts(250));
    await client.me(); // token first, so the faults hit the writes
    const vendorsBefore = sb.state.vendors.rows.length;
    const assignmentsBefore = sb.state.assignments.rows.length;
    sb.faults.set({ errorRate: 0.15, resetRate: 0.15, timeoutRate: 0.05, malformedRate: 0.15, seed: 7 });
    const created = [];
    for (let i = 0; i < 20; i++) {
      const v = await client.createVendor({ name: `Fault Vendor ${i}`, external_id: `F-${i}` });
      const a = await client.createAssignment({
        vendor_id: v.id,
        division_id: 'div_acme_oak',
        insurance_set_id: 'set_acme_std',
        external_id: `FA-${i}`,
        contract_id: `FC-${i}`,
        amount: i,
      });
      created.push([v, a] as const);
    }
    sb.faults.clear();
    const faults = sb
      .requests()
      .filter((r) => r.fault !== null)
      .map((r) => r.fault);
    // The run really was hit by every kind of fault.
    expect(new Set(faults)).toEqual(new Set(['error', 'reset', 'timeout', 'malformed']));
    expect(sb.state.vendors.rows.length - vendorsBefore).toBe(20);
    expect(sb.state.assignments.rows.length - assignmentsBefore).toBe(20);
    for (let i = 0; i < 20; i++) {
      expect(sb.state.vendors.rows.filter((v) => v.external_id === `F-${i}`)).toHaveLength(1);
      expect(sb.state.assignments.rows.filter((a) => a.external_id === `FA-${i}`)).toHaveLength(1);
      const [v, a] = created[i]!;
      expect(sb.state.vendors.byId.get(v.id)?.external_id).toBe(`F-${i}`);
      expect(sb.state.assignments.byId.get(a.id)?.vendor_id).toBe(v.id);
    }
    // Replays were used: at least one create succeeded on a retry after its first answer was lost.
    const replayedKeys = sb
      .requests()
      .filter((r) => r.method === 'POST' && r.idempotencyKey)
      .map((r) => r.idempotencyKey);
    expect(replayedKeys.length).toBeGreaterThan(40);
  });

  it('a create is not retried without end: once attempts run out the typed error surfaces', async () => {
    const client = createMycoiClient({ ...opts(), retry: { maxAttempts: 3, baseDelayMs: 1 } });
    await client.me();
    sb.faults.set({ errorRate: 1, errorStatuses: [503] });
    const err = await client.createDivision({ name: 'Never', external_id: 'never' }).catch((e: unknown) => e);
    sb.faults.clear();
    expect(err).toBeInstanceOf(MycoiApiError);
    expect((err as MycoiApiError).status).toBe(503);
    expect((err as MycoiApiError).attempts).toBe(3);
    expect(sb.state.divisions.rows.some((d) => d.external_id === 'never')).toBe(false);
  });
});

describe('reads under faults', () => {
  it('the whole feed is read correctly through errors, resets and malformed pages', async () => {
    const client = createMycoiClient(opts());
    const expected = [...sb.state.compliance.values()].filter((r) => r.account_id === 'acct-acme').length;
    sb.faults.set({ errorRate: 0.2, resetRate: 0.1, malformedRate: 0.1, seed: 3 });
    const ids: string[] = [];
    for await (const p of client.compliancePages({ limit: 3 })) ids.push(...p.records.map((r) => r.id));
    sb.faults.clear();
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
    expect(client.stats.retries).toBeGreaterThan(0);
  });

  it('a 429 storm is waited out using Retry-After', async () => {
    const client = createMycoiClient(opts());
    await client.me();
    waits.length = 0;
    sb.faults.set({ rateLimitStorm: 3, retryAfterSec: 7 });
    const v = await client.getVendor('ven_acme_bright');
    sb.faults.clear();
    expect(v.id).toBe('ven_acme_bright');
    expect(waits).toEqual([7000, 7000, 7000]);
  });

  it('the sandbox rate limit answers 429 with Retry-After and X-RateLimit headers', async () => {
    const limited = await createMycoiSandbox({ rateLimit: { limit: 3, windowSec: 60 } });
    try {
      const tok = (await (
        await fetch(`${limited.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-mycoi-client', client_secret: 'demo-mycoi-secret' }),
        })
      ).json()) as { access_token: string };
      const statuses = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${limited.url}/v1/me`, { headers: { authorization: `Bearer ${tok.access_token}` } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    } finally {
      await limited.close();
    }
  });
});
