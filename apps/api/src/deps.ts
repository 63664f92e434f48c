import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { Lifecycle } from './lifecycle';

// The shared dependency types of the composition root. A leaf on purpose: it imports no feature
// folder, so features can name these without importing app.ts or services.ts (which import them).

/** What every part of the service is built from: config, the database, the logger. */
export interface CoreDeps {
  config: Config;
  db: Database;
  logger: Logger;
}

/** What a feature's boot (tenants/boot.ts, events/boot.ts, scheduler/boot.ts) receives from startServices. */
export interface ServiceContext extends CoreDeps {
  lifecycle: Lifecycle;
}

/** Runs once HTTP is listening, with our own base URL (on port 0 it is only known then). */
export type AfterListen = (ourBaseUrl: string) => Promise<void>;
