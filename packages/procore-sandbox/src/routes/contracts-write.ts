import { Router, type Response } from 'express';
import { z } from 'zod';
import { projectFor, requireCompany, requireTool } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, notFound, ProcoreError } from '../http/errors';
import { intParam } from '../http/filters';
import { makeCommitment } from '../seed/factories';
import { contractShow } from '../serialize/commitment';
import { PO_STATUSES, WOC_STATUSES, type Commitment, type CommitmentType, type Project } from '../state/types';
import { actor, pathId } from './helpers';
import { issuesToErrors, runSync, type FieldErrors } from './sync';

const KINDS: Array<{ path: string; key: string; type: CommitmentType; statuses: readonly string[]; resource: string }> = [
  {
    path: 'work_order_contracts',
    key: 'work_order_contract',
    type: 'WorkOrderContract',
    statuses: WOC_STATUSES,
    resource: 'Work Order Contracts',
  },
  {
    path: 'purchase_order_contracts',
    key: 'purchase_order_contract',
    type: 'PurchaseOrderContract',
    statuses: PO_STATUSES,
    resource: 'Purchase Order Contracts',
  },
];

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD format')
  .nullable()
  .optional();
const str = z.string().nullable().optional();
/**
 * The attributes the sandbox stores. Other documented write fields (inclusions, attachments,
 * custom fields, …) are accepted and ignored: contracts are not what myCOI writes.
 */
const contractWrite = z.object({
  number: str,
  title: str,
  status: z.string().optional(),
  executed: z.boolean().optional(),
  private: z.boolean().optional(),
  description: str,
  vendor_id: z.number().int().nullable().optional(),
  origin_id: str,
  origin_data: str,
  origin_code: str,
  contract_date: date,
  delivery_date: date,
  retainage_percent: z.union([z.string(), z.number()]).optional(),
});
type ContractWrite = z.infer<typeof contractWrite>;

/** Work order / purchase order contract create, update, delete (soft) and sync, with webhooks. */
export function contractsWriteRouter(deps: Deps): Router {
  const r = Router();
  const { store, emitter } = deps;

  for (const k of KINDS) {
    const validate = (project: Project, w: ContractWrite, existing?: Commitment): FieldErrors => {
      const e: FieldErrors = {};
      if (w.status !== undefined && !k.statuses.includes(w.status)) e.status = [`is not included in the list (${k.statuses.join(', ')})`];
      if (w.vendor_id !== undefined && w.vendor_id !== null) {
        const v = store.vendors.get(w.vendor_id);
        if (!v || v.company_id !== project.company_id) e.vendor_id = ['is invalid'];
      }
      if (w.origin_id) {
        const other = store.commitmentByOrigin(project.company_id, w.origin_id);
        if (other && other.id !== existing?.id) e.origin_id = ['has already been taken'];
      }
      return e;
    };
    const patchOf = (w: ContractWrite): Partial<Commitment> => {
      const { retainage_percent, ...rest } = w;
      const p: Partial<Commitment> = {};
      for (const [key, v] of Object.entries(rest)) if (v !== undefined) (p as Record<string, unknown>)[key] = v;
      if (retainage_percent !== undefined) p.retainage_percent = String(retainage_percent);
      if (w.status !== undefined) p.executed = w.executed ?? (w.status === 'Approved' || w.status === 'Complete');
      return p;
    };
    const emit = (req: SandboxRequest, c: Commitment, eventType: 'create' | 'update' | 'delete') =>
      emitter.emit({
        companyId: c.company_id,
        projectId: c.project_id,
        resourceName: k.resource,
        resourceId: c.id,
        eventType,
        ...actor(req),
      });
    const create = (req: SandboxRequest, project: Project, w: ContractWrite) => {
      const c = makeCommitment(store, {
        ...patchOf(w),
        type: k.type,
        company_id: project.company_id,
        project_id: project.id,
        created_by_id: req.caller!.user.id,
      });
      store.addCommitment(c);
      emit(req, c, 'create');
      return c;
    };
    const projectOf = (req: SandboxRequest, raw: unknown) => {
      const project = projectFor(deps, req, intParam(raw, 'project_id')!);
      requireTool(req, 'project', 'commitments', 'standard');
      return project;
    };
    const fail = (e: FieldErrors): never => {
      if (e.origin_id && Object.keys(e).length === 1) throw new ProcoreError(409, 'conflict', 'origin_id has already been taken', e);
      throw new ProcoreError(422, 'unprocessable_entity', 'Invalid contract', e);
    };
    const body = (req: SandboxRequest) => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});
    const parse = (raw: unknown) => {
      const p = contractWrite.safeParse(raw);
      if (!p.success) throw badRequest('Invalid contract', issuesToErrors(p.error.issues));
      return p.data;
    };

    r.post(`/rest/v1.0/${k.path}`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectOf(req, body(req).project_id);
      const w = parse(body(req)[k.key]);
      const e = validate(project, w);
      if (Object.keys(e).length) fail(e);
      res.status(201).json(contractShow(store, create(req, project, w)));
    });

    r.patch(`/rest/v1.0/${k.path}/sync`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectOf(req, body(req).project_id);
      const inProject = (c: Commitment | undefined) =>
        c && c.type === k.type && c.project_id === project.id && !c.deleted_at ? c : undefined;
      res.json(
        runSync<Commitment, ContractWrite & { id?: number }>(
          req.body,
          (x) => {
            const p = contractWrite.extend({ id: z.number().int().optional() }).safeParse(x);
            return p.success ? { ok: true, item: p.data } : { ok: false, errors: issuesToErrors(p.error.issues) };
          },
          {
            findById: (id) => inProject(store.commitments.get(id)),
            findByOrigin: (o) => inProject(store.commitmentByOrigin(project.company_id, o)),
            validate: (item, existing) => validate(project, item, existing),
            create: (item) => create(req, project, item),
            update: (c, item) => {
              store.updateCommitment(c, patchOf(item));
              emit(req, c, 'update');
              return c;
            },
            view: (c) => contractShow(store, c),
          },
        ),
      );
    });

    r.patch(`/rest/v1.0/${k.path}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectOf(req, body(req).project_id);
      const c = store.commitments.get(pathId(req, 'id', 'Contract'));
      if (!c || c.type !== k.type || c.project_id !== project.id || c.deleted_at) throw notFound('Contract');
      const w = parse(body(req)[k.key] ?? {});
      const e = validate(project, w, c);
      if (Object.keys(e).length) fail(e);
      store.updateCommitment(c, patchOf(w));
      emit(req, c, 'update');
      res.json(contractShow(store, c));
    });

    r.delete(`/rest/v1.0/${k.path}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const project = projectOf(req, req.query.project_id);
      const c = store.commitments.get(pathId(req, 'id', 'Contract'));
      if (!c || c.type !== k.type || c.project_id !== project.id || c.deleted_at) throw notFound('Contract');
      // Soft delete: filters[include_deleted]=only|with still finds it.
      store.updateCommitment(c, { deleted_at: store.nowIso() });
      emit(req, c, 'delete');
      res.status(200).end();
    });
  }
  return r;
}
