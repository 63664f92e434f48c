import { Router, type Response } from 'express';
import { z } from 'zod';
import { projectFor, requireCompany, requireTool } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, notFound, unprocessable } from '../http/errors';
import { enumFilter, idsFilter, inRange, intParam, queryOne, rangeFilter } from '../http/filters';
import { paginate } from '../http/pagination';
import {
  commitmentListItem,
  commitmentShow,
  complianceView,
  compliancePatchView,
  contractListItem,
  contractShow,
} from '../serialize/commitment';
import { COMPLIANCE_STATUSES, PO_STATUSES, WOC_STATUSES, type Commitment, type CommitmentType } from '../state/types';
import { actor, pathId } from './helpers';

const KINDS: Array<{ path: string; type: CommitmentType; statuses: readonly string[]; resource: string }> = [
  { path: 'work_order_contracts', type: 'WorkOrderContract', statuses: WOC_STATUSES, resource: 'Work Order Contracts' },
  { path: 'purchase_order_contracts', type: 'PurchaseOrderContract', statuses: PO_STATUSES, resource: 'Purchase Order Contracts' },
];
export const resourceNameOf = (t: CommitmentType) => KINDS.find((k) => k.type === t)!.resource;

/** Work order / purchase order contracts, generic /commitments and the compliance tab. */
export function commitmentsRouter(deps: Deps): Router {
  const r = Router();
  const { store, config, emitter } = deps;

  function inProject(req: SandboxRequest) {
    const project = projectFor(deps, req, intParam(req.query.project_id, 'project_id')!);
    requireTool(req, 'project', 'commitments', 'read_only');
    return project;
  }
  function deletedFilter(req: SandboxRequest): (c: Commitment) => boolean {
    const mode = enumFilter(req, 'include_deleted', ['only', 'with']);
    if (!mode) return (c) => c.deleted_at === null;
    return mode.has('only') ? (c) => c.deleted_at !== null : () => true;
  }

  for (const k of KINDS) {
    r.get(`/rest/v1.0/${k.path}`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = inProject(req);
      const view = queryOne(req, 'view');
      if (view !== undefined && !['compact', 'extended'].includes(view)) throw badRequest('view must be compact or extended');
      const status = enumFilter(req, 'status', k.statuses);
      const updated = rangeFilter(req, 'updated_at');
      const created = rangeFilter(req, 'created_at');
      const origin = queryOne(req, 'filters[origin_id]');
      const ids = idsFilter(req, 'id');
      const keep = deletedFilter(req);
      const list = store
        .pick(store.commitments, store.commitmentsByProject.get(project.id))
        .filter(
          (c) =>
            c.type === k.type &&
            keep(c) &&
            (!status || status.has(c.status)) &&
            inRange(c.updated_at, updated) &&
            inRange(c.created_at, created) &&
            (origin === undefined || c.origin_id === origin) &&
            (!ids || ids.has(c.id)),
        );
      res.json(paginate(req, res, list, config).map((c) => contractListItem(store, c)));
    });

    r.get(`/rest/v1.0/${k.path}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = inProject(req);
      const c = store.commitments.get(pathId(req, 'id', 'Contract'));
      if (!c || c.type !== k.type || c.project_id !== project.id || c.deleted_at) throw notFound('Contract');
      res.json(contractShow(store, c));
    });

    const compliancePath = `/rest/v1.0/projects/:project_id/${k.path}/:contract_id/compliance`;
    const contractFor = (req: SandboxRequest) => {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      const c = store.commitments.get(pathId(req, 'contract_id', 'Contract'));
      if (!c || c.type !== k.type || c.project_id !== project.id || c.deleted_at) throw notFound('Contract');
      return c;
    };

    r.get(compliancePath, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const c = contractFor(req);
      requireTool(req, 'project', 'commitments', 'read_only');
      res.json(complianceView(store, c));
    });

    const patchBody = z.object({
      compliance_status: z.string().nullable().optional(),
      compliance_notes: z.string().nullable().optional(),
      insurance_status: z.string().nullable().optional(),
      insurance_notes: z.string().nullable().optional(),
    });
    r.patch(compliancePath, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const c = contractFor(req);
      requireTool(req, 'project', 'commitments', 'standard');
      const b = patchBody.safeParse(req.body);
      if (!b.success) throw badRequest('Invalid compliance body');
      const details: Record<string, string[]> = {};
      for (const f of ['compliance_status', 'insurance_status'] as const) {
        const v = b.data[f];
        if (v !== undefined && v !== null && !(COMPLIANCE_STATUSES as readonly string[]).includes(v)) {
          details[f] = [`is not included in the list (${COMPLIANCE_STATUSES.join(', ')})`];
        }
      }
      if (Object.keys(details).length) throw unprocessable('Invalid compliance status', details);
      const x = c.compliance;
      for (const [key, v] of Object.entries(b.data)) if (v !== undefined) (x as unknown as Record<string, unknown>)[key] = v;
      x.updated_at = store.nowIso();
      x.updated_by_id = req.caller!.user.id;
      emitter.emit({
        companyId: c.company_id,
        projectId: c.project_id,
        resourceName: k.resource,
        resourceId: c.id,
        eventType: 'update',
        ...actor(req),
      });
      res.json(compliancePatchView(c));
    });
  }

  r.get('/rest/v1.0/commitments', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const project = inProject(req);
    const list = store.pick(store.commitments, store.commitmentsByProject.get(project.id)).filter((c) => c.deleted_at === null);
    res.json(paginate(req, res, list, config).map((c) => commitmentListItem(store, c)));
  });

  r.get('/rest/v1.0/commitments/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const project = inProject(req);
    const c = store.commitments.get(pathId(req, 'id', 'Commitment'));
    if (!c || c.project_id !== project.id || c.deleted_at) throw notFound('Commitment');
    res.json(commitmentShow(store, c));
  });

  return r;
}
