import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { withTransaction } from '@mycoi/db';
import {
  readTenantSettings,
  RegisterCompanyBody,
  SetDmsaCredentialsBody,
  SyncHistoryQuery,
  TenantSettings,
  UpdateSettingsBody,
  type AdminCompanyView,
} from '@mycoi/contracts';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../http/errors';
import { CompanyId, requireAdmin } from '../auth/admin-auth-routes';
import { getCredential, markValidated, putCredential } from '../secrets/store';
import { audit, listAudit, type Actor } from './audit';
import { actorOf, type TenantDeps } from './deps';
import { findTenantByCompany, toView, type TenantRow } from './repo';
import { applyTransition } from './transitions';
import { commitmentsToolOf, validateDmsa } from './validate-dmsa';
import { notifyOpsOfRequest } from './notify';
import { neededProjects, recordProjectAccess } from './project-access';
import { syncHistory } from '../sync-history/history';
import { requestSyncNow } from '../sync-history/sync-now';

// Spreads tenants over the two-hour window; derived from the company id so it never changes.
const phaseFor = (companyId: string) => createHash('sha256').update(companyId).digest().readUInt32BE(0) % 7200;

const phaseOf = (t: TenantRow) => (t as TenantRow & { phase_seconds?: number }).phase_seconds ?? 0;

/** Customer-admin routes: every one is scoped to a company the signed-in admin was verified for. */
export function adminTenantRoutes(d: TenantDeps): Router {
  const r = Router();

  async function scope(req: Request): Promise<{ companyId: string; companyName: string; actor: Actor }> {
    const session = await requireAdmin(d, req);
    const id = CompanyId.safeParse(req.params.companyId);
    if (!id.success) throw badRequest('companyId must be a numeric Procore company id');
    const company = session.companies.find((c) => c.id === id.data);
    if (!company) throw forbidden('You are not signed in for this Procore company');
    return { companyId: company.id, companyName: company.name, actor: actorOf('procore_user', session.user.login, req) };
  }

  async function tenantOf(companyId: string): Promise<TenantRow> {
    const t = await findTenantByCompany(d.pool, companyId);
    if (!t) throw notFound('This company is not registered yet');
    return t;
  }

  const notFinal = (t: TenantRow) => {
    if (t.status === 'deactivated') throw conflict('This integration was deactivated; contact myCOI to set it up again');
  };

  r.get('/api/admin/companies/:companyId', async (req, res) => {
    const s = await scope(req);
    const t = await findTenantByCompany(d.pool, s.companyId);
    const body: AdminCompanyView = {
      company: { id: s.companyId, name: s.companyName },
      tenant: t ? await toView(d.pool, t) : null,
      sharedAppAvailable: d.marketplaceApp !== null,
      serviceEnvironment: d.environment,
    };
    res.json(body);
  });

  r.post('/api/admin/companies/:companyId/register', async (req, res) => {
    const s = await scope(req);
    const body = RegisterCompanyBody.parse(req.body ?? {});
    // the change and its audit entry commit together, or neither does
    const t = await withTransaction(d.pool, async (client) => {
      const { rows } = await client.query<TenantRow>(
        `insert into tenants (procore_company_id, name, procore_environment, phase_seconds)
         select $1, $2, $3, $4 where not exists (select 1 from tenants where procore_company_id = $1)
         on conflict do nothing returning *`,
        [s.companyId, s.companyName, body.procoreEnvironment ?? d.environment, phaseFor(s.companyId)],
      );
      const row = rows[0];
      if (!row) throw conflict('This company is already registered');
      await audit(client, row.id, s.actor, 'tenant.registered', { companyId: s.companyId, procoreEnvironment: row.procore_environment });
      return row;
    });
    res.status(201).json(await toView(d.pool, t));
  });

  r.put('/api/admin/companies/:companyId/credentials', async (req, res) => {
    const s = await scope(req);
    const body = SetDmsaCredentialsBody.parse(req.body);
    const t = await tenantOf(s.companyId);
    notFinal(t);
    if (body.source === 'shared' && !d.marketplaceApp)
      throw badRequest('The shared myCOI app is not available; enter your own DMSA credentials');
    const clientId = body.source === 'tenant' ? body.clientId : d.marketplaceApp!.clientId;
    await withTransaction(d.pool, async (client) => {
      await putCredential(client, d.ring, {
        tenantId: t.id,
        kind: 'procore_dmsa',
        clientId,
        source: body.source,
        ...(body.source === 'tenant' ? { clientSecret: body.clientSecret } : {}),
      });
      await client.query('update tenants set last_validation = null, updated_at = now() where id = $1', [t.id]);
      await audit(client, t.id, s.actor, 'credentials.dmsa_set', { source: body.source, clientIdLast4: clientId.slice(-4) });
    });
    res.json(await toView(d.pool, await tenantOf(s.companyId)));
  });

  r.post('/api/admin/companies/:companyId/validate', async (req, res) => {
    const s = await scope(req);
    const t = await tenantOf(s.companyId);
    notFinal(t);
    if (!d.procore) throw new HttpError(503, 'not_configured', 'Procore is not configured');
    const cred = await getCredential(d.pool, d.ring, t.id, 'procore_dmsa');
    if (!cred) throw conflict('Enter the DMSA credentials first');
    const secret = cred.source === 'shared' ? d.marketplaceApp?.clientSecret : cred.clientSecret;
    const clientId = cred.source === 'shared' ? d.marketplaceApp?.clientId : cred.clientId;
    if (!secret || !clientId) throw conflict('The shared myCOI app is no longer available; enter your own DMSA credentials');
    const clients = d.tenantClients;
    const needed = await neededProjects(d.pool, t.id, clients ? () => clients.mycoi(t.id) : null, d.logger);
    const { result, projects } = await validateDmsa(d.procore, { clientId, clientSecret: secret }, s.companyId, needed);
    await withTransaction(d.pool, async (client) => {
      await markValidated(client, t.id, 'procore_dmsa', result.ok, result);
      // forbidden projects are the sync's problems too (same kind and scope as the engine's)
      if (projects) await recordProjectAccess(client, t.id, projects);
      await client.query('update tenants set last_validation = $2::jsonb, commitments_tool = $3, updated_at = now() where id = $1', [
        t.id,
        JSON.stringify(result),
        commitmentsToolOf(result),
      ]);
      await audit(client, t.id, s.actor, 'credentials.dmsa_validated', {
        ok: result.ok,
        failed: result.checks.filter((c) => !c.ok).map((c) => c.id),
      });
    });
    res.json(result);
  });

  r.put('/api/admin/companies/:companyId/settings', async (req, res) => {
    const s = await scope(req);
    const body = UpdateSettingsBody.parse(req.body);
    const t = await tenantOf(s.companyId);
    notFinal(t);
    if (body.procoreEnvironment && body.procoreEnvironment !== t.procore_environment && t.status !== 'registered') {
      throw conflict('The Procore environment can only change before activation is requested');
    }
    // the change is applied over what is stored and the result must be a whole valid document:
    // this is also how an admin repairs a stored document that no longer parses
    const stored = readTenantSettings(t.settings);
    const base = stored.ok ? stored.settings : t.settings && typeof t.settings === 'object' ? t.settings : {};
    const merged = TenantSettings.safeParse({ ...base, ...(body.settings ?? {}) });
    if (!merged.success) throw badRequest('The settings are incomplete or invalid', merged.error.issues);
    const settings = merged.data;
    // the change and its audit entry commit together, or neither does
    const updated = await withTransaction(d.pool, async (client) => {
      const { rows } = await client.query<TenantRow>(
        `update tenants set compliance_push = $2, side_panel = $3, compliance_level = $4, settings = $5::jsonb, procore_environment = $6, updated_at = now()
          where id = $1 returning *`,
        [
          t.id,
          body.features?.compliancePush ?? t.compliance_push,
          body.features?.sidePanel ?? t.side_panel,
          body.complianceLevel ?? t.compliance_level,
          JSON.stringify(settings),
          body.procoreEnvironment ?? t.procore_environment,
        ],
      );
      await audit(client, t.id, s.actor, 'tenant.settings_changed', { changes: body });
      return rows[0]!;
    });
    res.json(await toView(d.pool, updated));
  });

  r.post('/api/admin/companies/:companyId/request-activation', async (req, res) => {
    const s = await scope(req);
    const t = await tenantOf(s.companyId);
    const row = await applyTransition(d.pool, t.id, 'request_activation', s.actor);
    await notifyOpsOfRequest(d, row, s.actor);
    res.json(await toView(d.pool, row));
  });

  // what the integration did: state, last/next run, recent runs, current problems (paginated by run id)
  r.get('/api/admin/companies/:companyId/sync', async (req, res) => {
    const s = await scope(req);
    const t = await tenantOf(s.companyId);
    const q = SyncHistoryQuery.parse(req.query);
    res.json(await syncHistory(d.pool, { ...(await toView(d.pool, t)), phaseSeconds: phaseOf(t) }, d.sync, q));
  });

  r.post('/api/admin/companies/:companyId/sync-now', async (req, res) => {
    const s = await scope(req);
    const t = await tenantOf(s.companyId);
    // the runs, the request and its audit entry commit together, or none of them does
    const out = await requestSyncNow(d.pool, await toView(d.pool, t), d.sync, { actor: s.actor, action: 'admin.sync_now' });
    res.status(out.outcome === 'queued' ? 202 : 200).json(out);
  });

  r.get('/api/admin/companies/:companyId/audit', async (req, res) => {
    const s = await scope(req);
    const t = await tenantOf(s.companyId);
    res.json({ entries: await listAudit(d.pool, t.id) });
  });
  return r;
}
