import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncHistory, SyncNowResponse } from '@mycoi/contracts';
import type { Faults } from '@mycoi/procore-sandbox';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';
import { demoAgents } from './support/agents';
import type { Agent } from './tenants-harness';

// runs at Procore's documented limits take longer than the helper's default wait
const untilRunsDone = <T>(what: string, probe: () => T | Promise<T>) => until(what, probe, 120_000);

// The whole service with its scheduler on, both sandboxes over HTTP: activation queues the first
// cycle, the worker loop runs it, and /metrics then holds the sync series; "Sync now" and upstream
// faults move them as they should.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let ts: TestServer;
let tenantId: string;
let ops: Agent;
const pool = () => ts.running.db.pool;
const scrape = async () => (await fetch(`${ts.url}/metrics`)).text();

/** The value of one series (name + exact label set) in a Prometheus text exposition, or undefined. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

beforeAll(async () => {
  ts = await startTestServer({ env: { SYNC_ENABLED: 'true' } });
  tenantId = await insertDemoTenant(pool(), ts.running.config.encryption);
  ({ ops } = await demoAgents(ts));
}, 120_000);

/** The ops console's "Sync now" while Procore answers with `faults`; returns when the tenant's runs have finished. */
async function syncNowWith(faults: Faults, what: string): Promise<void> {
  ts.procore.faults.set(faults);
  try {
    const r = SyncNowResponse.parse((await ops.post(`/api/ops/tenants/${tenantId}/sync-now`)).body);
    expect(r.outcome).toBe('queued');
    await untilRunsDone(what, async () => {
      const { rows } = await pool().query("select count(*)::int as n from runs where tenant_id = $1 and status in ('queued', 'running')", [
        tenantId,
      ]);
      return rows[0].n === 0;
    });
  } finally {
    ts.procore.faults.clear();
  }
}
afterAll(async () => {
  await ts?.close();
});

describe('sync metrics after the first cycle', () => {
  it('before any run: the queue gauges are there and read zero', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE sync_runs_total counter');
    expect(text).toContain('# TYPE sync_rate_limit_waits_total counter');
    expect(series(text, 'sync_oldest_due_run_age_seconds')).toBe(0);
  });

  it('activation starts the first cycle at once; after it /metrics holds the sync series', async () => {
    await applyTransition(pool(), tenantId, 'activate', { kind: 'ops', id: 'ops@mycoi.test', ip: null });
    const history = await untilRunsDone('both runs finished', async () => {
      const h = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync`)).body);
      return h.runs.length >= 2 && h.runs.every((x) => x.status !== 'queued' && x.status !== 'running') ? h : null;
    });
    const push = history.runs.find((x) => x.kind === 'push')!;
    expect(push.status).toBe('succeeded');
    expect(push.rows.created).toBeGreaterThan(0);
    expect(push.procoreWrites).toBeGreaterThan(0);

    const text = await scrape();
    expect(series(text, 'sync_runs_total', { kind: 'push', outcome: 'succeeded' })).toBe(1);
    expect(series(text, 'sync_runs_total', { kind: 'upkeep', outcome: history.runs.find((x) => x.kind === 'upkeep')!.status })).toBe(1);
    expect(series(text, 'sync_run_duration_seconds_count', { kind: 'push' })).toBe(1);
    expect(series(text, 'sync_rows_total', { action: 'created' })).toBe(push.rows.created);
    expect(series(text, 'procore_requests_total', { method: 'GET', status: '200' })).toBeGreaterThan(0);
    expect(
      series(text, 'procore_requests_total', { method: 'POST', status: '200' }) ??
        series(text, 'procore_requests_total', { method: 'PATCH', status: '200' }),
    ).toBeGreaterThan(0);
    expect(series(text, 'mycoi_requests_total', { method: 'GET', status: '200' })).toBeGreaterThan(0);
    expect(series(text, 'sync_queue_depth', { kind: 'push' })).toBe(0);
    expect(series(text, 'sync_oldest_due_run_age_seconds')).toBe(0);
    expect(text).toContain('# TYPE event_latency_seconds histogram');

    // the Grafana dashboard in the repo charts only series the service exports
    const dashboard = readFileSync(path.join(repoRoot, 'ops/grafana-dashboard.json'), 'utf8');
    const used = new Set([...dashboard.matchAll(/\b((?:sync|procore|mycoi|event)_[a-z_]+?)(?:_bucket)?\b(?=[{[()\s])/g)].map((m) => m[1]!));
    expect(used.size).toBe(9);
    for (const name of used) expect(text, name).toContain(`# TYPE ${name} `);
  }, 180_000);

  it('rate-limit waits are counted per run and in /metrics', async () => {
    // Procore answers a share of calls 429 (Retry-After: 1): the executor waits and retries
    await syncNowWith({ rateLimitRate: 0.5 }, 'the throttled runs finished');
    const h = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync?limit=2`)).body);
    const waits = h.runs.reduce((n, x) => n + x.rateLimitWaits, 0);
    expect(waits).toBeGreaterThan(0);
    const text = await scrape();
    // a run's waits are its 429 answers plus the budget waits a 429's Retry-After imposes on the next calls
    const on429 = series(text, 'sync_rate_limit_waits_total', { service: 'procore', reason: '429' }) ?? 0;
    const onBudget = series(text, 'sync_rate_limit_waits_total', { service: 'procore', reason: 'budget' }) ?? 0;
    expect(on429).toBeGreaterThan(0);
    expect(on429 + onBudget).toBe(waits);
    const answered429 = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].reduce(
      (n, method) => n + (series(text, 'procore_requests_total', { method, status: '429' }) ?? 0),
      0,
    );
    expect(answered429).toBe(on429);
  }, 180_000);

  it('upstream errors are counted by status', async () => {
    await syncNowWith({ errorRate: 1, errorStatuses: [503] }, 'the failing runs finished');
    const text = await scrape();
    expect(series(text, 'procore_requests_total', { method: 'GET', status: '503' })).toBeGreaterThan(0);
    expect(series(text, 'sync_runs_total', { kind: 'upkeep', outcome: 'failed' })).toBe(1); // the upkeep reads Procore projects first
    // the consoles show the failed run with the reason in words
    const h = SyncHistory.parse((await ops.get(`/api/ops/tenants/${tenantId}/sync?limit=2`)).body);
    const failed = h.runs.find((x) => x.kind === 'upkeep' && x.status === 'failed')!;
    expect(failed.outcomeText).toContain('503');
  }, 180_000);
});
