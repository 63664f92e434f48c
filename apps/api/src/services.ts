import type { AfterListen, ServiceContext } from './deps';
import { resolveUpstream, type Upstream } from './upstream';
import { startTenantServices } from './tenants/boot';
import { startEventServices } from './events/boot';
import { startSyncServices } from './scheduler/boot';
import { createSyncMetrics, type SyncMetrics } from './scheduler/metrics';
import { syncControlOf, type SyncControl } from './sync-history/control';
import { syncRefreshPort } from './panel/refresh';
import type { RefreshPort } from './panel/ports';
import type { Mailer } from './mail/mailer';
import type { EventsService } from './events/service';
import type { SyncService } from '@mycoi/jobs';
import { createTenantClientRegistry, type TenantClientRegistry } from './clients/tenant-clients';

/**
 * Everything the service runs on, built once by startServices: a closed set, every member typed.
 * createApp reads the HTTP side of it (app.ts's AppServices); the boots get narrow parts of it.
 */
export interface Services {
  /** Procore/myCOI locations and the marketplace app (sandboxes in the demo); the one place URLs are decided. */
  upstream: Upstream;
  /**
   * Run in order once HTTP is listening, with our own base URL (e.g. the scheduler, or pointing the
   * demo sandboxes' webhooks at us — on port 0 the URL is only known now).
   */
  afterListen: AfterListen[];
  /** Tenant credentials → API clients: one token and rate budget per credential set, for everyone. */
  tenantClients: TenantClientRegistry;
  syncMetrics: SyncMetrics;
  mailer: Mailer;
  /** Webhook receivers, their worker and the Procore hook registration. */
  events: EventsService;
  /** The scheduler: cron slots, runs, "sync now", targeted pushes. */
  sync: SyncService;
  /** What the console's sync routes read and do (history, truthful "sync now"). */
  syncControl: SyncControl;
  /** The side panel's "refresh" on a record. */
  panelRefresh: RefreshPort;
}

/**
 * Starts what the routes and the scheduler need, in dependency order: the upstream (embedded
 * sandboxes in the demo), the per-tenant clients, the mailer, the events service, the scheduler.
 */
export async function startServices(ctx: ServiceContext): Promise<Services> {
  const upstream = await resolveUpstream(ctx.config, ctx.lifecycle, ctx.logger);
  const afterListen: AfterListen[] = [(url) => upstream.connectDemoWebhooks(url)]; // a no-op outside the demo
  const syncMetrics = createSyncMetrics(ctx.db.pool); // registered on the app's registry when routes mount
  const tenantClients = createTenantClientRegistry({
    pool: ctx.db.pool,
    ring: ctx.config.encryption,
    procoreLoginUrl: upstream.procoreLoginUrl,
    procoreApiUrl: upstream.procoreApiUrl,
    mycoiApiUrl: upstream.mycoiApiUrl,
    sharedApp: { clientId: upstream.procoreClientId, clientSecret: upstream.procoreClientSecret },
    observers: { procore: syncMetrics.observer('procore'), mycoi: syncMetrics.observer('mycoi') },
  });
  const { mailer } = await startTenantServices(ctx); // key check, mailer, demo ops account
  // webhook receivers' worker, Procore hook registration
  const { events } = await startEventServices(ctx, { upstream, tenantClients });
  // the scheduler (starts after listen)
  const { sync } = startSyncServices(ctx, { upstream, afterListen, clientsForTenant: tenantClients.ports, mailer, syncMetrics, events });
  // "sync now" also checks the tenant's Procore rate window (the engine's default reserve of 50 calls)
  const syncControl = syncControlOf(sync, async (id) => (await tenantClients.procore(id)).client.budget.snapshot(), 50);
  return { upstream, afterListen, tenantClients, syncMetrics, mailer, events, sync, syncControl, panelRefresh: syncRefreshPort(sync) };
}
