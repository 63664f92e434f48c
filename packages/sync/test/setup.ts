import { createProcoreSandbox, type ProcoreSandbox, type ProcoreSandboxOptions } from '@mycoi/procore-sandbox';
import { createMycoiSandbox, type MycoiSandbox, type MycoiSandboxOptions } from '@mycoi/mycoi-sandbox';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider } from '@mycoi/procore';
import { createMycoiClient } from '@mycoi/mycoi';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import {
  claimRunById,
  enqueueRun,
  executeRun,
  mycoiPort,
  procorePort,
  type EngineOptions,
  type MailMessage,
  type RunKind,
  type TenantClients,
} from '../src';
import { insertTenant } from './helpers';

/** Rate limits raised (never off) so the suites stay fast; the runs at Procore's documented limits
 *  pass `procore: { rateLimit: PROCORE_LIMITS }`. */
export const RAISED_LIMITS = { hourly: 100_000, spike10s: 10_000 };

// Fast retries: the retry policy is tested in @mycoi/http; here we need convergence, not waiting.
// Budget waits (a spent spike window, a 429's Retry-After) stay real time; a storm longer than a few
// seconds stops the run, which queues its continuation for the Retry-After.
const fastHttp = { sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 8, maxThrottleMs: 3000 } };

export interface World {
  db: Database;
  procore: ProcoreSandbox;
  mycoi: MycoiSandbox;
  clients(): TenantClients;
  mail: MailMessage[];
  /** status (or error code) of every Procore attempt the client made, retries included */
  attempts: (number | string)[];
  /** Times the Procore clients waited for a rate window (spike window or Retry-After) so far. */
  budgetWaits(): number;
  /** Drop the shared Procore client (its budget's clock is real time, the sandbox's can jump). */
  forgetProcoreClient(): void;
  engine: EngineOptions;
  tenantId: string;
  run(kind: RunKind, target?: object): Promise<Awaited<ReturnType<typeof executeRun>>>;
  close(): Promise<void>;
}

export const silent = { info() {}, warn() {}, error() {} };

export async function createWorld(
  opts: {
    level?: 'vendor' | 'commitment' | 'both';
    settings?: object;
    procore?: ProcoreSandboxOptions;
    mycoi?: MycoiSandboxOptions;
    db?: Database;
    /** tenants are unique per (environment, company): several worlds can share one database */
    environment?: 'local' | 'sandbox' | 'monthly' | 'production';
    status?: string;
    wrapProcore?: (p: TenantClients['procore']) => TenantClients['procore'];
    /** One Procore client (token and rate budget) for every run, as the API's client registry keeps
     *  it; default: fresh clients per run. */
    shareProcoreClient?: boolean;
  } = {},
): Promise<World> {
  const [db, procore, mycoi] = await Promise.all([
    opts.db ? Promise.resolve(opts.db) : createTestDatabase(),
    createProcoreSandbox({ seed: 'demo', rateLimit: RAISED_LIMITS, ...opts.procore }),
    createMycoiSandbox({ seed: 'demo', ...opts.mycoi }),
  ]);
  const tenantId = await insertTenant(db.pool, {
    companyId: '1001',
    level: opts.level ?? 'both',
    settings: opts.settings ?? {},
    environment: opts.environment,
    status: opts.status,
  });
  // fresh clients per run, as the API builds them per tenant
  const attempts: (number | string)[] = [];
  const made: { stats: { budgetWaits: number } }[] = [];
  let shared: ReturnType<typeof createProcoreClient> | undefined;
  const procoreClient = () => {
    if (shared) return shared;
    const hosts = { baseUrl: procore.url };
    const token = dmsaTokenProvider(createOAuthClient({ hosts, http: fastHttp }), {
      clientId: 'demo-dmsa-client',
      clientSecret: 'demo-dmsa-secret',
    });
    // a background caller, as the scheduler's client is
    const pc = createProcoreClient({
      hosts,
      token,
      http: { ...fastHttp, priority: 'background', onAttempt: (a) => attempts.push(a.status ?? a.code ?? 'error') },
    });
    made.push(pc);
    if (opts.shareProcoreClient) shared = pc;
    return pc;
  };
  const clients = (): TenantClients => {
    const pc = procoreClient();
    const mc = createMycoiClient({ baseURL: mycoi.url, clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret', ...fastHttp });
    const port = procorePort(pc, 1001);
    return { procore: opts.wrapProcore ? opts.wrapProcore(port) : port, mycoi: mycoiPort(mc) };
  };
  const mail: MailMessage[] = [];
  const engine: EngineOptions = {
    pool: db.pool,
    logger: silent,
    clientsForTenant: async () => clients(),
    mailer: {
      send: async (m) => {
        mail.push(m);
      },
    },
    procoreAppUrl: procore.url,
    budgetReserve: 0,
  };
  let n = 0;
  return {
    db,
    procore,
    mycoi,
    clients,
    mail,
    attempts,
    engine,
    tenantId,
    budgetWaits: () => made.reduce((n, c) => n + c.stats.budgetWaits, 0),
    forgetProcoreClient: () => {
      shared = undefined;
    },
    async run(kind, target) {
      let id = await enqueueRun(db.pool, { tenantId, kind, trigger: 'manual', target: target ?? null });
      if (id === null) {
        // a run stopped on a low budget queued its continuation: run that one now
        const q = await db.pool.query<{ id: number }>(
          `update runs set run_after = now() where tenant_id = $1 and kind = $2 and status = 'queued' returning id`,
          [tenantId, kind],
        );
        id = q.rows[0]?.id ?? null;
        if (id === null) throw new Error('a run is already running');
      }
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

/**
 * Procore holds exactly the desired state: one row per wanted ledger entry (no duplicate, none
 * missing), in the right scope, with the wanted content, and no row of ours that is not wanted.
 */
export async function convergence(
  w: World,
): Promise<{ missing: string[]; extra: string[]; duplicated: string[]; wrong: string[]; dirty: number }> {
  const { matchesDesired } = await import('../src');
  const ledger = await w.db.pool.query<{ origin_id: string; target: string; procore_project_id: string; desired: never }>(
    `select origin_id, target, procore_project_id, desired from pushed_insurances
     where tenant_id = $1 and target <> 'commitment_status' and desired is not null`,
    [w.tenantId],
  );
  const dirty = await w.db.pool.query<{ n: number }>(
    `select count(*)::int as n from pushed_insurances where tenant_id = $1 and desired_hash is distinct from pushed_hash`,
    [w.tenantId],
  );
  const rows = ourRows(w.procore);
  const byOrigin = new Map<string, typeof rows>();
  for (const r of rows) byOrigin.set(r.origin_id!, [...(byOrigin.get(r.origin_id!) ?? []), r]);
  const want = new Map(ledger.rows.map((l) => [l.origin_id, l]));
  const wrong: string[] = [];
  for (const l of ledger.rows) {
    const got = byOrigin.get(l.origin_id)?.[0];
    if (!got) continue;
    const scopeOk = l.target === 'company' ? got.project_id === null : String(got.project_id) === l.procore_project_id;
    const asRead = { ...got, id: String(got.id), vendor_id: String(got.vendor_id) } as never;
    if (!scopeOk || !matchesDesired(l.desired, asRead)) wrong.push(l.origin_id);
  }
  return {
    missing: ledger.rows.filter((l) => !byOrigin.has(l.origin_id)).map((l) => l.origin_id),
    extra: [...byOrigin.keys()].filter((o) => !want.has(o)),
    duplicated: [...byOrigin].filter(([, v]) => v.length > 1).map(([k]) => k),
    wrong,
    dirty: dirty.rows[0]!.n,
  };
}
