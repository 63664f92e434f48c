// One service instance of bench:scale, in a process of its own as a deployment runs it: its own
// event loop and CPU, its own pool on the shared PostgreSQL, its own instance id and one Procore
// and myCOI client per tenant (token and rate budget), as the API's tenant client registry keeps
// them. Driven by bench/scale-run.ts over IPC: tick a slot, wake, report, stop.
// Args: instanceId concurrency procoreUrl mycoiUrl (DATABASE_URL names the bench's database).
import { openDatabase } from '@mycoi/db';
import { createMycoiClient } from '@mycoi/mycoi';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { companyDmsa } from '@mycoi/procore-sandbox';
import { mycoiPort, procorePort, type TenantClients } from '@mycoi/sync';
import { createSyncService } from '@mycoi/jobs';
import { companyIdOf, mycoiAccountOf } from './scale-plan';

const [instanceId, concurrencyArg, procoreUrl, mycoiUrl] = process.argv.slice(2) as [string, string, string, string];
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('scale-instance: DATABASE_URL is required');
const db = openDatabase({ databaseUrl });
const silent = { info() {}, warn() {}, error() {} };

// tenant id → Procore company (the bench's tenants are companies 1001 + index, see scale-plan.ts)
const { rows } = await db.pool.query<{ id: string; company: string }>('select id, procore_company_id as company from tenants');
const companyOf = new Map(rows.map((r) => [r.id, Number(r.company)]));
const hosts = { baseUrl: procoreUrl };
const cache = new Map<string, TenantClients>();
async function clientsForTenant(tenantId: string): Promise<TenantClients> {
  const cached = cache.get(tenantId);
  if (cached) return cached;
  const companyId = companyOf.get(tenantId);
  if (companyId === undefined) throw new Error(`unknown tenant ${tenantId}`);
  const account = mycoiAccountOf(companyId - companyIdOf(0));
  const token = dmsaTokenProvider(createOAuthClient({ hosts }), companyDmsa(companyId));
  const procore = createProcoreClient({ hosts, token, http: { priority: 'background' }, perPage: 1000 });
  const mycoi = createMycoiClient({ baseURL: mycoiUrl, clientId: account.clientId, clientSecret: account.clientSecret });
  const clients = { procore: procorePort(procore, companyId), mycoi: mycoiPort(mycoi) };
  cache.set(tenantId, clients);
  return clients;
}

let executed = 0;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const sync = createSyncService({
  pool: db.pool,
  logger: silent,
  clientsForTenant,
  mailer: { send: async () => undefined },
  config: {
    procoreAppUrl: procoreUrl,
    enabled: true, // the worker loop runs; the bench ticks the slots itself:
    cron: '0 0 1 1 *', // a cron that does not fire during the bench
    phaseSpreadMs: 0, // spread 0: every tenant due at the slot start
    pollMs: 250,
    instanceId,
    concurrency: Number(concurrencyArg),
  },
  metrics: { observeRun: () => void executed++ },
});
sync.start();

export interface InstanceReport {
  executed: number;
  /** CPU time of this process so far, ms (user + system) */
  cpuMs: number;
  peakRssMb: number;
}

process.on('message', (msg: { id: number; cmd: string; slot?: string }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  switch (msg.cmd) {
    case 'tick':
      // as node-cron fires on each instance: the slot coordinator lets one of them enqueue
      return void sync.tick(new Date(msg.slot!)).then((queued) => {
        sync.wake();
        reply(queued);
      });
    case 'report': {
      const cpu = process.cpuUsage();
      return reply({ executed, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(peakRss / 1048576) });
    }
    case 'stop':
      return void sync
        .stop()
        .then(() => db.close())
        .then(() => {
          clearInterval(sampler);
          reply(true);
          process.exit(0);
        });
  }
});
process.send!({ id: 0, data: 'ready' });
