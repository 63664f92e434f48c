import type pg from 'pg';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { createMycoiClient } from '@mycoi/mycoi';
import { mycoiPort, procorePort, type TenantClients } from '@mycoi/sync';
import { createSyncService, type SyncService, type SyncServiceDeps } from '@mycoi/jobs';

/** Fast retries: the retry policy is tested in @mycoi/http; here a test needs convergence, not waiting. */
export const fastHttp = { sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 5 } };
export const silent = { info() {}, warn() {}, error() {} };

/** Where the sandboxes listen. */
export interface SandboxUrls {
  procore: string;
  mycoi: string;
}

/**
 * The demo tenant's clients (the demo DMSA on Procore company 1001, the demo myCOI service
 * account), fresh on each call as the API's client registry builds them per tenant.
 */
export function demoClients(urls: SandboxUrls): TenantClients {
  const hosts = { baseUrl: urls.procore };
  const token = dmsaTokenProvider(createOAuthClient({ hosts, http: fastHttp }), {
    clientId: 'demo-dmsa-client',
    clientSecret: 'demo-dmsa-secret',
  });
  return {
    procore: procorePort(createProcoreClient({ hosts, token, http: fastHttp }), 1001),
    mycoi: mycoiPort(
      createMycoiClient({ baseURL: urls.mycoi, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret', ...fastHttp }),
    ),
  };
}

/**
 * A sync service on `pool` whose every tenant is the demo tenant, with no phase spread and no budget
 * reserve: one instance of the service, driven by the test (`config` adds or overrides settings).
 */
export function demoSyncService(opts: {
  pool: pg.Pool;
  urls: SandboxUrls;
  mailer: SyncServiceDeps['mailer'];
  instanceId: string;
  config?: Partial<SyncServiceDeps['config']>;
}): SyncService {
  return createSyncService({
    pool: opts.pool,
    logger: silent,
    clientsForTenant: async () => demoClients(opts.urls),
    mailer: opts.mailer,
    config: { procoreAppUrl: 'https://app.procore.com', instanceId: opts.instanceId, phaseSpreadMs: 0, budgetReserve: 0, ...opts.config },
  });
}
