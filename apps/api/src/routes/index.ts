import type express from 'express';
import type { AppDeps } from '../app';
import { staticRoutes } from './static';
import { tenantRoutes } from '../tenants';
import { panelRouter } from '../panel';
import type { EventsService } from '../events/service';
import { registerSyncMetrics, type SyncMetrics } from '../scheduler/metrics';

/**
 * Each feature area mounts its router here (tenants and console, side panel, webhooks…).
 * Routes are added in one place so the error handler and 404 stay last.
 */
export function mountFeatureRoutes(app: express.Express, deps: AppDeps): void {
  app.use(staticRoutes()); // /console/ and /panel/ (built web apps)
  app.use(tenantRoutes(deps)); // /api/admin/*, /api/ops/*
  app.use(panelRouter(deps)); // /api/panel/* (side panel API and Procore sign-in popup)
  const events = deps.services?.events as EventsService | undefined;
  if (events) app.use(events.router(deps.metrics)); // /webhooks/procore/:tenantKey, /webhooks/mycoi, /api/ops/tenants/:id/events
  const syncMetrics = deps.services?.syncMetrics as SyncMetrics | undefined;
  if (syncMetrics && deps.metrics) registerSyncMetrics(syncMetrics, deps.metrics.registry); // sync_*, procore_/mycoi_requests_total
  void deps;
}
