import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { setCompliance } from './admin';
import { Auth, type Principal } from './auth';
import { errorHandler, sendError } from './errors';
import { Faults } from './faults';
import { IdempotencyStore } from './idempotency';
import { rateLimiter } from './ratelimit';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { complianceRoutes } from './routes/compliance';
import { resourceRoutes } from './routes/resources';
import type { MycoiSandboxOptions, RequestLogEntry, SandboxAdmin } from './sandbox-types';
import { seedDemo } from './seed/demo';
import { generateTenant } from './seed/generate';
import { type SeedSummary, summarize } from './seed/summary';
import { SandboxStore } from './store';
import { WebhookDispatcher } from './webhooks';

export interface MycoiSandbox {
  url: string;
  seed: SeedSummary;
  state: SandboxStore;
  faults: { set: Faults['set']; clear: () => void };
  requests(): RequestLogEntry[];
  clearRequests(): void;
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export async function createMycoiSandbox(opts: MycoiSandboxOptions = {}): Promise<MycoiSandbox> {
  const store = new SandboxStore();
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  const seedOpt = opts.seed ?? 'demo';
  if (seedOpt !== 'empty') seedDemo(store, asOf);
  if (typeof seedOpt === 'object') {
    const tenants = Array.isArray(seedOpt.generate) ? seedOpt.generate : [seedOpt.generate];
    const ids = new Set<string>();
    for (const t of tenants) {
      const id = t.accountId ?? 'acct-large';
      // two tenants in one account would merge silently: a seed mistake, said at once
      if (ids.has(id)) throw new Error(`seed: account ${id} is generated twice (give each tenant its own accountId)`);
      ids.add(id);
      generateTenant(store, asOf, t);
    }
  }
  const seed = summarize(store, asOf);

  const auth = new Auth(store, opts);
  const faults = new Faults(opts.latencyMs ?? 0);
  const idem = new IdempotencyStore();
  const hooks = new WebhookDispatcher(opts.webhook);
  store.onComplianceChange((r) => hooks.emit(r));
  let log: RequestLogEntry[] = [];

  const admin: SandboxAdmin = {
    setCompliance: (target, change) => setCompliance(store, target, change),
    unlockUser: (email) => auth.unlock(email),
    expireTokens: () => auth.expireAll(),
    setWebhook: (c) => hooks.configure(c),
    flushWebhooks: () => hooks.flush(),
    deliveries: () => [...hooks.deliveries],
    setFaults: (c) => faults.set(c),
    faults: () => faults.current(),
    requests: () => [...log],
    clearRequests: () => {
      log = [];
    },
    seedSummary: () => seed,
    counts: () => store.counts(),
    fullState: () => ({
      accounts: [...store.accounts.values()],
      divisions: store.divisions.rows,
      vendors: store.vendors.rows,
      insurance_sets: store.insuranceSets.rows,
      assignments: store.assignments.rows,
      compliance: [...store.compliance.values()],
    }),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(adminRoutes(admin));

  const api = express.Router();
  api.use((req: Request, res: Response, next) => {
    const started = new Date().toISOString();
    let logged = false;
    // 'finish' (answer handed to the socket) usually comes first; 'close' alone means no answer.
    const record = () => {
      if (logged) return;
      logged = true;
      const p = res.locals.principal as Principal | undefined;
      const key = req.headers['idempotency-key'];
      // Bounded, so a long-running demo sandbox does not grow without limit.
      if (log.length >= 20_000) log.splice(0, 1_000);
      log.push({
        at: started,
        method: req.method,
        path: req.path,
        query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        status: res.writableFinished ? res.statusCode : 0,
        accountId: p?.accountId ?? res.locals.accountId ?? null,
        clientId: p?.clientId ?? res.locals.clientId ?? null,
        tokenKind: p?.kind ?? null,
        fault: res.locals.fault ?? null,
        idempotencyKey: typeof key === 'string' ? key : null,
      });
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  });
  api.use(faults.middleware());
  api.use(rateLimiter(opts.rateLimit));
  api.use(authRoutes(store, auth));
  api.use('/v1', auth.middleware());
  api.use(resourceRoutes(store, idem));
  api.use(complianceRoutes(store));
  app.use(api);
  app.use((req, res) => sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}`));
  app.use(errorHandler);

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    seed,
    state: store,
    faults: { set: (c) => faults.set(c), clear: () => faults.clear() },
    requests: admin.requests,
    clearRequests: admin.clearRequests,
    admin,
    close: async () => {
      hooks.close();
      faults.held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
