import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { errorHandler, notFoundHandler } from './http/errors';
import { createMetrics, metricsMiddleware, type Metrics } from './http/metrics';
import { healthRoutes } from './routes/health';
import { mountFeatureRoutes } from './routes';
import { panelFrameAncestors } from './panel/frame';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics?: Metrics;
  /** Services built in main (clients, scheduler, mailer…); feature routes read what they need. */
  services?: Record<string, unknown>;
}

/** Builds the Express app without listening, so tests mount it on port 0. */
export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(
    helmet({
      // The side panel lives in Procore's iframe: X-Frame-Options would forbid it, so framing is
      // governed by CSP frame-ancestors, limited to Procore's origins (configurable).
      frameguard: false,
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'frame-ancestors': ["'self'", ...panelFrameAncestors(deps.config, deps.services)],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'form-action': ["'self'", ...(deps.config.PROCORE_LOGIN_URL ? [deps.config.PROCORE_LOGIN_URL] : [])],
          'upgrade-insecure-requests': deps.config.mode === 'production' ? [] : null,
        },
      },
      crossOriginOpenerPolicy: false, // the Procore sign-in popup must keep its opener link
      hsts: deps.config.mode === 'production',
    }),
  );
  app.use(metricsMiddleware(metrics));
  // `rawBody` keeps the exact bytes: webhook signatures (myCOI HMAC) are computed over them.
  const json = express.json({
    limit: deps.config.BODY_LIMIT,
    verify: (req, _res, buf) => {
      (req as { rawBody?: Buffer }).rawBody = buf;
    },
  });
  // Procore's receiver reads its own bytes: an authenticated delivery it cannot parse must get a
  // 2xx (Procore pauses the queue on anything else), not this parser's 400 (events/procore-receiver.ts).
  app.use((req, res, next) => (req.path.startsWith('/webhooks/procore/') ? next() : json(req, res, next)));

  app.use(healthRoutes(deps, metrics));
  mountFeatureRoutes(app, { ...deps, metrics }); // feature routes may register their metrics

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
