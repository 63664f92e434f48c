import type { ServiceContext } from '../deps';
import type { Upstream } from '../upstream';
import type { TenantClientRegistry } from '../clients/tenant-clients';
import type { TenantClients } from '@mycoi/sync';
import { HOOK_NAMESPACE, HookManager, syncTargetedEngine } from '@mycoi/events';
import { createEventsService, type EventsService } from './service';

/**
 * Events boot, called from startServices after the upstream is known: the receivers, the handler
 * of targeted runs (the sync boot hands it to the one job worker, which also handles events stored
 * before a restart), the Procore hook registration on tenant activation/deactivation and its
 * periodic repair. Clients come from `services.tenantClients`.
 */
export interface EventBootDeps {
  upstream: Pick<Upstream, 'procoreAppUrl' | 'mycoiWebhookSecret'>;
  tenantClients: TenantClientRegistry;
}

export async function startEventServices(ctx: ServiceContext, services: EventBootDeps): Promise<{ events: EventsService }> {
  const { config, db, logger, lifecycle } = ctx;
  const up = services.upstream;
  const clientsForTenant = (tenantId: string): Promise<TenantClients> => services.tenantClients.ports(tenantId);
  const log = logger.child({ component: 'events' });
  const events = createEventsService({
    pool: db.pool,
    logger: log,
    sessionSecret: config.sessionSecret,
    engine: syncTargetedEngine({
      pool: db.pool,
      logger: log,
      clientsForTenant,
      // targeted runs never send mail (the digest belongs to the cycle's upkeep)
      mailer: { send: async () => ({}) },
      procoreAppUrl: up.procoreAppUrl,
    }),
    hooks: new HookManager({
      pool: db.pool,
      clients: services.tenantClients,
      publicUrl: () => config.publicUrl,
      namespace: HOOK_NAMESPACE,
    }),
    mycoiSecret: () => up.mycoiWebhookSecret,
    coalesceMs: config.EVENTS_COALESCE_MS,
  });
  events.start();
  lifecycle.onStop('events', () => events.stop());
  return { events };
}
