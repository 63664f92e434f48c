import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, listenForWaits, RateBudget, RateBudgetExhaustedError, UpstreamError, type TokenProvider } from '../src/index';

// A scripted loopback server: each request pops the next step of the script for its path. This
// package is generic (no sandbox speaks "any HTTP"), so the faults are produced on a real socket.
type Step = { status: number; body?: string; headers?: Record<string, string> } | 'reset' | 'hang' | 'lost';
const scripts = new Map<string, Step[]>();
const seen: Array<{ method: string; path: string; auth?: string }> = [];
let server: http.Server;
let baseURL = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push({ method: req.method!, path, auth: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      const step = scripts.get(path)?.shift() ?? { status: 200, body: '{"ok":true}' };
      if (step === 'reset') return req.socket.destroy();
      if (step === 'hang') return; // never answers: the client times out
      if (step === 'lost') return req.socket.destroy(); // processed (and counted), answer lost
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const fastSleep = async (_ms: number) => {};
const make = (extra: Partial<Parameters<typeof createExecutor>[0]> = {}) =>
  createExecutor({ service: 'test', baseURL, sleep: fastSleep, timeoutMs: 300, retry: { random: () => 0, maxAttempts: 4 }, ...extra });
const count = (path: string) => seen.filter((s) => s.path === path).length;

describe('createExecutor', () => {
  it('tells its observer every attempt (status or network code) and every rate-limit wait, without the query', async () => {
    scripts.set('/obs', [{ status: 429, headers: { 'retry-after': '0' } }, 'reset', { status: 503 }, { status: 200, body: '{}' }]);
    const responses: { method: string; path: string; status?: number; code?: string }[] = [];
    const waits: string[] = [];
    const ex = make({ observer: { response: (r) => responses.push(r), rateLimitWait: (w) => waits.push(w.reason) } });
    await ex.request({ method: 'GET', url: '/obs?token=secret-in-query' });
    expect(responses.map((r) => r.status ?? r.code)).toEqual([429, 'ECONNRESET', 503, 200]);
    expect(responses.every((r) => r.path === '/obs' && r.method === 'GET')).toBe(true);
    expect(waits).toEqual(['429']);
    expect(ex.stats).toMatchObject({ attempts: 4, throttled: 1 });
  });

  it('retries 5xx and resets for a GET and returns the parsed body', async () => {
    scripts.set('/a', [{ status: 503 }, 'reset', { status: 502 }, { status: 200, body: '[{"id":1}]' }]);
    const r = await make().request<{ id: number }[]>({ method: 'GET', url: '/a' });
    expect(r.data).toEqual([{ id: 1 }]);
    expect(r.attempts).toBe(4);
    expect(count('/a')).toBe(4);
  });

  it('gives up after max attempts with a typed error', async () => {
    scripts.set('/b', [
      { status: 500, body: '{"error":{"code":"x","message":"boom"}}' },
      { status: 500 },
      { status: 500 },
      { status: 500, body: '{"errors":"still broken"}' },
    ]);
    const err = await make()
      .request({ method: 'GET', url: '/b?page=2' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 500, method: 'GET', path: '/b', upstreamMessage: 'still broken', attempts: 4 });
    expect(err.reason).toMatch(/attempts exhausted/);
  });

  it('never repeats a POST create after a 500 or a mid-flight reset', async () => {
    scripts.set('/c', [{ status: 500 }]);
    await expect(make().request({ method: 'POST', url: '/c', data: { a: 1 } })).rejects.toMatchObject({ status: 500 });
    expect(count('/c')).toBe(1);
    scripts.set('/d', ['reset']);
    await expect(make().request({ method: 'POST', url: '/d', data: { a: 1 } })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(count('/d')).toBe(1);
  });

  it('never repeats a POST after a timeout, but retries an idempotent call', async () => {
    scripts.set('/e', ['hang']);
    await expect(make().request({ method: 'POST', url: '/e', data: {} })).rejects.toBeInstanceOf(UpstreamError);
    expect(count('/e')).toBe(1);
    scripts.set('/f', ['hang', { status: 200, body: '{"v":2}' }]);
    expect((await make().request({ method: 'PATCH', url: '/f', data: {} })).data).toEqual({ v: 2 });
  });

  it('retries a POST whose connection was refused (never sent)', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const ex = make({ baseURL: `http://127.0.0.1:${port}` });
    const err = await ex.request({ method: 'POST', url: '/x', data: {} }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', attempts: 4 });
  });

  it('retries a 429 after Retry-After and updates the budget', async () => {
    let fakeNow = 1_000_000_000_000;
    const waited: number[] = [];
    const reset = String(fakeNow / 1000 + 3);
    scripts.set('/g', [
      {
        status: 429,
        headers: { 'retry-after': '3', 'x-rate-limit-limit': '10', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset },
      },
      {
        status: 201,
        body: '{"id":9}',
        headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '42', 'x-rate-limit-reset': String(Number(reset) + 60) },
      },
    ]);
    const budget = new RateBudget({ now: () => fakeNow });
    const sleep = async (ms: number) => {
      waited.push(ms);
      fakeNow += ms;
    };
    const r = await make({ budget, sleep, retry: { now: () => fakeNow, maxAttempts: 3 } }).request({ method: 'POST', url: '/g', data: {} });
    expect(r.status).toBe(201);
    expect(waited).toEqual([3000]);
    expect(budget.remaining).toBe(42);
    expect(count('/g')).toBe(2);
  });

  it('a 429 burst does not use up the attempts meant for faults', async () => {
    const r429 = { status: 429, headers: { 'retry-after': '1' } };
    scripts.set('/g2', [r429, r429, r429, r429, r429, { status: 503 }, r429, { status: 500 }, { status: 200, body: '{"ok":1}' }]);
    const r = await make({ retry: { random: () => 0, maxAttempts: 3 } }).request({ method: 'GET', url: '/g2' });
    expect(r.attempts).toBe(9); // 6 throttled + 2 failed + the success; 2 failures < maxAttempts 3
  });

  it('keeps the budget slot of a call whose answer was lost (no later 429)', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 60);
    const rate = (remaining: number) => ({
      'x-rate-limit-limit': '5',
      'x-rate-limit-remaining': String(remaining),
      'x-rate-limit-reset': reset,
    });
    const over = { status: 429, headers: { ...rate(0), 'retry-after': '1' } };
    scripts.set('/lost', [
      { status: 200, body: '{}', headers: rate(2) },
      'lost',
      { status: 200, body: '{}', headers: rate(0) },
      over,
      over,
      over,
      over,
    ]);
    const budget = new RateBudget();
    const ex = make({ budget, onBudgetExhausted: 'throw' });
    await ex.request({ method: 'GET', url: '/lost' });
    // A POST whose answer was lost: not retried, but the server counted it.
    await expect(ex.request({ method: 'POST', url: '/lost', data: {} })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(budget.remaining).toBe(1);
    // Two calls at once for the one slot left: one is sent, the other stops before sending.
    const both = await Promise.allSettled([ex.request({ method: 'GET', url: '/lost' }), ex.request({ method: 'GET', url: '/lost' })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(RateBudgetExhaustedError) });
    expect(count('/lost')).toBe(3); // before the fix the lost call was refunded and a 4th drew a 429
    scripts.delete('/lost');
  });

  it('forces one token refresh on 401 and keeps the token out of errors', async () => {
    let n = 0;
    const forced: boolean[] = [];
    const token: TokenProvider = {
      getToken: async (o) => {
        forced.push(Boolean(o?.force));
        n += o?.force ? 1 : 0;
        return `secret-token-${n}`;
      },
    };
    scripts.set('/h', [{ status: 401 }, { status: 200, body: '{}' }]);
    await make({ token }).request({ method: 'GET', url: '/h' });
    expect(seen.filter((s) => s.path === '/h').map((s) => s.auth)).toEqual(['Bearer secret-token-0', 'Bearer secret-token-1']);
    expect(forced).toEqual([false, true]);

    scripts.set('/i', [
      { status: 401, body: '{"error":"bad token secret-token-1"}' },
      { status: 401, body: '{"message":"The access token is invalid secret-token-2"}' },
    ]);
    const err = await make({ token })
      .request({ method: 'GET', url: '/i' })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 401, attempts: 2 });
    expect(JSON.stringify(err)).not.toContain('secret-token');
    expect(err.message).not.toContain('secret-token');
    expect(err.message).toContain('[redacted]');
  });

  it('does not retry other 4xx', async () => {
    scripts.set('/j', [{ status: 422, body: '{"errors":{"name":["is required"]}}' }]);
    const err = await make()
      .request({ method: 'PATCH', url: '/j', data: {} })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 422, attempts: 1, upstreamMessage: '{"name":["is required"]}' });
  });

  it('retries a malformed 2xx body only for idempotent calls', async () => {
    scripts.set('/k', [
      { status: 200, body: '[{"id":1' },
      { status: 200, body: '[]' },
    ]);
    expect((await make().request({ method: 'GET', url: '/k' })).data).toEqual([]);
    scripts.set('/l', [{ status: 201, body: '{"id":' }]);
    await expect(make().request({ method: 'POST', url: '/l', data: {} })).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(count('/l')).toBe(1);
  });

  it('keeps the JSON error body and Retry-After on the error', async () => {
    const body = { error: { code: 'duplicate_external_id', message: 'exists', details: { existing: { id: 'ven_1', name: 'Acme' } } } };
    scripts.set('/n', [{ status: 409, body: JSON.stringify(body) }]);
    const dup = await make()
      .request({ method: 'POST', url: '/n', data: {} })
      .catch((e) => e);
    expect(dup).toMatchObject({ status: 409, upstreamMessage: 'exists', body });
    expect(JSON.parse(JSON.stringify(dup)).body).toEqual(body);
    scripts.set('/o', [{ status: 423, headers: { 'retry-after': '90' }, body: '{"error":{"code":"account_locked","message":"locked"}}' }]);
    expect(
      await make()
        .request({ method: 'POST', url: '/o', data: {} })
        .catch((e) => e),
    ).toMatchObject({ status: 423, retryAfterSec: 90 });
  });

  it('never lets a token into the error body, message or JSON', async () => {
    const token: TokenProvider = { getToken: async () => 'tok-abcdef-123' };
    const echoed = {
      error: { message: 'bad token tok-abcdef-123' },
      access_token: 'another-live-token',
      echo: { 'tok-abcdef-123': ['Bearer tok-abcdef-123'] },
    };
    scripts.set('/p', [{ status: 403, body: JSON.stringify(echoed) }]);
    const err = await make({ token })
      .request({ method: 'GET', url: '/p' })
      .catch((e) => e);
    expect(err.body).toEqual({
      error: { message: 'bad token [redacted]' },
      access_token: '[redacted]',
      echo: { '[redacted]': ['Bearer [redacted]'] },
    });
    const everything = `${JSON.stringify(err)} ${err.message} ${err.stack}`;
    expect(everything).not.toContain('tok-abcdef-123');
    expect(everything).not.toContain('another-live-token');
  });

  it('keeps no body that is not JSON, is too large, or belongs to a malformed 2xx', async () => {
    scripts.set('/q', [{ status: 400, headers: { 'content-type': 'text/html' }, body: '<html>Bad Request</html>' }]);
    expect(
      await make()
        .request({ method: 'GET', url: '/q' })
        .catch((e) => e),
    ).toMatchObject({ status: 400, body: undefined });
    scripts.set('/r', [{ status: 422, body: JSON.stringify({ error: { message: 'big', details: 'x'.repeat(20_000) } }) }]);
    expect(
      await make()
        .request({ method: 'GET', url: '/r' })
        .catch((e) => e),
    ).toMatchObject({ status: 422, upstreamMessage: 'big', body: undefined });
    scripts.set('/s', [{ status: 201, body: '{"id":' }]);
    expect(
      await make()
        .request({ method: 'POST', url: '/s', data: {} })
        .catch((e) => e),
    ).toMatchObject({ code: 'MALFORMED_RESPONSE', body: undefined });
  });

  it('concurrent calls never spend more than the budget has left', async () => {
    const budget = new RateBudget();
    budget.update({
      'x-rate-limit-limit': '5',
      'x-rate-limit-remaining': '2',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
    });
    const token: TokenProvider = { getToken: async () => 'tok' };
    const ex = make({ budget, token, onBudgetExhausted: 'throw' });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => ex.request({ method: 'GET', url: '/t' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof RateBudgetExhaustedError)).toHaveLength(3);
    expect(count('/t')).toBe(2);
  });

  it('waits for the window when the budget is spent, or throws when asked to', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 2);
    const budget = new RateBudget();
    budget.update({ 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
    await expect(make({ budget, onBudgetExhausted: 'throw' }).request({ method: 'GET', url: '/m' })).rejects.toBeInstanceOf(
      RateBudgetExhaustedError,
    );
    expect(count('/m')).toBe(0);
    let fakeNow = 0;
    const b2 = new RateBudget({ now: () => fakeNow });
    b2.update({ 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '10' });
    const waited: number[] = [];
    const ex = make({
      budget: b2,
      budgetSleep: async (ms) => {
        waited.push(ms);
        fakeNow += ms;
      },
    });
    await ex.request({ method: 'GET', url: '/m' });
    expect(waited).toEqual([10_050]);
    expect(ex.stats.budgetWaits).toBe(1);
  });

  it('tells the listener of the calling work about budget waits and 429 waits, and no one else', async () => {
    let fakeNow = 0;
    const budget = new RateBudget({ now: () => fakeNow });
    budget.update({ 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '10' });
    scripts.set('/w', [{ status: 429, headers: { 'retry-after': '1' } }]);
    const ex = make({
      budget,
      budgetSleep: async (ms) => void (fakeNow += ms),
      sleep: async (ms) => void (fakeNow += ms),
      retry: { now: () => fakeNow, random: () => 0, maxAttempts: 4 },
    });
    const told: string[] = [];
    const res = await listenForWaits(
      {
        waiting: async (sleep) => {
          told.push('wait');
          await sleep;
        },
      },
      () => ex.request({ method: 'GET', url: '/w' }),
    );
    expect(res.status).toBe(200);
    expect(told).toEqual(['wait', 'wait']); // the spent window, then the 429's Retry-After
    // outside the listened work (a side-panel request on the same client): nobody is told
    budget.update({
      'x-rate-limit-limit': '5',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.floor(fakeNow / 1000) + 10),
    });
    await ex.request({ method: 'GET', url: '/w' });
    expect(ex.stats.budgetWaits).toBe(2);
    expect(told).toHaveLength(2);
  });

  it('a 429 storm whose headers claim the hour is spent blocks for Retry-After only, then one probe call goes first', async () => {
    let fakeNow = 1_000_000_000_000;
    const hourAway = String(fakeNow / 1000 + 3000);
    const storm = {
      status: 429,
      headers: { 'retry-after': '1', 'x-rate-limit-limit': '3600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': hourAway },
    };
    const fine = (n: number) => ({
      status: 200,
      body: '{"ok":1}',
      headers: { 'x-rate-limit-limit': '25', 'x-rate-limit-remaining': String(n), 'x-rate-limit-reset': String(fakeNow / 1000 + 10) },
    });
    scripts.set('/storm', [storm, storm, fine(24), fine(23), fine(22)]);
    const budget = new RateBudget({ now: () => fakeNow });
    const tick = async (ms: number) => {
      fakeNow += ms;
      await new Promise((r) => setTimeout(r, 1));
    };
    const ex = make({
      budget,
      sleep: tick,
      budgetSleep: tick,
      onBudgetExhausted: 'wait',
      maxBudgetWaitMs: 60_000,
      retry: { now: () => fakeNow, maxAttempts: 3 },
    });
    const first = await ex.request({ method: 'GET', url: '/storm' });
    expect(first.status).toBe(200);
    expect(budget.throttled).toBe(false);
    expect(budget.remaining).toBe(24);
    // the storm cost two Retry-After waits, not the hour its headers named
    expect(fakeNow - 1_000_000_000_000).toBeLessThan(10_000);
    const [a, b] = await Promise.all([ex.request({ method: 'GET', url: '/storm' }), ex.request({ method: 'GET', url: '/storm' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(count('/storm')).toBe(5);
  });

  it('while blocked after a 429, concurrent callers send one probe, not a stampede', async () => {
    let fakeNow = 1_000_000_000_000;
    const budget = new RateBudget({ now: () => fakeNow });
    budget.finish(
      {
        'retry-after': '1',
        'x-rate-limit-limit': '3600',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(fakeNow / 1000 + 3000),
      },
      429,
    );
    expect(budget.canSpend(1)).toBe(false);
    expect(budget.msUntilReset()).toBe(1000);
    expect(budget.resetAt).toBe(fakeNow + 1000);
    fakeNow += 1000;
    expect(budget.canSpend(1)).toBe(true);
    budget.begin(); // the probe
    expect(budget.canSpend(1)).toBe(false);
    expect(budget.msUntilReset()).toBeLessThanOrEqual(250);
    budget.finish({ 'x-rate-limit-limit': '25', 'x-rate-limit-remaining': '24', 'x-rate-limit-reset': String(fakeNow / 1000 + 10) }, 200);
    expect(budget.remaining).toBe(24);
  });
});
