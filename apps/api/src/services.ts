import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { Lifecycle } from './lifecycle';

export interface ServiceContext {
  config: Config;
  db: Database;
  logger: Logger;
  lifecycle: Lifecycle;
}

export interface Services extends Record<string, unknown> {
  /** Runs once HTTP is listening (e.g. the scheduler, which may call back into our own webhooks). */
  afterListen?: () => Promise<void>;
}

/**
 * Starts what the routes and the scheduler need: embedded sandboxes in the demo, upstream
 * clients, the mailer, the scheduler. Each feature area adds its piece here.
 */
export async function startServices(ctx: ServiceContext): Promise<Services> {
  void ctx;
  return {};
}
