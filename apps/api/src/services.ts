import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { Lifecycle } from './lifecycle';
import { resolveUpstream, type Upstream } from './upstream';
import { startTenantServices } from './tenants/boot';
import { startEventServices } from './events/boot';
import { startSyncServices } from './scheduler/boot';
import type { SyncService } from './scheduler/service';
import type { RefreshPort } from './panel/ports';
import { HttpError } from './http/errors';
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
 * The side panel's "refresh now": a targeted push of that one vendor or assignment, in the request,
 * through the same engine, ledger and per-tenant exclusivity as the cycle. When a run for the tenant
 * is already going, the push is queued instead and the panel says so.
 */
function panelRefresh(sync: SyncService): RefreshPort {
  return {
    async refresh(tenantId, target) {
      const outcome = await sync.pushTargeted(
        target.kind === 'vendor' ? { tenantId, vendorId: target.mycoiId } : { tenantId, assignmentId: target.mycoiId },
      );
      if (!outcome) return { pushed: null, queued: true };
      if (outcome.stopReason === 'compliance_push_off') {
        throw new HttpError(409, 'compliance_push_off', 'Compliance push into Procore is turned off for this company');
      }
      if (outcome.status === 'failed') {
        const reason = outcome.ctx?.errors[0]?.message ?? outcome.stopReason ?? 'unknown error';
        if (/no myCOI credentials|no usable Procore DMSA/.test(reason)) {
          throw new HttpError(409, 'push_not_configured', 'Compliance push into Procore is not set up for this company yet; myCOI ops can finish it in the console');
        }
        throw new HttpError(502, 'push_failed', `The push to Procore failed: ${reason.slice(0, 200)}. It will be retried by the next cycle.`);
      }
      const c = outcome.ctx?.counts;
      // "rows changed" as the panel says it: rows already right in Procore are not counted
      return { pushed: c ? c.created + c.updated + c.deleted : 0, queued: outcome.status === 'stopped' };
    },
  };
}

/**
 * Starts what the routes and the scheduler need: embedded sandboxes in the demo, upstream
 * clients, the mailer, the scheduler. Each feature area adds its piece here.
 */
export async function startServices(ctx: ServiceContext): Promise<Services> {
  const upstream = await resolveUpstream(ctx.config, ctx.lifecycle, ctx.logger);
  const sharedApp = { clientId: upstream.procoreClientId, clientSecret: upstream.procoreClientSecret };
  const tenantClients = createTenantClientRegistry({
    pool: ctx.db.pool,
    ring: ctx.config.encryption,
    procoreLoginUrl: upstream.procoreLoginUrl,
    procoreApiUrl: upstream.procoreApiUrl,
    mycoiApiUrl: upstream.mycoiApiUrl,
    sharedApp,
  });
  const services: Services = { upstream, afterListen: [], tenantClients, clientsForTenant: tenantClients.ports };
  if (upstream.sandboxes) services.afterListen.push((url) => upstream.connectDemoWebhooks(url));
  Object.assign(services, await startTenantServices(ctx)); // key check, mailer, demo ops account
  Object.assign(services, await startEventServices(ctx, services)); // webhook receivers' worker, Procore hook registration, clientsForTenant
  const { sync, syncNow } = startSyncServices(ctx, services); // scheduler (starts after listen)
  Object.assign(services, { sync, syncNow, panelRefresh: panelRefresh(sync) });
  return services;
}
