import type express from 'express';
import type { CoreDeps } from '../deps';
import type { Metrics } from '../http/metrics';
import type { UpstreamView } from '../upstream';
import { staticRoutes } from './static';
import { tenantRoutes } from '../tenants';
import { tenantDeps, type TenantServices } from '../tenants/deps';
import { panelRouter, type PanelServices } from '../panel';
import { registerSyncMetrics, type SyncMetrics } from '../scheduler/metrics';

/** The webhook receivers and the ops event summary (the events service), as the routes see them. */
export interface EventRoutes {
  router(appMetrics?: Metrics): express.Router;
}

/**
 * Every service a feature router may use, each optional: the composition root (services.ts)
 * gives them all, a test mounting createApp gives only those it exercises.
 */
export interface FeatureServices extends TenantServices, PanelServices {
  /** /webhooks/procore/:tenantKey, /webhooks/mycoi, /api/ops/tenants/:id/events; absent: not mounted. */
  events?: EventRoutes;
  /** sync_*, procore_/mycoi_requests_total, registered on the app's registry. */
  syncMetrics?: SyncMetrics;
}

export interface FeatureRouteDeps extends CoreDeps {
  metrics: Metrics;
  upstream: UpstreamView;
  services: FeatureServices;
}

/**
 * Each feature area mounts its router here (tenants and console, side panel, webhooks…), each
 * with the narrow deps it declares. Routes are added in one place so the error handler and 404 stay last.
 */
export function mountFeatureRoutes(app: express.Express, deps: FeatureRouteDeps): void {
  const { services, upstream } = deps;
  app.use(staticRoutes()); // /console/ and /panel/ (built web apps)
  app.use(tenantRoutes(tenantDeps(deps, upstream, services))); // /api/admin/*, /api/ops/*
  app.use(panelRouter({ config: deps.config, db: deps.db, upstream, services })); // /api/panel/* (side panel API and Procore sign-in popup)
  if (services.events) app.use(services.events.router(deps.metrics));
  if (services.syncMetrics) registerSyncMetrics(services.syncMetrics, deps.metrics.registry);
}
