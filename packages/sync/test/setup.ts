import { createProcoreSandbox, type ProcoreSandbox, type ProcoreSandboxOptions } from '@mycoi/procore-sandbox';
import { createMycoiSandbox, type MycoiSandbox, type MycoiSandboxOptions } from '@mycoi/mycoi-sandbox';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { createMycoiClient } from '@mycoi/mycoi';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import {
  claimRunById, enqueueRun, executeRun, mycoiPort, procorePort,
  type EngineOptions, type MailMessage, type RunKind, type TenantClients,
} from '../src';
import { insertTenant } from './helpers';

// Fast retries: the retry policy is tested in @mycoi/http; here we need convergence, not waiting.
const fastHttp = { sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 8 } };

export interface World {
  db: Database;
  procore: ProcoreSandbox;
  mycoi: MycoiSandbox;
  clients(): TenantClients;
  mail: MailMessage[];
  engine: EngineOptions;
  tenantId: string;
  run(kind: RunKind, target?: object): Promise<Awaited<ReturnType<typeof executeRun>>>;
  close(): Promise<void>;
}

export const silent = { info() {}, warn() {}, error() {} };

export async function createWorld(opts: {
  level?: 'vendor' | 'commitment' | 'both';
  settings?: object;
  procore?: ProcoreSandboxOptions;
  mycoi?: MycoiSandboxOptions;
  db?: Database;
} = {}): Promise<World> {
  const [db, procore, mycoi] = await Promise.all([
    opts.db ? Promise.resolve(opts.db) : createTestDatabase(),
    createProcoreSandbox({ seed: 'demo', ...opts.procore }),
    createMycoiSandbox({ seed: 'demo', ...opts.mycoi }),
  ]);
  const tenantId = await insertTenant(db.pool, { companyId: '1001', level: opts.level ?? 'both', settings: opts.settings ?? {} });
  // fresh clients per run, as the API builds them per tenant
  const clients = (): TenantClients => {
    const hosts = { baseUrl: procore.url };
    const token = dmsaTokenProvider(createOAuthClient({ hosts, http: fastHttp }), { clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
    const pc = createProcoreClient({ hosts, token, http: fastHttp });
    const mc = createMycoiClient({ baseURL: mycoi.url, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret', ...fastHttp });
    return { procore: procorePort(pc, 1001), mycoi: mycoiPort(mc) };
  };
  const mail: MailMessage[] = [];
  const engine: EngineOptions = {
    pool: db.pool,
    logger: silent,
    clientsForTenant: async () => clients(),
    mailer: { send: async (m) => { mail.push(m); } },
    procoreAppUrl: procore.url,
    budgetReserve: 0,
  };
  let n = 0;
  return {
    db, procore, mycoi, clients, mail, engine, tenantId,
    async run(kind, target) {
      const id = await enqueueRun(db.pool, { tenantId, kind, trigger: 'manual', target: target ?? null });
      if (id === null) throw new Error('a run is already active');
      const run = await claimRunById(db.pool, id, `test-${++n}`, 60_000);
      return executeRun(engine, run!, `test-${n}`, async () => undefined);
    },
    async close() {
      await Promise.all([procore.close(), mycoi.close(), opts.db ? Promise.resolve() : db.close()]);
    },
  };
}

/** Our rows in the Procore sandbox (origin_id with our prefix), keyed by origin_id. */
export function ourRows(sb: ProcoreSandbox) {
  return [...sb.state.insurances.values()].filter((i) => typeof i.origin_id === 'string' && i.origin_id.startsWith('mycoi:'));
}
