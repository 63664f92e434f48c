import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, type Api } from './helpers';

let sb: ProcoreSandbox;
let call: Api;
let token: string;
beforeAll(async () => {
  sb = await start();
  token = await dmsaToken(sb);
  call = api(sb, token);
});
afterEach(() => sb.faults.clear());
afterAll(() => sb.close());

describe('faults', () => {
  it('errorRate 1 answers with the configured 5xx statuses and 503 carries Retry-After', async () => {
    sb.faults.set({ errorRate: 1, errorStatuses: [503] });
    const r = await call('/rest/v1.0/companies');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    sb.faults.set({ errorRate: 1, errorStatuses: [500, 502] });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await call('/rest/v1.0/companies')).status);
    expect([...statuses].every((s) => s === 500 || s === 502)).toBe(true);
    sb.faults.clear();
    expect((await call('/rest/v1.0/companies')).status).toBe(200);
  });

  it('a share of errors: some calls fail, some succeed', async () => {
    sb.faults.set({ errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await call('/rest/v1.0/companies')).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(5);
  });

  it('rate-limit storm: every REST call 429 with Retry-After, OAuth untouched', async () => {
    sb.faults.set({ rateLimitStorm: true });
    const r = await call('/rest/v1.0/companies');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(
      (
        await fetch(`${sb.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
        })
      ).status,
    ).toBe(200);
  });

  it('connection reset: fetch fails and the request never ran', async () => {
    sb.faults.set({ resetRate: 1 });
    await expect(
      call('/rest/v1.0/companies/1001/vendors/70001/insurances', { method: 'POST', body: { insurance: { origin_id: 'reset-1' } } }),
    ).rejects.toThrow();
    sb.faults.clear();
    expect(sb.state.insuranceByOrigin(1001, null, 'reset-1')).toBeUndefined();
    expect(sb.requests().some((r) => r.status === 0)).toBe(true);
  });

  it('lost response: the write is applied but the answer never arrives', async () => {
    sb.faults.set({ lostResponseRate: 1 });
    await expect(
      call('/rest/v1.0/companies/1001/vendors/70001/insurances', { method: 'POST', body: { insurance: { origin_id: 'lost-1' } } }),
    ).rejects.toThrow();
    sb.faults.clear();
    expect(sb.state.insuranceByOrigin(1001, null, 'lost-1')).toBeDefined();
  });

  it('timeout: the call hangs until the client gives up', async () => {
    sb.faults.set({ timeoutRate: 1 });
    const res = fetch(`${sb.url}/rest/v1.0/companies`, {
      headers: { authorization: `Bearer ${token}`, 'procore-company-id': '1001' },
      signal: AbortSignal.timeout(300),
    });
    await expect(res).rejects.toThrow();
  });

  it('malformed body: 200 with JSON that does not parse', async () => {
    sb.faults.set({ malformedRate: 1 });
    const r = await fetch(`${sb.url}/rest/v1.0/companies`, { headers: { authorization: `Bearer ${token}`, 'procore-company-id': '1001' } });
    expect(r.status).toBe(200);
    await expect(r.clone().json()).rejects.toThrow();
  });

  it('is switchable at run time over the admin endpoint and validates input', async () => {
    const put = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorStatuses: [502] }),
    });
    expect(put.status).toBe(200);
    expect((await call('/rest/v1.0/companies')).status).toBe(502);
    const bad = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 3 }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sb.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await call('/rest/v1.0/companies')).status).toBe(200);
  });

  it('latency delays answers; the request log and state are inspectable over HTTP', async () => {
    sb.faults.set({ latencyMs: 30 });
    const t0 = Date.now();
    await call('/rest/v1.0/companies');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    const log = (await (await fetch(`${sb.url}/_sandbox/requests`)).json()) as Array<{
      path: string;
      companyId: number;
      clientId: string;
      status: number;
    }>;
    expect(log.at(-1)).toMatchObject({ path: '/rest/v1.0/companies', companyId: 1001, clientId: 'demo-dmsa-client', status: 200 });
    expect((await fetch(`${sb.url}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(sb.requests()).toEqual([]);
    const state = (await (await fetch(`${sb.url}/_sandbox/state`)).json()) as {
      vendors: unknown[];
      insurances: unknown[];
      apps: unknown[];
    };
    expect(state.vendors.length).toBe(sb.state.vendors.size);
    // No secrets in the state dump.
    expect(JSON.stringify(state)).not.toContain('demo-dmsa-secret');
    expect(JSON.stringify(state)).not.toContain(token);
  });
});
