import cookieParser from 'cookie-parser';
import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { readSession, sessionToken, type SessionStore } from '../auth/sessions';
import { badRequest, notFound, unauthorized } from '../http/errors';
import { tenantEventsSummary, type EventCounters } from '@mycoi/events';

const TenantId = z.uuid();

/** GET /api/ops/tenants/:id/events — guarded by the ops session exactly like the other /api/ops routes. */
export function eventsOpsRoutes(sessions: SessionStore, counters: EventCounters): Router {
  const r = Router();
  const pool: pg.Pool = sessions.pool;
  r.get('/api/ops/tenants/:id/events', cookieParser(), async (req, res) => {
    const s = await readSession(sessions, 'ops', sessionToken(req, 'ops'));
    if (!s) throw unauthorized('Sign in as myCOI ops first');
    const id = TenantId.safeParse(req.params.id);
    if (!id.success) throw badRequest('Not a tenant id');
    const { rows } = await pool.query('select 1 from tenants where id = $1', [id.data]);
    if (rows.length === 0) throw notFound('No such tenant');
    await counters.flush();
    res.json(await tenantEventsSummary(pool, id.data));
  });
  return r;
}
