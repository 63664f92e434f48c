import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  CreateRequest,
  LinkRequest,
  RefreshRequest,
  type CreateBody,
  type InsuranceSetOption,
  type PanelConfig,
  type PanelStatus,
  type RefreshResult,
  type SearchCandidate,
} from '@mycoi/contracts';
import { HttpError } from '../http/errors';
import { audit, type Actor } from '../tenants/audit';
import { tenantBlockReason, tenantFeaturesOf, tenantIdForCompany, TenantInactiveError } from '../tenants/gate';
import { createRecord, linkRecord } from './actions';
import type { PanelContext } from './context';
import { once } from './idempotency';
import { findLink, linkedProcoreIds } from './links';
import { resolveIframeSrc } from './manifest';
import { recordState } from './records';
import type { ProcoreTarget } from './authz';
import { guard, panelSession } from './authed';
import { revokeSession, type PanelSessionRow } from './sessions';

const id = z.string().regex(/^\d{1,20}$/, 'a Procore id');
const recordQuery = z.object({ projectId: id });
const searchQuery = z.object({ kind: z.enum(['project', 'vendor', 'commitment']), q: z.string().trim().max(100).default('') });
const MYCOI_KIND = { project: 'division', vendor: 'vendor', commitment: 'assignment' } as const;

export function panelRoutes(ctx: PanelContext, frameAncestors: string[]): Router {
  const r = Router();
  const pool = ctx.db.pool;

  /**
   * Every authenticated call: a live session, the tenant still active with the side panel on
   * (read fresh through THE gate, so a suspension takes effect on the next click), and every
   * Procore id the request reads or links checked with the Procore user's own token (authz.ts).
   */
  async function authed(req: Request, targets: ProcoreTarget[] | 'no_procore_check' = []): Promise<{ s: PanelSessionRow; actor: Actor }> {
    const { s } = await panelSession(ctx, req, targets);
    return { s, actor: { kind: 'procore_user', id: s.procoreUser.login, ip: req.ip ?? null } };
  }

  /** What a create, link or refresh body touches in Procore. */
  const createTargets = (b: CreateBody): ProcoreTarget[] =>
    b.kind === 'project'
      ? [{ kind: 'project', projectId: b.projectId }]
      : b.kind === 'vendor'
        ? [{ kind: 'vendor', projectId: b.projectId, vendorId: b.vendorId }]
        : [{ kind: 'commitment', projectId: b.projectId, commitmentId: b.commitmentId }];
  const subjectTargets = (b: { kind: 'project' | 'vendor' | 'commitment'; projectId: string; procoreId: string }): ProcoreTarget[] =>
    b.kind === 'project'
      ? [
          { kind: 'project', projectId: b.projectId },
          { kind: 'project', projectId: b.procoreId },
        ]
      : b.kind === 'vendor'
        ? [{ kind: 'vendor', projectId: b.projectId, vendorId: b.procoreId }]
        : [{ kind: 'commitment', projectId: b.projectId, commitmentId: b.procoreId }];

  r.get('/api/panel/config', (req, res) => {
    const out: PanelConfig = {
      frameAncestors,
      views: ctx.manifest.views,
      iframeSrc: resolveIframeSrc(ctx.manifest.iframeSrc, `${req.protocol}://${req.get('host')}`),
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(out);
  });

  // Before sign-in the panel says plainly when the company is not set up, not active, or has the panel off.
  r.get('/api/panel/status', async (req, res) => {
    const { companyId } = z.object({ companyId: id }).parse(req.query);
    const tenantId = await tenantIdForCompany(pool, companyId);
    const reason = tenantId ? await tenantBlockReason(pool, tenantId, 'side_panel') : 'unknown_tenant';
    const out: PanelStatus = reason
      ? { state: reason, message: new TenantInactiveError(tenantId ?? companyId, 'side_panel', reason).message }
      : { state: 'ready', message: 'ready' };
    res.json(out);
  });

  r.delete('/api/panel/session', async (req, res) => {
    const { s } = await authed(req, 'no_procore_check'); // signing out must work while Procore is down
    await revokeSession(pool, s.tokenHash);
    ctx.tokens.forget(s.tokenHash);
    res.status(204).end();
  });

  r.get('/api/panel/commitments/:id', async (req, res) => {
    const { projectId } = recordQuery.parse(req.query);
    const commitmentId = id.parse(req.params.id);
    const { s } = await authed(req, [{ kind: 'commitment', projectId, commitmentId }]);
    res.json(await guard(recordState(pool, ctx.ports(), s, { view: 'commitment', projectId, id: commitmentId })));
  });

  r.get('/api/panel/vendors/:id', async (req, res) => {
    const { projectId } = recordQuery.parse(req.query);
    const vendorId = id.parse(req.params.id);
    const { s } = await authed(req, [{ kind: 'vendor', projectId, vendorId }]);
    res.json(await guard(recordState(pool, ctx.ports(), s, { view: 'vendor', projectId, id: vendorId })));
  });

  r.get('/api/panel/insurance-sets', async (req, res) => {
    const { s } = await authed(req);
    const sets: InsuranceSetOption[] = await guard(ctx.ports().mycoi.insuranceSets(s.mycoiToken));
    res.json({ data: sets });
  });

  r.get('/api/panel/search', async (req, res) => {
    const { kind, q } = searchQuery.parse(req.query);
    const { s } = await authed(req);
    const found = await guard(ctx.ports().mycoi.search(s.mycoiToken, MYCOI_KIND[kind], q));
    const linked = await linkedProcoreIds(
      pool,
      s.tenantId,
      kind,
      found.map((f) => f.id),
    );
    const data: SearchCandidate[] = found.map((f) => ({ id: f.id, name: f.name, detail: f.detail, linkedTo: linked.get(f.id) ?? null }));
    res.json({ data });
  });

  const key = (req: Request) => {
    const k = req.get('idempotency-key');
    if (!k) throw new HttpError(400, 'idempotency_key_required', 'Send an Idempotency-Key header so a retry never creates twice');
    return k;
  };

  r.post('/api/panel/create', async (req, res) => {
    const body = CreateRequest.parse(req.body);
    const { s, actor } = await authed(req, createTargets(body));
    const k = key(req);
    const out = await once(pool, { tenantId: s.tenantId, key: k, action: `create_${body.kind}`, body, actor: actor.id }, async () => {
      const link = await guard(createRecord({ db: pool, ports: ctx.ports(), session: s, actor, key: k }, body));
      return { status: 201, body: { link } };
    });
    res.status(out.status).setHeader('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });

  r.post('/api/panel/link', async (req, res) => {
    const body = LinkRequest.parse(req.body);
    const { s, actor } = await authed(req, subjectTargets(body));
    const k = key(req);
    const out = await once(pool, { tenantId: s.tenantId, key: k, action: `link_${body.kind}`, body, actor: actor.id }, async () => {
      const link = await guard(linkRecord({ db: pool, ports: ctx.ports(), session: s, actor, key: k }, body));
      return { status: 201, body: { link } };
    });
    res.status(out.status).setHeader('Idempotent-Replayed', String(out.replayed)).json(out.body);
  });

  // "Refresh now": push this one commitment's (or vendor's) compliance into Procore immediately.
  r.post('/api/panel/refresh', async (req, res) => {
    const body = RefreshRequest.parse(req.body);
    const { s, actor } = await authed(req, subjectTargets(body));
    const link = await findLink(pool, s.tenantId, body.kind, body.procoreId);
    if (!link) throw new HttpError(409, 'not_linked', `This ${body.kind} is not linked to myCOI yet`);
    // the gate: a push at this level must run for the tenant, else say why instead of "0 rows changed"
    const level = (await tenantFeaturesOf(pool, s.tenantId))?.[body.kind === 'commitment' ? 'push_commitment' : 'push_vendor'];
    if (level && !level.on)
      throw new HttpError(409, level.reason === 'compliance_push_off' ? level.reason : 'feature_off', level.message, { why: level.reason });
    const result = await guard(ctx.ports().refresh.refresh(s.tenantId, { ...body, mycoiId: link.mycoiId }));
    await audit(pool, s.tenantId, actor, 'panel.refresh', { kind: body.kind, procoreId: body.procoreId, ...result });
    const out: RefreshResult = {
      ...result,
      message: result.queued
        ? 'Queued: Procore will show the update within a minute'
        : `Pushed to Procore (${result.pushed ?? 0} insurance rows changed)`,
    };
    res.json(out);
  });

  return r;
}
