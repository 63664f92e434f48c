import { Router, type Response } from 'express';
import { z } from 'zod';
import { projectFor, requireCompany, requireTool, sameCompany } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, forbidden, notFound, ProcoreError, unprocessable } from '../http/errors';
import { intParam, queryOne } from '../http/filters';
import type { Hook, Trigger } from '../state/types';
import { pathId } from './helpers';

/** Resource names the sandbox emits (a Procore sandbox's webhook resource list and the webhook fan-out announcement). */
export const WEBHOOK_RESOURCES: Array<{ name: string; scope: 'company' | 'project'; events: string[] }> = [
  { name: 'Company Vendors', scope: 'company', events: ['create', 'update', 'delete'] },
  { name: 'Project Vendors', scope: 'project', events: ['create', 'delete'] },
  { name: 'Company Insurances', scope: 'company', events: ['create', 'update', 'delete'] },
  { name: 'Project Insurances', scope: 'project', events: ['create', 'update', 'delete'] },
  { name: 'Work Order Contracts', scope: 'project', events: ['create', 'update', 'delete'] },
  { name: 'Purchase Order Contracts', scope: 'project', events: ['create', 'update', 'delete'] },
  { name: 'Projects', scope: 'company', events: ['create', 'update'] },
];

const mask = (v: string) => (v.length <= 5 ? v : `${'*'.repeat(v.length - 5)}${v.slice(-5)}`);

function hookView(h: Hook) {
  return {
    id: h.id,
    api_version: h.api_version,
    namespace: h.namespace,
    destination_url: h.destination_url,
    // Procore masks the stored Authorization value to its last 5 characters.
    destination_headers: Object.fromEntries(Object.entries(h.destination_headers).map(([k, v]) => [k, mask(v)])),
    owned_by_company_id: h.owned_by_company_id,
    owned_by_project_id: h.owned_by_project_id,
    owned_by_user_id: h.owned_by_user_id,
  };
}
const triggerView = (t: Trigger) => ({ ...t });

const hookBody = z.object({
  api_version: z.string().optional(),
  namespace: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'may only contain lowercase letters, digits and -')
    .optional(),
  destination_url: z.string().url().optional(),
  destination_headers: z.record(z.string(), z.string()).optional(),
});
const triggerBody = z.object({ resource_name: z.string(), event_type: z.string() });

export function webhooksRouter(deps: Deps): Router {
  const r = Router();
  const { store } = deps;

  /** Scope from company_id / project_id in body or query; must match the header company. */
  function scopeOf(req: SandboxRequest, src: Record<string, unknown>) {
    const projectId = intParam(src.project_id, 'project_id', false);
    const companyId = intParam(src.company_id, 'company_id', false);
    if (projectId !== undefined) {
      const p = projectFor(deps, req, projectId);
      requireTool(req, 'project', 'webhooks', 'standard');
      return { companyId: p.company_id, projectId: p.id as number | null };
    }
    if (companyId === undefined) throw badRequest('You must supply either a company_id or project_id');
    sameCompany(req, companyId);
    requireTool(req, 'company', 'webhooks', 'standard');
    return { companyId, projectId: null as number | null };
  }
  function hookIn(req: SandboxRequest, scope: { companyId: number; projectId: number | null }, id: number): Hook {
    const h = store.hooks.get(id);
    if (!h || h.owned_by_company_id !== scope.companyId || h.owned_by_project_id !== scope.projectId) throw notFound('Hook');
    if (h.clientId !== req.caller!.app.clientId) throw forbidden('Hook belongs to another application');
    return h;
  }
  const query = (req: SandboxRequest) => req.query as Record<string, unknown>;
  const body = (req: SandboxRequest) => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});
  const both = (req: SandboxRequest) => ({ ...query(req), ...body(req) });

  /** Triggers must carry the hook's api_version (guide: "Body must include api_version"). */
  function checkApiVersion(hook: Hook, v: unknown): void {
    if (!deps.config.strict && v === undefined) return;
    if (v !== hook.api_version)
      throw unprocessable('Invalid trigger', { api_version: [`must be ${hook.api_version} (the hook's api_version)`] });
  }

  function makeTrigger(req: SandboxRequest, hook: Hook, raw: unknown): Trigger | Record<string, string[]> {
    const t = triggerBody.safeParse(raw);
    if (!t.success) return { trigger: ['resource_name and event_type are required'] };
    const res = WEBHOOK_RESOURCES.find((x) => x.name === t.data.resource_name);
    if (!res) return { resource_name: ['is not a supported webhook resource'] };
    if (!res.events.includes(t.data.event_type.toLowerCase())) return { event_type: ['is not supported for this resource'] };
    // A project hook sees one project: company-level resources are not among its resources (the
    // resources list for a project scope has none). A company hook takes both (see README).
    if (hook.owned_by_project_id !== null && res.scope === 'company')
      return { resource_name: ['is a company-level resource; create it on a company-level hook'] };
    if (deps.config.webhooks.refuseTriggers.includes(res.name)) return { resource_name: ['is not available for this company'] };
    const trig: Trigger = {
      id: store.nextId('trigger', 1),
      webhook_hook_id: hook.id,
      resource_name: t.data.resource_name,
      resource_id: null,
      event_type: t.data.event_type,
      company_id: hook.owned_by_company_id,
      project_id: hook.owned_by_project_id,
      user_id: req.caller!.user.id,
    };
    if (!deps.config.webhooks.loseTriggers.includes(res.name)) store.triggers.set(trig.id, trig);
    return trig;
  }

  r.get('/rest/v1.0/webhooks/hooks', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const s = scopeOf(req, query(req));
    const ns = queryOne(req, 'namespace');
    const ver = queryOne(req, 'api_version');
    const list = [...store.hooks.values()].filter(
      (h) =>
        h.clientId === req.caller!.app.clientId &&
        h.owned_by_company_id === s.companyId &&
        h.owned_by_project_id === s.projectId &&
        (ns === undefined || h.namespace === ns) &&
        (ver === undefined || h.api_version === ver),
    );
    res.json(list.map(hookView));
  });

  r.post('/rest/v1.0/webhooks/hooks', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const s = scopeOf(req, both(req));
    const b = hookBody.required({ namespace: true, destination_url: true }).safeParse(body(req).hook);
    if (!b.success)
      throw unprocessable('Invalid hook', Object.fromEntries(b.error.issues.map((i) => [String(i.path[0] ?? 'hook'), [i.message]])));
    const clientId = req.caller!.app.clientId;
    const other = [...store.hooks.values()].find((h) => h.clientId === clientId && h.namespace !== b.data.namespace);
    if (other)
      throw unprocessable('Invalid hook', { namespace: [`an application may use one namespace (already using ${other.namespace})`] });
    const h: Hook = {
      id: store.nextId('hook', 1),
      api_version: b.data.api_version ?? 'v2',
      namespace: b.data.namespace,
      destination_url: b.data.destination_url,
      destination_headers: b.data.destination_headers ?? {},
      owned_by_company_id: s.companyId,
      owned_by_project_id: s.projectId,
      owned_by_user_id: req.caller!.user.id,
      clientId,
    };
    store.hooks.set(h.id, h);
    res.status(201).json(hookView(h));
  });

  r.patch('/rest/v1.0/webhooks/hooks/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const s = scopeOf(req, both(req));
    const h = hookIn(req, s, pathId(req, 'id', 'Hook'));
    const b = hookBody.safeParse(body(req).hook ?? {});
    if (!b.success)
      throw unprocessable('Invalid hook', Object.fromEntries(b.error.issues.map((i) => [String(i.path[0] ?? 'hook'), [i.message]])));
    for (const [k, v] of Object.entries(b.data)) if (v !== undefined) (h as unknown as Record<string, unknown>)[k] = v;
    res.json(hookView(h));
  });

  r.delete('/rest/v1.0/webhooks/hooks/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const s = scopeOf(req, both(req));
    const h = hookIn(req, s, pathId(req, 'id', 'Hook'));
    store.hooks.delete(h.id);
    for (const t of [...store.triggers.values()]) if (t.webhook_hook_id === h.id) store.triggers.delete(t.id);
    res.status(200).end();
  });

  r.get('/rest/v1.0/webhooks/hooks/:hook_id/triggers', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, query(req)), pathId(req, 'hook_id', 'Hook'));
    res.json([...store.triggers.values()].filter((t) => t.webhook_hook_id === h.id).map(triggerView));
  });

  r.post('/rest/v1.0/webhooks/hooks/:hook_id/triggers/bulk', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, both(req)), pathId(req, 'hook_id', 'Hook'));
    const list = body(req).triggers;
    if (!Array.isArray(list)) throw badRequest('triggers must be an array');
    checkApiVersion(h, body(req).api_version);
    if (list.length > 500) throw new ProcoreError(413, 'payload_too_large', 'At most 500 triggers per request');
    const success: Trigger[] = [];
    const errors: unknown[] = [];
    for (const raw of list) {
      const t = makeTrigger(req, h, raw);
      if ('webhook_hook_id' in t) success.push(t as Trigger);
      else errors.push({ ...(typeof raw === 'object' && raw !== null ? raw : {}), errors: t });
    }
    res.status(errors.length ? 207 : 200).json(errors.length ? { success, errors } : { success });
  });

  r.delete('/rest/v1.0/webhooks/hooks/:hook_id/triggers/bulk', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, both(req)), pathId(req, 'hook_id', 'Hook'));
    const ids = body(req).triggers;
    if (!Array.isArray(ids)) throw badRequest('triggers must be an array of trigger ids');
    if (ids.length > 500) throw new ProcoreError(413, 'payload_too_large', 'At most 500 triggers per request');
    const success: number[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const t = typeof id === 'number' ? store.triggers.get(id) : undefined;
      if (t && t.webhook_hook_id === h.id) {
        store.triggers.delete(t.id);
        success.push(t.id);
      } else errors.push({ id, errors: { id: ['not found'] } });
    }
    res.status(errors.length ? 207 : 200).json(errors.length ? { success, errors } : { success });
  });

  r.post('/rest/v1.0/webhooks/hooks/:hook_id/triggers', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, both(req)), pathId(req, 'hook_id', 'Hook'));
    checkApiVersion(h, body(req).api_version);
    const t = makeTrigger(req, h, body(req).trigger);
    if (!('webhook_hook_id' in t)) throw unprocessable('Invalid trigger', t);
    res.status(201).json(triggerView(t as Trigger));
  });

  r.delete('/rest/v1.0/webhooks/hooks/:hook_id/triggers/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, both(req)), pathId(req, 'hook_id', 'Hook'));
    const t = store.triggers.get(pathId(req, 'id', 'Trigger'));
    if (!t || t.webhook_hook_id !== h.id) throw notFound('Trigger');
    store.triggers.delete(t.id);
    res.status(200).end();
  });

  // Cursor pagination: page_size (default 100) and page_start (last id of the previous page).
  r.get('/rest/v1.0/webhooks/hooks/:hook_id/deliveries', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const h = hookIn(req, scopeOf(req, query(req)), pathId(req, 'hook_id', 'Hook'));
    const size = intParam(req.query.page_size, 'page_size', false) ?? 100;
    const start = intParam(req.query.page_start, 'page_start', false) ?? 0;
    // The spec names it filters[status]; the webhooks guide writes filter[status]. Both accepted.
    const status = queryOne(req, 'filters[status]') ?? queryOne(req, 'filter[status]') ?? 'any';
    const keep: Record<string, (o: string) => boolean> = {
      any: () => true,
      successful: (o) => o === 'ok',
      failing: (o) => o === 'retried' || o === 'failed',
      discarded: (o) => o === 'discarded',
    };
    const f = keep[status];
    if (!f) throw badRequest('filters[status] must be any, successful, failing or discarded');
    const list = [...store.deliveries.values()].filter((d) => d.hook_id === h.id && d.id > start && f(d.outcome)).slice(0, size);
    res.json(list.map(({ hook_id: _h, attempts: _a, id: _id, ...d }) => ({ ...d, id: _id })));
  });

  const resources = (req: SandboxRequest, res: Response) => {
    const s = scopeOf(req, query(req));
    const wanted = s.projectId === null ? ['company', 'project'] : ['project'];
    res.json(
      WEBHOOK_RESOURCES.filter((x) => wanted.includes(x.scope)).map((x) => ({
        resource_name: x.name,
        api_version: 'v2',
        product_category: x.name.includes('Contract') ? 'Financials' : 'Core',
        tools: x.name,
        except: [],
        create: String(x.events.includes('create')),
        update: String(x.events.includes('update')),
        delete: String(x.events.includes('delete')),
      })),
    );
  };
  r.get('/rest/v1.0/webhooks/resources', requireCompany(deps), resources);
  r.get('/rest/v1.0/webhooks/resources/api_versions', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    scopeOf(req, query(req));
    res.json([{ api_version: 'v2', payload_version: 'v2.0' }]);
  });

  return r;
}
