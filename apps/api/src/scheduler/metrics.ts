import client from 'prom-client';
import type pg from 'pg';
import type { ExecutorObserver } from '@mycoi/http';
import type { RunOutcome, RunRow } from '@mycoi/sync';
import { counter, histogram, registerOnce } from '../http/metric-helpers';

/**
 * Prometheus metrics of the sync: runs, rows, upstream calls, rate-limit waits, queue depth. Created
 * unregistered (like the event metrics) and added to the app's registry when the routes mount, so
 * tests can run several apps in one process. The two gauges are computed from the runs table at
 * scrape time: every instance reports the same shared queue.
 */
export interface SyncMetrics {
  runs: client.Counter<'kind' | 'outcome'>;
  runDuration: client.Histogram<'kind'>;
  rows: client.Counter<'action'>;
  procoreRequests: client.Counter<'method' | 'status'>;
  mycoiRequests: client.Counter<'method' | 'status'>;
  rateLimitWaits: client.Counter<'service' | 'reason'>;
  queueDepth: client.Gauge<'kind'>;
  oldestDue: client.Gauge;
  all(): client.Metric[];
  /** Hook for one finished run (the worker calls it). */
  observeRun(run: Pick<RunRow, 'kind'>, outcome: RunOutcome, seconds: number): void;
  /** Executor observers for the Procore and myCOI clients of the tenant client registry. */
  observer(service: 'procore' | 'mycoi'): ExecutorObserver;
}

const ROW_ACTIONS = ['created', 'updated', 'deleted', 'failed', 'unchanged', 'skipped'] as const;

export function createSyncMetrics(pool: pg.Pool): SyncMetrics {
  const metrics = {
    runs: counter('sync_runs_total', 'Sync runs finished, by kind and outcome', ['kind', 'outcome']),
    runDuration: histogram(
      'sync_run_duration_seconds',
      'Duration of finished sync runs',
      ['kind'],
      [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    ),
    rows: counter('sync_rows_total', 'Procore insurance rows by what the sync did with them', ['action']),
    procoreRequests: counter('procore_requests_total', 'Procore API attempts by method and HTTP status (or network error code)', [
      'method',
      'status',
    ]),
    mycoiRequests: counter('mycoi_requests_total', 'myCOI API attempts by method and HTTP status (or network error code)', [
      'method',
      'status',
    ]),
    rateLimitWaits: counter(
      'sync_rate_limit_waits_total',
      'Waits for an upstream rate limit: the budget window ran out (budget) or a 429 answer (429)',
      ['service', 'reason'],
    ),
    queueDepth: new client.Gauge({
      name: 'sync_queue_depth',
      help: 'Sync runs queued and due now, by kind (all instances: read from the runs table)',
      labelNames: ['kind'] as const,
      registers: [],
      async collect() {
        const { rows: r } = await pool.query<{ kind: string; n: number }>(
          "select kind, count(*)::int as n from runs where status = 'queued' and run_after <= now() group by kind",
        );
        this.reset();
        for (const kind of ['push', 'upkeep', 'targeted', 'hooks']) this.set({ kind }, r.find((x) => x.kind === kind)?.n ?? 0);
      },
    }),
    oldestDue: new client.Gauge({
      name: 'sync_oldest_due_run_age_seconds',
      help: 'How long the oldest due run has waited to be claimed (0 when none is waiting)',
      registers: [],
      async collect() {
        const { rows: r } = await pool.query<{ age: number | null }>(
          "select extract(epoch from (now() - min(run_after)))::float8 as age from runs where status = 'queued' and run_after <= now()",
        );
        this.set(Math.max(0, r[0]?.age ?? 0));
      },
    }),
  };
  const { runs, runDuration, rows, procoreRequests, mycoiRequests, rateLimitWaits } = metrics;
  const requestCounter = (service: 'procore' | 'mycoi') => (service === 'procore' ? procoreRequests : mycoiRequests);
  return {
    ...metrics,
    all: () => Object.values(metrics),
    observeRun(run, outcome, seconds) {
      runs.inc({ kind: run.kind, outcome: outcome.stopReason === 'rate_budget_low' ? 'paused' : outcome.status });
      runDuration.observe({ kind: run.kind }, seconds);
      const counts = outcome.ctx?.counts;
      if (counts) for (const action of ROW_ACTIONS) if (counts[action]) rows.inc({ action }, counts[action]);
    },
    observer: (service) => ({
      response: ({ method, status, code }) =>
        requestCounter(service).inc({ method, status: status !== undefined ? String(status) : (code ?? 'network') }),
      rateLimitWait: ({ reason }) => rateLimitWaits.inc({ service, reason }),
    }),
  };
}

/** Adds the sync metrics to an app's registry once. */
export function registerSyncMetrics(metrics: SyncMetrics, registry: client.Registry): void {
  registerOnce(metrics.all(), registry);
}
