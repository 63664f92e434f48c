import { Router } from 'express';
import type pg from 'pg';
import type { Metrics } from '../http/metrics';
import { onTenantTransition } from '../tenants/transition-listeners';
import {
  EventCounters,
  eventRunHandler,
  hookJobHandler,
  pruneEvents,
  queueHookJob,
  requeueStrandedEvents,
  waitForRun,
  type EventRunHandler,
  type EventsLogger,
  type HookManager,
  type TargetedEngine,
} from '@mycoi/events';
import { EventIngest } from './ingest';
import { createEventMetrics, registerEventMetrics, type EventMetrics } from './metrics';
import { mycoiReceiver } from './mycoi-receiver';
import { eventsOpsRoutes } from './ops-routes';
import { procoreReceiver } from './procore-receiver';
import { drainDue, type RunHandler } from '@mycoi/jobs';
import { randomUUID } from 'node:crypto';

export interface EventsServiceOptions {
  pool: pg.Pool;
  logger: EventsLogger;
  engine: TargetedEngine;
  /** null when Procore is not configured (no hook registration) */
  hooks: HookManager | null;
  mycoiSecret: () => string | readonly string[];
  /** SESSION_SECRET: the ops summary route reads ops sessions like the other /api/ops routes. */
  sessionSecret: string;
  /** EVENTS_COALESCE_MS: the first event of a burst waits this long for the rest */
  coalesceMs: number;
  toleranceSec?: number;
  /** how often hooks are reconciled (active ⇒ registered, deactivated ⇒ removed); default 10 min */
  hookReconcileMs?: number;
  /** how long an activation waits for hook registration before answering (it then goes on in the background) */
  transitionWaitMs?: number;
}

export interface EventsService {
  metrics: EventMetrics;
  counters: EventCounters;
  /** The job worker's handler of targeted runs (packages/jobs calls it; `eventRunHandler` of @mycoi/events). */
  runs: EventRunHandler;
  /** The job worker's handler of hook jobs (null without Procore hooks; `hookJobHandler` of @mycoi/events). */
  hookJobs: RunHandler | null;
  /** Connect the job worker: events stored or retried wake it for their run's due time. */
  bindWorker(worker: { wake(at?: Date): void }): void;
  /** Queue again the pending events no run carries (the periodic pass does it every 10 min). */
  sweep(): Promise<void>;
  /** Execute every due targeted run here and now (tests); returns how many events were settled. */
  drain(): Promise<number>;
  hooks: HookManager | null;
  /** The receivers and the ops summary; registers the event metrics on the app's registry. */
  router(appMetrics?: Metrics): Router;
  start(): void;
  stop(): Promise<void>;
  /** Hook jobs queued by lifecycle transitions, for tests: resolves when their waits settled. */
  settled(): Promise<void>;
}

export function createEventsService(o: EventsServiceOptions): EventsService {
  const metrics = createEventMetrics();
  const counters = new EventCounters(o.pool, metrics);
  let jobs: { wake(at?: Date): void } | null = null;
  const wake = (at: Date) => jobs?.wake(at);
  const ingest = new EventIngest(o.pool, undefined, wake);
  const runs = eventRunHandler({ pool: o.pool, engine: o.engine, metrics, counters, logger: o.logger, onRequeued: wake });
  const inflight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => void) | undefined;
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };
  /** The repair pass queues one hook job per tenant that needs one (the job worker does the Procore calls). */
  const repairHooks = (hooks: HookManager) =>
    track(
      hooks
        .repairWork()
        .then(async (work) => {
          for (const w of work) await queueHookJob(o.pool, w.id, w.kind, 'schedule');
          if (work.length) jobs?.wake();
        })
        .catch((err: unknown) => o.logger.warn({ err: String(err) }, 'webhook hook repair not queued')),
    );

  /** No event may be lost: pending events that no run carries any more are queued again. */
  const sweep = () =>
    requeueStrandedEvents(o.pool)
      .then((n) => {
        if (n === 0) return;
        o.logger.warn({ events: n }, 'pending events without a run queued again');
        jobs?.wake();
      })
      .catch((err: unknown) => o.logger.warn({ err: String(err) }, 'stranded event sweep failed'));

  return {
    metrics,
    counters,
    runs,
    sweep,
    hookJobs: o.hooks ? hookJobHandler(o.pool, o.hooks) : null,
    bindWorker(worker) {
      jobs = worker;
    },
    async drain() {
      const before = runs.settledCount();
      const owner = `events-drain-${randomUUID().slice(0, 8)}`;
      await drainDue({ pool: o.pool, instanceId: owner, leaseMs: 120_000, concurrency: 1, kinds: ['targeted'], handle: runs.handle });
      return runs.settledCount() - before;
    },
    hooks: o.hooks,
    router(appMetrics) {
      if (appMetrics) registerEventMetrics(metrics, appMetrics.registry);
      const deps = { pool: o.pool, metrics, counters, ingest, coalesceMs: o.coalesceMs, onStored: () => undefined };
      const r = Router();
      r.use(procoreReceiver(deps));
      r.use(mycoiReceiver({ ...deps, secret: o.mycoiSecret, toleranceSec: o.toleranceSec }));
      r.use(eventsOpsRoutes({ pool: o.pool, sessionSecret: o.sessionSecret }, counters));
      return r;
    },
    start() {
      const hooks = o.hooks;
      void sweep();
      timer = setInterval(
        () => {
          if (hooks) void repairHooks(hooks);
          void sweep();
          void pruneEvents(o.pool).catch((err: unknown) => o.logger.warn({ err: String(err) }, 'event pruning failed'));
        },
        o.hookReconcileMs ?? 10 * 60_000,
      );
      timer.unref();
      if (!hooks) return;
      unlisten = onTenantTransition(o.pool, async (t) => {
        let action: 'ensure' | 'remove' | null = null;
        if (t.to === 'active') action = 'ensure';
        else if (t.to === 'deactivated' && t.from !== 'registered' && t.from !== 'awaiting_activation') action = 'remove';
        if (!action) return;
        // a job of the one queue; the ops user waits a little for it, slow Procore finishes in the background
        const id = await queueHookJob(o.pool, t.tenantId, action, 'manual');
        jobs?.wake();
        await track(waitForRun(o.pool, id, o.transitionWaitMs ?? 8000));
      });
      // at boot: every active tenant's hook is checked at Procore (re-registered when missing, e.g.
      // after a sandbox reset), then the periodic repair covers the rest — all as queued hook jobs
      const boot = (async () => {
        const { rows } = await o.pool.query<{ id: string }>(`select id from tenants where status = 'active' order by id`);
        const ids: number[] = [];
        for (const r of rows) ids.push(await queueHookJob(o.pool, r.id, 'ensure', 'schedule'));
        jobs?.wake();
        await repairHooks(hooks);
        // the jobs run on the worker (which starts once HTTP listens): say what they found, as ops expect at boot
        for (const id of ids) await waitForRun(o.pool, id, 30 * 60_000, () => stopped);
        if (stopped || ids.length === 0) return;
        const { rows: done } = await o.pool.query<{ status: string; stop_reason: string | null }>(
          'select status, stop_reason from runs where id = any($1::bigint[])',
          [ids],
        );
        const failed = done.filter((d) => d.status === 'failed').length;
        const off = done.filter((d) => d.stop_reason === 'off').length;
        o.logger.info({ checked: ids.length, failed, off }, 'Procore hooks of active tenants checked at boot');
      })();
      // not tracked: stop() must not wait for jobs that a stopping worker will not run
      void boot.catch((err: unknown) => o.logger.warn({ err: String(err) }, 'boot hook checks failed'));
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      unlisten?.();
      await Promise.allSettled([...inflight]);
      await counters.flush().catch((err: unknown) => o.logger.warn({ err: String(err) }, 'event counters not written'));
    },
    async settled() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
