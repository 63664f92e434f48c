import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { Lifecycle } from './lifecycle';
import { resolveUpstream, type Upstream } from './upstream';
import { startTenantServices } from './tenants/boot';
import { startEventServices } from './events/boot';
import { startSyncServices } from './scheduler/boot';
import { createSyncMetrics } from './scheduler/metrics';
import { syncControlOf } from './sync-history/control';
import { syncRefreshPort } from './panel/refresh';
import { createTenantClientRegistry, type TenantClientRegistry } from './clients/tenant-clients';

export interface ServiceContext {
  config: Config;
  db: Database;
  logger: Logger;
  lifecycle: Lifecycle;
}

export interface Services extends Record<string, unknown> {
  /** Procore/myCOI locations and the marketplace app (sandboxes in the demo). */
  upstream: Upstream;
  /**
   * Run in order once HTTP is listening, with our own base URL (e.g. the scheduler, or pointing the
   * demo sandboxes' webhooks at us — on port 0 the URL is only known now). Push to this list.
   */
  afterListen: ((url: string) => Promise<void>)[];
  /** Tenant credentials → API clients: one token and rate budget per credential set, for everyone. */
  tenantClients: TenantClientRegistry;
}

/**
 * Starts what the routes and the scheduler need: embedded sandboxes in the demo, upstream
 * clients, the mailer, the scheduler. Each feature area adds its piece here.
 */
export async function startServices(ctx: ServiceContext): Promise<Services> {
  const upstream = await resolveUpstream(ctx.config, ctx.lifecycle, ctx.logger);
  const syncMetrics = createSyncMetrics(ctx.db.pool); // registered on the app's registry when routes mount
  const sharedApp = { clientId: upstream.procoreClientId, clientSecret: upstream.procoreClientSecret };
  const tenantClients = createTenantClientRegistry({
    pool: ctx.db.pool,
    ring: ctx.config.encryption,
    procoreLoginUrl: upstream.procoreLoginUrl,
    procoreApiUrl: upstream.procoreApiUrl,
    mycoiApiUrl: upstream.mycoiApiUrl,
    sharedApp,
    observers: { procore: syncMetrics.observer('procore'), mycoi: syncMetrics.observer('mycoi') },
  });
  const services: Services = { upstream, afterListen: [], tenantClients, clientsForTenant: tenantClients.ports, syncMetrics };
  if (upstream.sandboxes) services.afterListen.push((url) => upstream.connectDemoWebhooks(url));
  Object.assign(services, await startTenantServices(ctx)); // key check, mailer, demo ops account
  Object.assign(services, await startEventServices(ctx, services)); // webhook receivers' worker, Procore hook registration
  const { sync, syncNow } = startSyncServices(ctx, services); // scheduler (starts after listen)
  // "sync now" also checks the tenant's Procore rate window (the engine's default reserve of 50 calls)
  const syncControl = syncControlOf(sync, async (id) => (await tenantClients.procore(id)).client.budget.snapshot(), 50);
  Object.assign(services, { sync, syncNow, syncControl, panelRefresh: syncRefreshPort(sync) });
  return services;
}
