import { Router, type Request } from 'express';
import { z } from 'zod';
import { withTransaction } from '@mycoi/db';
import { ListTenantsQuery, OpsLoginBody, SetMycoiBody, SyncHistoryQuery, TransitionBody, type OpsSession } from '@mycoi/contracts';
import { badRequest, conflict, HttpError, notFound, unauthorized } from '../http/errors';
import { checkOpsLogin } from '../auth/ops-users';
import { clearLoginFailures, loginBlockedFor, recordLoginFailure } from '../auth/login-throttle';
import { clearSessionCookie, createSession, deleteSession, readSession, sessionToken, setSessionCookie } from '../auth/sessions';
import { listOutbox } from '../mail/mailer';
import { getCredential, markValidated, putCredential } from '../secrets/store';
import { audit, listAudit, type Actor } from '../tenants/audit';
import { actorOf, clientIp, type TenantDeps } from '../tenants/deps';
import type { TenantAction } from '../tenants/lifecycle';
import { testMycoiConnection } from '../tenants/mycoi-check';
import { findTenantById, listTenantRows, toView, toViews, type TenantRow } from '../tenants/repo';
import { applyTransition } from '../tenants/transitions';
import { syncHistory } from '../sync-history/history';
import { requestSyncNow } from '../sync-history/sync-now';

const TenantId = z.uuid('a tenant id (uuid)');

/** The signed-in ops user as an audit actor, or 401. */
async function requireOps(d: TenantDeps, req: Request): Promise<Actor> {
  const s = await readSession(d, 'ops', sessionToken(req, 'ops'));
  if (!s) throw unauthorized('Sign in as myCOI ops first');
  return actorOf('ops', s.subject, req);
}

/** myCOI ops: sign-in, the tenant list, myCOI credentials, lifecycle actions. Every action is audited. */
export function opsRoutes(d: TenantDeps): Router {
  const r = Router();

  async function tenant(req: Request): Promise<TenantRow> {
    const id = TenantId.safeParse(req.params.id);
    if (!id.success) throw badRequest('Not a tenant id');
    const t = await findTenantById(d.pool, id.data);
    if (!t) throw notFound('No such tenant');
    return t;
  }

  r.post('/api/ops/login', async (req, res) => {
    const body = OpsLoginBody.parse(req.body);
    const ip = clientIp(req) ?? 'unknown';
    const wait = await loginBlockedFor(d.pool, body.email, ip);
    if (wait !== null) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpError(429, 'rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)`);
    }
    const user = await checkOpsLogin(d.pool, body.email, body.password);
    if (!user) {
      await recordLoginFailure(d.pool, body.email, ip);
      await audit(d.pool, null, { kind: 'ops', id: body.email.toLowerCase(), ip }, 'ops.login_failed');
      throw unauthorized('Wrong email or password');
    }
    await clearLoginFailures(d.pool, body.email);
    const { token, expiresAt } = await createSession(d, 'ops', user.email, { opsUserId: user.id });
    await audit(d.pool, null, { kind: 'ops', id: user.email, ip }, 'ops.signed_in');
    setSessionCookie(res, 'ops', token, d.publicUrl);
    const out: OpsSession = { email: user.email, expiresAt: expiresAt.toISOString() };
    res.json(out);
  });

  r.post('/api/ops/logout', async (req, res) => {
    await deleteSession(d, sessionToken(req, 'ops'));
    clearSessionCookie(res, 'ops', d.publicUrl);
    res.status(204).end();
  });

  r.get('/api/ops/me', async (req, res) => {
    const s = await readSession(d, 'ops', sessionToken(req, 'ops'));
    if (!s) throw unauthorized('Sign in as myCOI ops first');
    const out: OpsSession = { email: s.subject, expiresAt: s.expires_at.toISOString() };
    res.json(out);
  });

  r.get('/api/ops/tenants', async (req, res) => {
    await requireOps(d, req);
    const q = ListTenantsQuery.parse(req.query);
    res.json({ tenants: await toViews(d.pool, await listTenantRows(d.pool, q)) });
  });

  r.get('/api/ops/tenants/:id', async (req, res) => {
    await requireOps(d, req);
    res.json(await toView(d.pool, await tenant(req)));
  });

  r.put('/api/ops/tenants/:id/mycoi', async (req, res) => {
    const actor = await requireOps(d, req);
    const t = await tenant(req);
    const body = SetMycoiBody.parse(req.body);
    if (t.status === 'deactivated') throw conflict('This tenant is deactivated');
    const existing = await d.pool.query("select 1 from credentials where tenant_id = $1 and kind = 'mycoi_service' and source = 'tenant'", [
      t.id,
    ]);
    if (body.clientSecret === undefined && existing.rows.length === 0) throw badRequest('A client secret is required the first time');
    // the credential, the account and the audit entry commit together, or none does
    await withTransaction(d.pool, async (client) => {
      await putCredential(client, d.ring, {
        tenantId: t.id,
        kind: 'mycoi_service',
        clientId: body.clientId,
        ...(body.clientSecret !== undefined ? { clientSecret: body.clientSecret } : {}),
      });
      await client.query('update tenants set mycoi_account_id = $2, updated_at = now() where id = $1', [t.id, body.accountId]);
      await audit(client, t.id, actor, 'credentials.mycoi_set', {
        accountId: body.accountId,
        clientIdLast4: body.clientId.slice(-4),
        secretChanged: body.clientSecret !== undefined,
      });
    });
    res.json(await toView(d.pool, (await findTenantById(d.pool, t.id))!));
  });

  r.post('/api/ops/tenants/:id/mycoi/test', async (req, res) => {
    const actor = await requireOps(d, req);
    const t = await tenant(req);
    const cred = await getCredential(d.pool, d.ring, t.id, 'mycoi_service');
    if (!cred?.clientSecret || !t.mycoi_account_id) throw conflict('Set the myCOI account and credentials first');
    if (!d.mycoiApiUrl) throw new HttpError(503, 'not_configured', 'The myCOI API is not configured');
    const result = await testMycoiConnection(d.mycoiApiUrl, {
      clientId: cred.clientId,
      clientSecret: cred.clientSecret,
      accountId: t.mycoi_account_id,
    });
    await withTransaction(d.pool, async (client) => {
      await markValidated(client, t.id, 'mycoi_service', result.ok, result);
      await audit(client, t.id, actor, 'credentials.mycoi_tested', {
        ok: result.ok,
        failed: result.checks.filter((c) => !c.ok).map((c) => c.id),
      });
    });
    res.json(result);
  });

  const actions: [string, TenantAction][] = [
    ['activate', 'activate'],
    ['suspend', 'suspend'],
    ['resume', 'resume'],
    ['deactivate', 'deactivate'],
  ];
  for (const [path, action] of actions) {
    r.post(`/api/ops/tenants/:id/${path}`, async (req, res) => {
      const actor = await requireOps(d, req);
      const t = await tenant(req);
      const body = TransitionBody.parse(req.body ?? {});
      const row = await applyTransition(d.pool, t.id, action, actor, body.reason ? { reason: body.reason } : {});
      res.json(await toView(d.pool, row));
    });
  }

  r.get('/api/ops/tenants/:id/sync', async (req, res) => {
    await requireOps(d, req);
    const t = await tenant(req);
    const q = SyncHistoryQuery.parse(req.query);
    const phaseSeconds = (t as TenantRow & { phase_seconds?: number }).phase_seconds ?? 0;
    res.json(await syncHistory(d.pool, { ...(await toView(d.pool, t)), phaseSeconds }, d.sync, q));
  });

  // truthful: queued / already queued / blocked (and why), never "started" when nothing will run
  r.post('/api/ops/tenants/:id/sync-now', async (req, res) => {
    const actor = await requireOps(d, req);
    const t = await tenant(req);
    // the runs, the request and its audit entry commit together, or none of them does
    const out = await requestSyncNow(d.pool, await toView(d.pool, t), d.sync, { actor, action: 'ops.sync_now' });
    res.status(out.outcome === 'queued' ? 202 : 200).json(out);
  });

  r.get('/api/ops/tenants/:id/audit', async (req, res) => {
    await requireOps(d, req);
    const t = await tenant(req);
    res.json({ entries: await listAudit(d.pool, t.id) });
  });

  r.get('/api/ops/outbox', async (req, res) => {
    await requireOps(d, req);
    res.json({ messages: await listOutbox(d.pool) });
  });
  return r;
}
