import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start } from './helpers';

let sb: ProcoreSandbox;
beforeAll(async () => {
  sb = await start({ rateLimit: { hourly: 8, spike10s: 3 } });
});
afterAll(() => sb.close());

describe('rate limits per token', () => {
  it('reports the spike window first, then 429 with Retry-After; 429s do not consume budget', async () => {
    const call = api(sb, await dmsaToken(sb));
    const seen: Array<[number, string | null, string | null]> = [];
    for (let i = 0; i < 4; i++) {
      const r = await call('/rest/v1.0/companies');
      seen.push([r.status, r.headers.get('x-rate-limit-limit'), r.headers.get('x-rate-limit-remaining')]);
    }
    expect(seen).toEqual([
      [200, '3', '2'],
      [200, '3', '1'],
      [200, '3', '0'],
      [429, '3', '0'],
    ]);
    const r = await call('/rest/v1.0/companies');
    expect(r.status).toBe(429);
    const retry = Number(r.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(10);
    expect(Number(r.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(r.body.error.code).toBe('rate_limited');
    // Errors (401/400/403) after auth also carry the headers.
    expect((await call('/rest/v1.0/companies', { company: null })).headers.get('x-rate-limit-limit')).toBe('3');

    // Next spike window: budget is back (the rejected calls were not counted against the hour).
    sb.admin.advanceTime(11);
    const a = await call('/rest/v1.0/companies');
    expect(a.status).toBe(200);
    expect(a.headers.get('x-rate-limit-remaining')).toBe('2');
    await call('/rest/v1.0/companies');
    sb.admin.advanceTime(11);
    // 5 of 8 hourly used. Ties report the spike window; an exhausted hourly window is reported.
    const b = await call('/rest/v1.0/companies');
    expect([b.headers.get('x-rate-limit-limit'), b.headers.get('x-rate-limit-remaining')]).toEqual(['3', '2']);
    const c = await call('/rest/v1.0/companies');
    expect([c.headers.get('x-rate-limit-limit'), c.headers.get('x-rate-limit-remaining')]).toEqual(['3', '1']);
    const d = await call('/rest/v1.0/companies');
    expect([d.headers.get('x-rate-limit-limit'), d.headers.get('x-rate-limit-remaining')]).toEqual(['8', '0']);
    sb.admin.advanceTime(11);
    const over = await call('/rest/v1.0/companies');
    expect(over.status).toBe(429);
    expect(over.headers.get('x-rate-limit-limit')).toBe('8');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(10);
  });

  it('a second token has its own budget; OAuth is not rate limited', async () => {
    const call = api(sb, await dmsaToken(sb));
    const r = await call('/rest/v1.0/companies');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-rate-limit-remaining')).toBe('2');
    const t = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
    });
    expect(t.headers.get('x-rate-limit-limit')).toBeNull();
  });
});
