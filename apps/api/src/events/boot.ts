import type { ServiceContext, Services } from '../services';
import type { SharedProcoreApp } from '../tenants/credentials';
import { HookManager } from './hooks';
import { createEventsService, type EventsService } from './service';
import { syncTargetedEngine } from './sync-engine';
import { tenantClientsFactory } from './tenant-clients';

/** Our namespace at Procore: lowercase, digits, dashes; one per app across all companies. */
export const HOOK_NAMESPACE = 'mycoi-procore';

/**
 * Events boot, called from startServices after the upstream is known: the receivers' worker
 * (handles events stored before a restart at once), the Procore hook registration on tenant
 * activation/deactivation and its periodic repair. Exposes `clientsForTenant` for the scheduler.
 */
export async function startEventServices(ctx: ServiceContext, services: Services): Promise<{ events: EventsService; clientsForTenant: ReturnType<typeof tenantClientsFactory> }> {
  const { config, db, logger, lifecycle } = ctx;
  const up = services.upstream;
  const sharedApp: SharedProcoreApp | undefined =
    up.procoreClientId && up.procoreClientSecret ? { clientId: up.procoreClientId, clientSecret: up.procoreClientSecret } : undefined;
  const clientsForTenant =
    (services.clientsForTenant as ReturnType<typeof tenantClientsFactory> | undefined) ??
    tenantClientsFactory({ pool: db.pool, ring: config.encryption, procoreLoginUrl: up.procoreLoginUrl, procoreApiUrl: up.procoreApiUrl, mycoiApiUrl: up.mycoiApiUrl, sharedApp });
  const log = logger.child({ component: 'events' });
  const events = createEventsService({
    pool: db.pool,
    logger: log,
    engine: syncTargetedEngine({
      owner: `events-${process.pid}`,
      engine: {
        pool: db.pool,
        logger: log,
        clientsForTenant,
        // targeted runs never send mail (the digest belongs to the cycle's upkeep)
        mailer: { send: async () => ({}) },
        procoreAppUrl: up.procoreApiUrl,
      },
    }),
    hooks: new HookManager({
      pool: db.pool,
      ring: config.encryption,
      procoreLoginUrl: up.procoreLoginUrl,
      procoreApiUrl: up.procoreApiUrl,
      publicUrl: () => config.publicUrl,
      namespace: HOOK_NAMESPACE,
      sharedApp,
    }),
    mycoiSecret: () => up.mycoiWebhookSecret,
    coalesceMs: config.EVENTS_COALESCE_MS,
  });
  // demo: the embedded myCOI sandbox plays myCOI ops, who register our webhook URL and secret
  const mycoiSandbox = up.sandboxes?.mycoi as { admin?: { setWebhook?: (c: { url: string; secret: string }) => void } } | undefined;
  mycoiSandbox?.admin?.setWebhook?.({ url: `${config.publicUrl}/webhooks/mycoi`, secret: up.mycoiWebhookSecret });
  events.start();
  lifecycle.onStop('events', () => events.stop());
  return { events, clientsForTenant };
}
