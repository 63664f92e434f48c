import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcoreSandbox, PROCORE_LIMITS, type ProcoreSandbox, type ProcoreSandboxOptions } from '../src/index';
import { api, dmsaToken } from './helpers';

/** The library's own defaults, not the raised limits of the other suites' helper. */
const start = (o: ProcoreSandboxOptions = {}) => createProcoreSandbox({ port: 0, ...o });

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
const sandboxes: ProcoreSandbox[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(sandboxes.map((s) => s.close()));
});

/** `npm run sandbox:procore` as a user starts it; only the port is chosen (0 = free port). */
async function startCli(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`sandbox CLI exited ${code}: ${out}`)));
  });
}

async function burst(url: string, token: string, n: number) {
  const call = () => fetch(`${url}/rest/v1.0/companies`, { headers: { authorization: `Bearer ${token}`, 'procore-company-id': '1001' } });
  const answers = await Promise.all(Array.from({ length: n }, call));
  return answers.map((r) => ({
    status: r.status,
    limit: r.headers.get('x-rate-limit-limit'),
    remaining: r.headers.get('x-rate-limit-remaining'),
    reset: r.headers.get('x-rate-limit-reset'),
    retryAfter: r.headers.get('retry-after'),
  }));
}

describe("Procore's documented limits by default", () => {
  it('npm run sandbox:procore with no options: a burst of 40 calls with one token gets 429 at the spike limit', async () => {
    const url = await startCli();
    const tok = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
    });
    const { access_token } = (await tok.json()) as { access_token: string };
    const seen = await burst(url, access_token, 40);
    const ok = seen.filter((r) => r.status === 200);
    const limited = seen.filter((r) => r.status === 429);
    // 25 per 10 s: the rest of the burst is refused (a burst this small takes well under 10 s)
    expect(ok).toHaveLength(25);
    expect(limited).toHaveLength(15);
    // every answer reports the nearer limit — the spike window, not the hour
    expect(new Set(seen.map((r) => r.limit))).toEqual(new Set(['25']));
    for (const r of limited) {
      expect(r.remaining).toBe('0');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(10);
      expect(Number(r.reset) * 1000).toBeGreaterThan(Date.now() - 1000);
    }
    expect(ok.map((r) => Number(r.remaining)).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('createProcoreSandbox() without options enforces 3,600/h and 25/10 s; the hour is reported once it is the nearer limit', async () => {
    expect(PROCORE_LIMITS).toEqual({ hourly: 3600, spike10s: 25 });
    const sb = await start();
    sandboxes.push(sb);
    const call = api(sb, await dmsaToken(sb));
    const first = await call('/rest/v1.0/companies');
    expect([first.headers.get('x-rate-limit-limit'), first.headers.get('x-rate-limit-remaining')]).toEqual(['25', '24']);
    // Spend the hour 25 calls per spike window (the sandbox clock moves, not the test's).
    let last = first;
    for (let used = 1; used < 3590; used++) {
      if (used % 25 === 0) sb.admin.advanceTime(10);
      last = await call('/rest/v1.0/companies');
    }
    sb.admin.advanceTime(10);
    // 10 calls left in the hour < 25 in a fresh spike window: the hour is the nearer limit now
    const near = await call('/rest/v1.0/companies');
    expect(near.status).toBe(200);
    expect([near.headers.get('x-rate-limit-limit'), near.headers.get('x-rate-limit-remaining')]).toEqual(['3600', '9']);
    expect(last.status).toBe(200);
  }, 60_000);

  it("a storm answers 429 with Retry-After: 1 while the headers claim the hour is spent; 'off' is explicit", async () => {
    const sb = await start();
    sandboxes.push(sb);
    const call = api(sb, await dmsaToken(sb));
    sb.faults.set({ rateLimitStorm: true });
    const r = await call('/rest/v1.0/companies');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect([r.headers.get('x-rate-limit-limit'), r.headers.get('x-rate-limit-remaining')]).toEqual(['3600', '0']);
    expect(Number(r.headers.get('x-rate-limit-reset')) * 1000 - Date.now()).toBeGreaterThan(60_000);
    sb.faults.clear();
    expect((await call('/rest/v1.0/companies')).status).toBe(200);

    const off = await start({ rateLimit: 'off' });
    sandboxes.push(off);
    const offCall = api(off, await dmsaToken(off));
    const answers = await Promise.all(Array.from({ length: 40 }, () => offCall('/rest/v1.0/companies')));
    expect(answers.every((a) => a.status === 200 && a.headers.get('x-rate-limit-limit') === null)).toBe(true);
  });
});
