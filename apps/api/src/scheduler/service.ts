import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type pg from 'pg';
import {
  activeTenantIds, scheduledKinds, claimRunById, enqueueRun, getRun, recentRuns,
  type EngineOptions, type MailerPort, type RunKind, type RunOutcome, type RunRow, type SyncLogger, type TenantClients,
} from '@mycoi/sync';
import { enqueueSlot, slotCoordinator } from './slots';
import { drainDue, executeClaimed, type WorkerOptions } from './worker';

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
}

export interface SyncService {
  readonly instanceId: string;
  /** Queue a push and an upkeep for every active tenant now and run everything due (demo, bench, tests). */
  runCycle(): Promise<{ run: RunRow; outcome: RunOutcome }[]>;
  /** Run one tenant's push or upkeep now, in this call. Null when one is already queued or running. */
  runTenant(tenantId: string, kind: Exclude<RunKind, 'targeted'>): Promise<RunOutcome | null>;
  /** An event about one vendor or assignment: refresh just its Procore rows, now. */
  pushTargeted(input: { tenantId: string; vendorId?: string; assignmentId?: string }): Promise<RunOutcome | null>;
  /** The console's "sync now": queue both kinds for the worker loop; returns the queued run ids. */
  syncNow(tenantId: string): Promise<number[]>;
  /** The scheduler tick of one slot (what node-cron calls); returns how many runs were queued. */
  tick(slotStart: Date): Promise<number>;
  /** Execute every due run (the worker loop's body). */
  drain(): Promise<{ run: RunRow; outcome: RunOutcome }[]>;
  runs(tenantId: string, limit?: number): Promise<RunRow[]>;
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
  const worker: WorkerOptions = { pool, engine, instanceId, leaseMs };
  const coordinator = slotCoordinator(pool, instanceId);
  let task: ScheduledTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let draining: Promise<unknown> | undefined;

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
    const id = await enqueueRun(pool, { tenantId, kind, trigger, target: target ?? null });
    if (id === null) return null;
    const run = await claimRunById(pool, id, instanceId, leaseMs);
    return run ? executeClaimed(worker, run) : null;
  }

  const service: SyncService = {
    instanceId,
    async runCycle() {
      for (const id of await activeTenantIds(pool)) {
        // the gate decides which kinds run (features.ts in @mycoi/contracts)
        for (const kind of (await scheduledKinds(pool, logger, id))?.kinds ?? []) await enqueueRun(pool, { tenantId: id, kind, trigger: 'manual' });
      }
      return drainDue(worker);
    },
    runTenant: (tenantId, kind) => runNow(tenantId, kind, 'manual'),
    pushTargeted: ({ tenantId, vendorId, assignmentId }) =>
      runNow(tenantId, 'targeted', 'event', assignmentId ? { assignmentId } : { vendorId }),
    async syncNow(tenantId) {
      const ids: number[] = [];
      for (const kind of ['push', 'upkeep'] as const) {
        const id = await enqueueRun(pool, { tenantId, kind, trigger: 'manual' });
        if (id !== null) ids.push(id);
      }
      return ids;
    },
    async tick(slotStart) {
      if (!(await coordinator.shouldRun(`sync:${slotStart.toISOString()}`))) return 0;
      return enqueueFor(slotStart);
    },
    drain: () => drainDue(worker, () => stopping),
    runs: (tenantId, limit) => recentRuns(pool, tenantId, limit),
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
      const poll = () => {
        if (stopping) return;
        draining = drainDue(worker, () => stopping)
          .catch((err) => logger.error({ err: String(err) }, 'sync worker loop failed'))
          .finally(() => {
            if (!stopping) timer = setTimeout(poll, config.pollMs ?? 5_000);
          });
      };
      timer = setTimeout(poll, config.pollMs ?? 5_000);
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
