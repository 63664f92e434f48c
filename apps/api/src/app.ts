import express from 'express';
import helmet from 'helmet';
import type { CoreDeps } from './deps';
import { errorHandler, notFoundHandler } from './http/errors';
import { inputHygiene } from './http/input-hygiene';
import { requestLogger } from './http/request-log';
import { createMetrics, metricsMiddleware, type Metrics } from './http/metrics';
import { healthRoutes } from './routes/health';
import { mountFeatureRoutes, type FeatureServices } from './routes';
import { configuredUpstream, type UpstreamView } from './upstream';

/** What the HTTP side reads from the composition root (services.ts's Services is one). */
export interface AppServices extends FeatureServices {
  /** Absent: the upstream named by config alone (configuredUpstream). */
  upstream?: UpstreamView;
}

export interface AppDeps extends CoreDeps {
  metrics?: Metrics;
  /** Built once by startServices in server.ts; tests give only the parts they exercise, or none. */
  services?: AppServices;
}

/** Builds the Express app without listening, so tests mount it on port 0. */
export function createApp(deps: AppDeps): express.Express {
  const metrics = deps.metrics ?? createMetrics();
  const services = deps.services ?? {};
  const upstream = services.upstream ?? configuredUpstream(deps.config);
  const app = express();
  app.disable('x-powered-by');
  // off unless configured: X-Forwarded-For from a client is not an address to trust
  app.set('trust proxy', deps.config.TRUST_PROXY);

  app.use(requestLogger(deps.logger)); // one allow-listed line per request, no headers, no URL
  app.use(
    helmet({
      // The side panel lives in Procore's iframe: X-Frame-Options would forbid it, so framing is
      // governed by CSP frame-ancestors, limited to Procore's origins (configurable).
      frameguard: false,
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'frame-ancestors': ["'self'", ...upstream.panelFrameAncestors],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'form-action': ["'self'", ...(upstream.procoreLoginUrl ? [upstream.procoreLoginUrl] : [])],
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

  app.use(inputHygiene); // every string from path, query, headers and body, in one place

  app.use(healthRoutes(deps.db, metrics));
  // feature routes may register their metrics
  mountFeatureRoutes(app, { config: deps.config, db: deps.db, logger: deps.logger, metrics, upstream, services });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
