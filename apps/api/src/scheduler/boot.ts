import { hostname } from 'node:os';
import { markReconcileDue, type TenantClients } from '@mycoi/sync';
import type { AfterListen, ServiceContext } from '../deps';
import type { Upstream } from '../upstream';
import type { Mailer } from '../mail/mailer';
import { createSyncService, type SyncService } from '@mycoi/jobs';
import type { EventsService } from '../events/service';
import type { SyncMetrics } from './metrics';
import { onTenantTransition } from '../tenants/transition-listeners';

/**
 * Sync boot, called from startServices after the tenant and events pieces (it needs their mailer
 * and clientsForTenant). The scheduler starts once HTTP listens and stops before HTTP on shutdown.
 * Exposes `sync` (runs, "sync now", targeted pushes) and `syncNow` for the console routes. The
 * queue, worker and cron live in @mycoi/jobs; this file only wires them.
 */
export interface SyncBootDeps {
  upstream: Pick<Upstream, 'procoreAppUrl' | 'sandboxes'>;
  afterListen: AfterListen[];
  clientsForTenant: (tenantId: string) => Promise<TenantClients>;
  mailer: Mailer;
  syncMetrics?: SyncMetrics;
  /** the events feature: the handlers of targeted runs and hook jobs, woken by its receivers */
  events?: Pick<EventsService, 'runs' | 'hookJobs' | 'bindWorker'>;
}

export function startSyncServices(
  ctx: ServiceContext,
  services: SyncBootDeps,
): { sync: SyncService; syncNow: (tenantId: string) => Promise<number[]> } {
  const { config, db, logger, lifecycle } = ctx;
  const { clientsForTenant, mailer, events } = services;
  const sync = createSyncService({
    pool: db.pool,
    logger: logger.child({ component: 'sync' }),
    clientsForTenant,
    mailer,
    metrics: services.syncMetrics,
    // webhook events are targeted runs of the same queue: the events feature plans and settles them
    targeted: events?.runs.handle,
    // so are Procore hook registration/removal jobs (hookJobHandler of @mycoi/events)
    hooks: events?.hookJobs ?? undefined,
    config: {
      concurrency: config.SYNC_CONCURRENCY,
      cron: config.syncCron,
      enabled: config.SYNC_ENABLED,
      reconcileEveryMs: config.SYNC_RECONCILE_HOURS * 3600_000,
      // digest links: the real Procore web app, or the sandbox in the demo (decided in upstream.ts)
      procoreAppUrl: services.upstream.procoreAppUrl,
      // stable across restarts of this service on this host and port (two live processes cannot share
      // both), so a restarted instance knows the runs it left 'running' are dead and reclaims them
      instanceId: `sync-${hostname()}:${config.PORT}`,
    },
  });
  if (services.upstream.sandboxes) {
    // demo: the sandboxes may have been reset or edited while we were down (their state file
    // deleted, a row removed by hand): the first push after boot re-reads Procore and restores
    // every row of ours that is missing or changed (production relies on the daily reconcile)
    services.afterListen.push(async () => {
      const n = await markReconcileDue(db.pool);
      if (n) logger.info({ tenants: n }, 'demo: the next push of each active tenant re-reads Procore (reconcile)');
    });
  }
  events?.bindWorker(sync);
  services.afterListen.push(async () => sync.start());
  // activation and resume start the first push at once instead of waiting for the next cron slot
  const unlisten = onTenantTransition(db.pool, async (t) => {
    if (t.to !== 'active') return;
    await sync
      .kickoff(t.tenantId, t.action === 'resume' ? 'resume' : 'manual')
      .catch((err: unknown) => logger.error({ tenantId: t.tenantId, err: String(err) }, 'could not queue the first sync runs'));
  });
  lifecycle.onStop('sync scheduler', async () => {
    unlisten();
    await sync.stop();
  });
  return { sync, syncNow: (tenantId) => sync.syncNow(tenantId) };
}
