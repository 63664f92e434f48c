import express, { type Express } from 'express';
import type { SandboxAdmin } from '../admin';
import { harnessRouter, type HarnessOptions } from '../harness';
import { oauthRouter } from '../oauth/routes';
import { commitmentsRouter } from '../routes/commitments';
import { contractsWriteRouter } from '../routes/contracts-write';
import { coreRouter } from '../routes/core';
import { insurancesRouter } from '../routes/insurances';
import { projectVendorsRouter } from '../routes/project-vendors';
import { vendorsRouter } from '../routes/vendors';
import { webhooksRouter } from '../routes/webhooks';
import { adminRouter } from './admin-routes';
import { authenticate } from './auth';
import type { Deps } from './context';
import { errorHandler, notFound } from './errors';
import type { FaultInjector } from './faults';
import type { RateLimiter } from './ratelimit';
import type { RequestLog } from './requestlog';

export interface AppParts {
  deps: Deps;
  faults: FaultInjector;
  limiter: RateLimiter;
  log: RequestLog;
  admin: SandboxAdmin;
  /** Extra routes for embedders (tests, demos), mounted before the 404 handler. */
  extend?: (app: Express, deps: Deps) => void;
  harness?: HarnessOptions;
}

/**
 * One Express app serves both Procore hosts: the login host paths (/oauth/…) and the API host
 * paths (/rest/…). Order matters: log → faults → OAuth | (auth → rate limit → REST routes).
 */
export function buildApp(p: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(p.log.middleware());
  app.use(adminRouter({ store: p.deps.store, faults: p.faults, log: p.log, admin: p.admin, emitter: p.deps.emitter }));
  app.use(p.faults.middleware());
  app.use(oauthRouter(p.deps));
  app.use('/rest', authenticate(p.deps), p.limiter.middleware(), express.json({ limit: '10mb' }));
  app.use(coreRouter(p.deps));
  app.use(vendorsRouter(p.deps));
  app.use(projectVendorsRouter(p.deps));
  app.use(insurancesRouter(p.deps));
  app.use(commitmentsRouter(p.deps));
  app.use(contractsWriteRouter(p.deps));
  app.use(webhooksRouter(p.deps));
  app.use(harnessRouter(p.deps, p.harness)); // /_harness/: pages framing the side panel like Procore (src/harness)
  p.extend?.(app, p.deps);
  app.use('/rest', (_req, _res, next) => next(notFound('Route')));
  app.use(errorHandler);
  return app;
}
