import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type pg from 'pg';
import {
  activeTenantIds,
  scheduledKinds,
  claimRunById,
  enqueueRun,
  queuedRunOf,
  getRun,
  recentRuns,
  reclaimStaleRuns,
  STALE_AFTER_MS,
  tenantState,
  type EngineOptions,
  type MailerPort,
  type RunKind,
  type RunOutcome,
  type RunRow,
  type SyncLogger,
  type TenantClients,
} from '@mycoi/sync';
import { enqueueSlot, phaseMs, slotCoordinator, upkeepFirst } from './slots';
import { drainDue, executeClaimed, type WorkerOptions } from './worker';
import type { SyncMetrics } from './metrics';

export interface SyncServiceConfig {
  /** node-cron expression, UTC (SYNC_CRON; default every two hours) */
  cron?: string;
  enabled?: boolean;
  procoreAppUrl: string;
  /** how far tenants are spread after the slot start (default: half the cron window, 1 h) */
  phaseSpreadMs?: number;
  reconcileEveryMs?: number;
  leaseMs?: number;
  pollMs?: number;
  budgetReserve?: number;
  instanceId?: string;
}

export interface SyncServiceDeps {
  pool: pg.Pool;
  logger: SyncLogger;
  clientsForTenant(tenantId: string): Promise<TenantClients>;
  mailer: MailerPort;
  config: SyncServiceConfig;
  /** Run metrics (sync_runs_total, sync_run_duration_seconds, sync_rows_total). */
  metrics?: Pick<SyncMetrics, 'observeRun'>;
}

export interface SyncService {
  readonly instanceId: string;
  /** Queue a push and an upkeep for every active tenant now and run everything due (demo, bench, tests). */
  runCycle(): Promise<{ run: RunRow; outcome: RunOutcome }[]>;
  /** Run one tenant's push or upkeep now, in this call (the one already queued, if any). Null when one is running. */
  runTenant(tenantId: string, kind: Exclude<RunKind, 'targeted'>): Promise<RunOutcome | null>;
  /** An event about one vendor or assignment: refresh just its Procore rows, now. */
  pushTargeted(input: { tenantId: string; vendorId?: string; assignmentId?: string }): Promise<RunOutcome | null>;
  /**
   * The console's "sync now": queue both kinds for the worker loop; returns the queued run ids.
   * With `db` (the caller's open transaction) every write goes through it and the worker is NOT
   * woken: the caller calls `wake()` after its commit. Without, it writes through the pool and wakes.
   */
  syncNow(tenantId: string, db?: Pick<pg.Pool, 'query'>): Promise<number[]>;
  /**
   * A tenant became active (activation or resume): queue its upkeep and push now — not at the next
   * cron slot — respecting its failure backoff, and wake the worker. The engine's rate-budget check
   * keeps the runs within the tenant's Procore budget. Returns the queued run ids.
   */
  kickoff(tenantId: string, trigger: 'manual' | 'resume'): Promise<number[]>;
  /** Run the worker loop now instead of at its next poll (no-op when stopped). */
  wake(): void;
  /** The scheduler tick of one slot (what node-cron calls); returns how many runs were queued. */
  tick(slotStart: Date): Promise<number>;
  /** Execute every due run (the worker loop's body). */
  drain(): Promise<{ run: RunRow; outcome: RunOutcome }[]>;
  runs(tenantId: string, limit?: number): Promise<RunRow[]>;
  /** The tenant's next scheduled slot start plus its phase; null when the scheduler is off. */
  nextScheduledAt(tenant: { id: string; phaseSeconds: number }): Date | null;
  /** Whether this deployment executes queued runs (SYNC_ENABLED). */
  enabled(): boolean;
  start(): void;
  stop(): Promise<void>;
}

const TWO_HOURS = 2 * 3600_000;

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { pool, logger, config } = deps;
  const instanceId = config.instanceId ?? `sync-${randomUUID().slice(0, 8)}`;
  const leaseMs = config.leaseMs ?? 5 * 60_000;
  const expr = config.cron ?? '0 */2 * * *';
  const engine: EngineOptions = {
    pool,
    logger,
    clientsForTenant: deps.clientsForTenant,
    mailer: deps.mailer,
    procoreAppUrl: config.procoreAppUrl,
    reconcileEveryMs: config.reconcileEveryMs,
    budgetReserve: config.budgetReserve,
  };
  const metrics = deps.metrics;
  const onFinished = metrics ? (run: RunRow, o: RunOutcome, s: number) => metrics.observeRun(run, o, s) : undefined;
  const worker: WorkerOptions = { pool, engine, instanceId, leaseMs, onFinished };
  const coordinator = slotCoordinator(pool, instanceId);
  let task: ScheduledTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let draining: Promise<unknown> | undefined;
  let running = false;
  let again = false;

  function windowMs(): number {
    try {
      const probe = cron.createTask(expr, () => undefined, { timezone: 'UTC' });
      const [a, b] = probe.getNextRuns(2);
      void probe.destroy();
      return a && b ? b.getTime() - a.getTime() : TWO_HOURS;
    } catch {
      return TWO_HOURS;
    }
  }
  const spreadMs = config.phaseSpreadMs ?? Math.floor(windowMs() / 2);

  async function enqueueFor(slotStart: Date): Promise<number> {
    const n = await enqueueSlot(pool, `sync:${slotStart.toISOString()}`, slotStart, spreadMs, logger);
    logger.info({ slot: slotStart.toISOString(), queued: n, instanceId }, 'sync slot enqueued');
    return n;
  }

  async function runNow(tenantId: string, kind: RunKind, trigger: 'manual' | 'event', target?: object): Promise<RunOutcome | null> {
    // a run of this kind already queued (activation's kickoff, a cron slot) is the one to run now
    const id =
      (await enqueueRun(pool, { tenantId, kind, trigger, target: target ?? null })) ??
      (kind === 'targeted' ? null : await queuedRunOf(pool, tenantId, kind));
    if (id === null) return null;
    const run = await claimRunById(pool, id, instanceId, leaseMs);
    return run ? executeClaimed(worker, run) : null;
  }

  function poll(): void {
    if (stopping) return;
    // each loop also picks up runs whose process died while this one was up (cheap update)
    void reclaimStaleRuns(pool, '', STALE_AFTER_MS).catch(() => undefined);
    running = true;
    again = false;
    draining = drainDue(worker, () => stopping)
      .catch((err) => logger.error({ err: String(err) }, 'sync worker loop failed'))
      .finally(() => {
        running = false;
        if (stopping) return;
        if (again) poll();
        else timer = setTimeout(poll, config.pollMs ?? 5_000);
      });
  }

  const service: SyncService = {
    instanceId,
    async runCycle() {
      for (const id of await activeTenantIds(pool)) {
        // the gate decides which kinds run (features.ts in @mycoi/contracts); upkeep first: it makes
        // the links the push needs
        const kinds = upkeepFirst((await scheduledKinds(pool, logger, id))?.kinds ?? []);
        for (const kind of kinds) await enqueueRun(pool, { tenantId: id, kind, trigger: 'manual' });
      }
      return drainDue(worker);
    },
    runTenant: (tenantId, kind) => runNow(tenantId, kind, 'manual'),
    pushTargeted: ({ tenantId, vendorId, assignmentId }) =>
      runNow(tenantId, 'targeted', 'event', assignmentId ? { assignmentId } : { vendorId }),
    async syncNow(tenantId, db) {
      const q = db ?? pool;
      // a run left 'running' by a crashed process must not make "sync now" a silent no-op
      await reclaimStaleRuns(q, instanceId);
      const ids: number[] = [];
      for (const kind of ['upkeep', 'push'] as const) {
        const id = await enqueueRun(q, { tenantId, kind, trigger: 'manual' });
        if (id !== null) ids.push(id);
      }
      if (!db) service.wake(); // in the caller's transaction: the caller wakes after its commit
      return ids;
    },
    async kickoff(tenantId, trigger) {
      const active = await pool.query(`select 1 from tenants where id = $1 and status = 'active'`, [tenantId]);
      if (active.rows.length === 0) return [];
      const state = await tenantState(pool, tenantId);
      const runAfter = state?.backoff_until && state.backoff_until > new Date() ? state.backoff_until : undefined;
      const ids: number[] = [];
      // what the gate lets run; upkeep first: it makes the links the push needs (claimRun keeps that order)
      for (const kind of upkeepFirst((await scheduledKinds(pool, logger, tenantId))?.kinds ?? [])) {
        const id = await enqueueRun(pool, { tenantId, kind, trigger, runAfter });
        if (id !== null) ids.push(id);
      }
      logger.info({ tenantId, trigger, queued: ids.length }, 'tenant active: first runs queued');
      service.wake();
      return ids;
    },
    wake() {
      if (stopping || !task) return;
      if (running) {
        again = true; // the loop in progress polls once more as soon as it ends
        return;
      }
      if (timer) clearTimeout(timer);
      poll();
    },
    async tick(slotStart) {
      if (!(await coordinator.shouldRun(`sync:${slotStart.toISOString()}`))) return 0;
      return enqueueFor(slotStart);
    },
    drain: () => drainDue(worker, () => stopping),
    runs: (tenantId, limit) => recentRuns(pool, tenantId, limit),
    nextScheduledAt(tenant) {
      if (config.enabled === false) return null;
      try {
        const probe = cron.createTask(expr, () => undefined, { timezone: 'UTC' });
        const [slot] = probe.getNextRuns(1);
        void probe.destroy();
        return slot ? new Date(slot.getTime() + phaseMs(tenant, spreadMs)) : null;
      } catch {
        return null;
      }
    },
    enabled: () => config.enabled !== false,
    start() {
      if (config.enabled === false || task) return;
      stopping = false;
      task = cron.schedule(expr, (ctx) => enqueueFor(ctx.date), {
        name: 'sync',
        timezone: 'UTC',
        noOverlap: true,
        distributed: true,
        runCoordinator: coordinator,
        logger: {
          info: (m) => logger.info({ cron: true }, m),
          warn: (m) => logger.warn({ cron: true }, m),
          error: (m) => logger.error({ cron: true }, String(m)),
          debug: () => undefined,
        },
      });
      // crash recovery at boot: runs our dead predecessor (or a silent instance) left running are
      // queued again and the worker starts at once, so a restart resumes within seconds
      void reclaimStaleRuns(pool, instanceId)
        .then((ids) => {
          if (ids.length) logger.warn({ runs: ids, instanceId }, 'reclaimed sync runs left running by a stopped process');
        })
        .catch((err: unknown) => logger.error({ err: String(err) }, 'could not reclaim stale sync runs'))
        .finally(() => {
          if (!stopping && !running) {
            if (timer) clearTimeout(timer);
            poll();
          }
        });
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await task?.destroy();
      task = undefined;
      await draining; // let the run in progress finish its current step and record itself
    },
  };
  return service;
}

export { getRun };
