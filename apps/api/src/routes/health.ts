import { Router } from 'express';
import { isMigrated } from '@mycoi/db';
import type { Database } from '@mycoi/db';
import type { Metrics } from '../http/metrics';
import { errorBody } from '../http/errors';

export function healthRoutes(db: Database, metrics: Metrics): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (req, res) => {
    try {
      const migrated = await isMigrated(db.pool);
      if (!migrated) {
        res.status(503).json(errorBody('not_ready', 'Database migrations are pending'));
        return;
      }
      res.json({ status: 'ready', database: db.kind });
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      res.status(503).json(errorBody('not_ready', 'Database is not reachable'));
    }
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
