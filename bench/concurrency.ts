// npm run bench:concurrency — how many runs one instance should execute at once (SYNC_CONCURRENCY).
//
// TENANTS companies in the Procore sandbox (50 ms latency per call, limits raised so the
// measurement is of latency, not of one shared token's budget: every tenant here uses the same
// DMSA client), each a tenant of its own with VENDORS linked vendors, sharing one myCOI account
// (50 ms latency). For each concurrency: a fresh database, then `runCycle()` (upkeep + first push
// of every tenant, drained by the job worker) timed end to end. Ends with one JSON line.
import { createTestDatabase } from '@mycoi/db/testing';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { createMycoiClient } from '@mycoi/mycoi';
import { mycoiPort, procorePort, type TenantClients } from '@mycoi/sync';
import { createProcoreSandbox } from '@mycoi/procore-sandbox';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { createSyncService } from '@mycoi/jobs';
import { seedBenchLinks } from './links';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 16);
const VENDORS = 40;
const LATENCY_MS = 50;
const LEVELS = (process.env.BENCH_LEVELS ?? '1,2,4,8,16').split(',').map(Number);
const silent = { info() {}, warn() {}, error() {} };

const procore = await createProcoreSandbox({
  seed: {
    companies: TENANTS,
    projectsPerCompany: 2,
    vendors: VENDORS,
    vendorsPerProject: 10,
    commitmentsPerProject: 2,
    insurancesPerVendor: 0,
    seed: 5,
  },
  latencyMs: LATENCY_MS,
  rateLimit: { hourly: 10_000_000, spike10s: 10_000_000 },
});
const mycoi = await createMycoiSandbox({
  seed: { generate: { vendors: VENDORS, linesPerVendor: 4, assignments: 0, divisions: 2 } },
  latencyMs: LATENCY_MS,
  rateLimit: { limit: 10_000_000 },
});
const account = mycoi.seed.accounts.find((a) => a.id === 'acct-large')!;
const companies = Array.from({ length: TENANTS }, (_, i) => 1001 + i);
const vendorsOf = (company: number) =>
  [...procore.state.vendors.values()]
    .filter((v) => v.company_id === company)
    .map((v) => v.id)
    .sort((a, b) => a - b);

const hosts = { baseUrl: procore.url };
const token = dmsaTokenProvider(createOAuthClient({ hosts }), { clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
const procoreClient = createProcoreClient({
  hosts,
  token,
  http: { retry: { baseDelayMs: 50, maxDelayMs: 1000 }, priority: 'background' },
  perPage: 1000,
});
const mycoiClient = createMycoiClient({ baseURL: mycoi.url, clientId: account.clientId, clientSecret: account.clientSecret });

const results: { concurrency: number; ms: number; runs: number; calls: number }[] = [];
for (const concurrency of LEVELS) {
  const db = await createTestDatabase();
  const companyOf = new Map<string, number>();
  for (const company of companies) {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into tenants (procore_company_id, name, status, compliance_level, procore_environment, mycoi_account_id)
       values ($1, $2, 'active', 'vendor', 'local', 'acct-large') returning id`,
      [String(company), `GC ${company}`],
    );
    const tenantId = rows[0]!.id;
    companyOf.set(tenantId, company);
    const procoreVendors = vendorsOf(company);
    await seedBenchLinks(db.pool, tenantId, { mycoiVendorIds: account.vendorIds, vendors: procoreVendors });
  }
  const clientsForTenant = async (tenantId: string): Promise<TenantClients> => ({
    procore: procorePort(procoreClient, companyOf.get(tenantId)!),
    mycoi: mycoiPort(mycoiClient),
  });
  const sync = createSyncService({
    pool: db.pool,
    logger: silent,
    clientsForTenant,
    mailer: { send: async () => undefined },
    config: { procoreAppUrl: procore.url, enabled: false, concurrency },
  });
  procore.clearRequests();
  const t0 = performance.now();
  const done = await sync.runCycle();
  const ms = performance.now() - t0;
  const failed = done.filter((d) => d.outcome.status !== 'succeeded');
  if (failed.length) throw new Error(`runs not succeeded: ${JSON.stringify(failed.map((f) => [f.run.kind, f.outcome.stopReason]))}`);
  const calls = procore.requests().filter((r) => !r.path.startsWith('/oauth')).length;
  results.push({ concurrency, ms: Math.round(ms), runs: done.length, calls });
  console.log(
    `concurrency ${String(concurrency).padStart(2)}: ${done.length} runs of ${TENANTS} tenants in ${Math.round(ms)} ms (${calls} Procore calls)`,
  );
  await sync.stop();
  await db.close();
}
await Promise.all([procore.close(), mycoi.close()]);
const base = results[0]!.ms;
console.log(
  JSON.stringify({
    bench: 'concurrency',
    tenants: TENANTS,
    latencyMs: LATENCY_MS,
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    levels: results.map((r) => ({ concurrency: r.concurrency, ms: r.ms, speedup: Number((base / r.ms).toFixed(2)) })),
  }),
);
