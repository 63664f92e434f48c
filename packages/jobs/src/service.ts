import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type pg from 'pg';
import {
  activeTenantIds,
  scheduledKinds,
  claimRunById,
  enqueueRun,
  enqueueTargeted,
  emptyCounts,
  executeRun,
  finishRun,
  queuedRunOf,
  recentRuns,
  reclaimStaleRuns,
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
import { drainDue, executeClaimed, type Executed, type RunHandler, type WorkerOptions } from './worker';
import { startWorkerLoop, type WorkerLoop } from './loop';

/** Measured with bench/sync.ts-style runs (see README): latency-bound runs, 8 at once per instance. */
export const DEFAULT_CONCURRENCY = 8;

export interface SyncServiceConfig {
  /** node-cron expression, UTC (SYNC_CRON; default every two hours) */
  cron?: string;
  /** SYNC_ENABLED: false = no cron slots and push/upkeep are not executed; targeted (event) runs and hook jobs still are */
  enabled?: boolean;
  procoreAppUrl: string;
  /** how far tenants are spread after the slot start (default: half the cron window, 1 h; 0 = all due at slot start) */
  phaseSpreadMs?: number;
  reconcileEveryMs?: number;
  leaseMs?: number;
  /** longest idle sleep before looking at the table again (runs queued by other instances) */
  pollMs?: number;
  budgetReserve?: number;
  instanceId?: string;
  /** SYNC_CONCURRENCY: runs executed at once by this instance (never two of one tenant) */
  concurrency?: number;
}

export interface SyncServiceDeps {
  pool: pg.Pool;
  logger: SyncLogger;
  clientsForTenant(tenantId: string): Promise<TenantClients>;
  mailer: MailerPort;
  config: SyncServiceConfig;
  /** Run metrics (sync_runs_total, sync_run_duration_seconds, sync_rows_total). */
  metrics?: { observeRun(run: Pick<RunRow, 'kind'>, outcome: RunOutcome, seconds: number): void };
  /**
   * Executes targeted runs (webhook events: plan, run, settle); registered by the events feature.
   * Without it a targeted run is executed on its target as it stands (owners named directly).
   */
  targeted?: RunHandler;
  /** Executes hook jobs (Procore webhook registration/removal); registered by the events feature. */
  hooks?: RunHandler;
}

export interface SyncService {
  readonly instanceId: string;
  /** Queue a push and an upkeep for every active tenant now and run everything due (demo, bench, tests). */
  runCycle(): Promise<Executed[]>;
  /** Run one tenant's push or upkeep now, in this call (the one already queued, if any). Null when the tenant has a run going. */
  runTenant(tenantId: string, kind: Exclude<RunKind, 'targeted'>): Promise<RunOutcome | null>;
  /**
   * The side panel's refresh of one vendor or assignment: merged into the tenant's queued targeted
   * run and executed now in this call; null when the tenant has a run going (the worker runs it
   * right after).
   */
  pushTargeted(input: { tenantId: string; vendorId?: string; assignmentId?: string }): Promise<RunOutcome | null>;
  /**
   * The console's "sync now": queue both kinds for the worker; returns the queued run ids.
   * With `db` (the caller's open transaction) every write goes through it and the worker is NOT
   * woken: the caller calls `wake()` after its commit. Without, it writes through the pool and wakes.
   */
  syncNow(tenantId: string, db?: Pick<pg.Pool, 'query'>): Promise<number[]>;
  /**
   * A tenant became active (activation or resume): queue its upkeep and push now — not at the next
   * cron slot — respecting its failure backoff, and wake the worker. Returns the queued run ids.
   */
  kickoff(tenantId: string, trigger: 'manual' | 'resume'): Promise<number[]>;
  /** Look at the queue now (or at `at`, e.g. when a coalescing window ends) instead of at the next poll. */
  wake(at?: Date): void;
  /** The scheduler tick of one slot (what node-cron calls); returns how many runs were queued. */
  tick(slotStart: Date): Promise<number>;
  /** Execute every due run, `concurrency` at once, and return when none is left (tests, bench). */
  drain(): Promise<Executed[]>;
  runs(tenantId: string, limit?: number): Promise<RunRow[]>;
  /** The tenant's next scheduled slot start plus its phase; null when the scheduler is off. */
  nextScheduledAt(tenant: { id: string; phaseSeconds: number }): Date | null;
  /** Whether this deployment executes scheduled runs (SYNC_ENABLED). */
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
  const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
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
  const handle: RunHandler = async (run, owner) => {
    if (run.kind === 'targeted' && deps.targeted) return deps.targeted(run, owner);
    if (run.kind !== 'hooks') return executeRun(engine, run, owner, async () => undefined);
    if (deps.hooks) return deps.hooks(run, owner);
    // a deployment without Procore hooks (no events feature): nothing to do, said so on the run
    const stopReason = 'hooks_not_configured';
    await finishRun(pool, run.id, owner, { status: 'stopped', counts: emptyCounts(), calls: 0, writeCalls: 0, errors: [], stopReason });
    return { status: 'stopped', ctx: null, stopReason };
  };
  const worker: WorkerOptions = {
    pool,
    instanceId,
    leaseMs,
    concurrency,
    kinds: null,
    handle,
    onFinished: metrics ? (run, o, s) => metrics.observeRun(run, o, s) : undefined,
    onError: (run, err) => logger.error({ runId: run.id, tenantId: run.tenant_id, kind: run.kind, err: String(err) }, 'sync run crashed'),
  };
  const coordinator = slotCoordinator(pool, instanceId);
  let task: ScheduledTask | undefined;
  let loop: WorkerLoop | undefined;
  let stopping = false;

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
    service.wake();
    return n;
  }

  async function runById(id: number | null): Promise<RunOutcome | null> {
    if (id === null) return null;
    const run = await claimRunById(pool, id, instanceId, leaseMs);
    if (!run) {
      service.wake(); // the tenant is busy: the worker takes it when the tenant's run ends
      return null;
    }
    return executeClaimed(worker, run);
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
      return drainDue(worker, () => stopping);
    },
    async runTenant(tenantId, kind) {
      // a run of this kind already queued (activation's kickoff, a cron slot) is the one to run now
      const id = (await enqueueRun(pool, { tenantId, kind, trigger: 'manual' })) ?? (await queuedRunOf(pool, tenantId, kind));
      return runById(id);
    },
    async pushTargeted({ tenantId, vendorId, assignmentId }) {
      const target = assignmentId ? { assignmentIds: [assignmentId] } : { vendorIds: vendorId ? [vendorId] : [] };
      return runById(await enqueueTargeted(pool, { tenantId, target, trigger: 'manual' }));
    },
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
    wake(at) {
      loop?.wake(at);
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
      if (loop) return;
      stopping = false;
      const enabled = config.enabled !== false;
      if (enabled) {
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
      }
      // crash recovery at boot: runs our dead predecessor (or a silent instance) left running are
      // queued again and the worker looks at once, so a restart resumes within seconds
      void reclaimStaleRuns(pool, instanceId)
        .then((ids) => {
          if (ids.length) logger.warn({ runs: ids, instanceId }, 'reclaimed sync runs left running by a stopped process');
          service.wake();
        })
        .catch((err: unknown) => logger.error({ err: String(err) }, 'could not reclaim stale sync runs'));
      // with the sync off (SYNC_ENABLED=false) the same worker still executes webhook event runs and hook jobs
      loop = startWorkerLoop({ ...worker, kinds: enabled ? null : ['targeted', 'hooks'], pollMs: config.pollMs ?? 1_000, logger });
    },
    async stop() {
      stopping = true;
      await task?.destroy();
      task = undefined;
      await loop?.stop(); // let the runs in progress finish their current step and record themselves
      loop = undefined;
    },
  };
  return service;
}
