import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { Lifecycle } from './lifecycle';
import { resolveUpstream, type Upstream } from './upstream';
import { startTenantServices } from './tenants/boot';

export interface ServiceContext {
  config: Config;
  db: Database;
  logger: Logger;
  lifecycle: Lifecycle;
}

export interface Services extends Record<string, unknown> {
  /** Procore/myCOI locations and the marketplace app (sandboxes in the demo). */
  upstream: Upstream;
  /** Runs once HTTP is listening (e.g. the scheduler, which may call back into our own webhooks). */
  afterListen?: () => Promise<void>;
}

/**
 * Starts what the routes and the scheduler need: embedded sandboxes in the demo, upstream
 * clients, the mailer, the scheduler. Each feature area adds its piece here.
 */
export async function startServices(ctx: ServiceContext): Promise<Services> {
  const upstream = await resolveUpstream(ctx.config, ctx.lifecycle, ctx.logger);
  const services: Services = { upstream };
  Object.assign(services, await startTenantServices(ctx)); // key check, mailer, demo ops account
  return services;
}
