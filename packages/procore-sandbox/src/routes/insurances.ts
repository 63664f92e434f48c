import { Router, type Response } from 'express';
import { z } from 'zod';
import { projectFor, requireCompany, requireTool, sameCompany } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, notFound, ProcoreError } from '../http/errors';
import { paginate } from '../http/pagination';
import { insuranceView } from '../serialize/insurance';
import type { Insurance } from '../state/types';
import { actor, pathId } from './helpers';
import {
  createInsurance,
  inScope,
  insuranceSyncItem,
  insuranceWrite,
  listInScope,
  updateInsurance,
  validateInsurance,
  type InsScope,
  type InsuranceSyncItem,
} from './insurance-model';
import { issuesToErrors, notAcceptable, runSync, unknownFieldErrors, unknownKeys } from './sync';

type Family = 'company_vendor' | 'company' | 'project_vendor' | 'project';
const WRITE_KEYS = Object.keys(insuranceWrite.shape);
const SYNC_KEYS = Object.keys(insuranceSyncItem.shape);

/** The four insurance families: company vendor, company (flat), project vendor, project (flat). */
export function insurancesRouter(deps: Deps): Router {
  const r = Router();
  const { store, config, emitter } = deps;

  /** Resolve the family's scope from the path, with Procore-like 403/404s. */
  function scopeOf(req: SandboxRequest, family: Family): InsScope {
    let scope: InsScope;
    if (family === 'company_vendor' || family === 'company') {
      const companyId = pathId(req, 'company_id', 'Company');
      if (!store.companies.has(companyId)) throw notFound('Company');
      sameCompany(req, companyId);
      scope = { companyId, projectId: null, vendorId: null };
    } else {
      const project = projectFor(deps, req, pathId(req, 'project_id', 'Project'));
      scope = { companyId: project.company_id, projectId: project.id, vendorId: null };
    }
    if (family === 'company_vendor' || family === 'project_vendor') {
      const vendorId = pathId(req, 'vendor_id', 'Vendor');
      const v = store.vendors.get(vendorId);
      if (!v || v.company_id !== scope.companyId) throw notFound('Vendor');
      if (
        scope.projectId !== null &&
        config.switches.requireProjectVendorForInsurance &&
        !store.isProjectVendor(scope.projectId, vendorId)
      ) {
        throw notFound('Vendor');
      }
      scope.vendorId = vendorId;
    }
    return scope;
  }
  const level = (s: InsScope) => (s.projectId === null ? 'company' : 'project');
  const read = (req: SandboxRequest, s: InsScope) => requireTool(req, level(s), 'directory', 'read_only');
  const write = (req: SandboxRequest, s: InsScope) => requireTool(req, level(s), 'directory', config.insuranceWriteLevel);
  const emit = (req: SandboxRequest, i: Insurance, eventType: 'create' | 'update' | 'delete') =>
    emitter.emit({
      companyId: i.company_id,
      projectId: i.project_id,
      resourceName: i.project_id === null ? 'Company Insurances' : 'Project Insurances',
      resourceId: i.id,
      eventType,
      ...actor(req),
    });
  const find = (s: InsScope, id: number) => {
    const i = store.insurances.get(id);
    return i && inScope(i, s) ? i : undefined;
  };
  function fail(errors: Record<string, string[]>): never {
    if (errors.origin_id && Object.keys(errors).length === 1)
      throw new ProcoreError(409, 'conflict', 'origin_id has already been taken', errors);
    throw badRequest('Invalid insurance', errors);
  }

  function syncIn(req: SandboxRequest, s: InsScope, body: unknown, perItemCompany = false) {
    return runSync<Insurance, InsuranceSyncItem>(
      body,
      (x) => {
        const extra = config.switches.rejectUnknownFields ? unknownKeys(x, SYNC_KEYS) : [];
        if (extra.length) return { ok: false, errors: unknownFieldErrors(extra) };
        const p = insuranceSyncItem.safeParse(x);
        if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
        if (perItemCompany && p.data.company_id === undefined) return { ok: false, errors: { company_id: ["can't be blank"] } };
        if (perItemCompany && p.data.company_id !== s.companyId)
          return { ok: false, errors: { company_id: ['does not match Procore-Company-Id'] } };
        return { ok: true, item: p.data };
      },
      {
        findById: (id) => find(s, id),
        findByOrigin: (o) => {
          const i = store.insuranceByOrigin(s.companyId, s.projectId, o);
          // Found elsewhere (another vendor or level) → not a match; validate reports the clash.
          return i && inScope(i, s) ? i : undefined;
        },
        validate: (item, existing) => validateInsurance(deps, s, item, existing),
        create: (item) => {
          const i = createInsurance(deps, s, item);
          emit(req, i, 'create');
          return i;
        },
        update: (i, item) => {
          updateInsurance(deps, i, item, s);
          emit(req, i, 'update');
          return i;
        },
        view: insuranceView,
      },
    );
  }

  const families: Array<[Family, string]> = [
    ['company_vendor', '/rest/v1.0/companies/:company_id/vendors/:vendor_id/insurances'],
    ['company', '/rest/v1.0/companies/:company_id/insurances'],
    ['project_vendor', '/rest/v1.0/projects/:project_id/vendors/:vendor_id/insurances'],
    ['project', '/rest/v1.0/projects/:project_id/insurances'],
  ];
  const envelope = z.object({ insurance: insuranceWrite });
  /** Parse `{ insurance: {...} }`; unknown attributes → 406 in strict mode. */
  function parseEnvelope(body: unknown) {
    const extra = config.switches.rejectUnknownFields
      ? unknownKeys((body as { insurance?: unknown } | undefined)?.insurance, WRITE_KEYS)
      : [];
    if (extra.length) throw notAcceptable(extra);
    const b = envelope.safeParse(body);
    if (!b.success) throw badRequest('Invalid insurance', issuesToErrors(b.error.issues));
    return b.data.insurance;
  }

  for (const [family, base] of families) {
    r.get(base, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      read(req, s);
      res.json(paginate(req, res, listInScope(deps, s), config).map(insuranceView));
    });

    r.post(base, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      write(req, s);
      const w = parseEnvelope(req.body);
      const errors = validateInsurance(deps, s, w, undefined);
      if (Object.keys(errors).length) fail(errors);
      const i = createInsurance(deps, s, w);
      emit(req, i, 'create');
      res.status(201).json(insuranceView(i));
    });

    // Registered before /:id so "sync" is never taken for an id.
    r.patch(`${base}/sync`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      write(req, s);
      res.json(syncIn(req, s, req.body));
    });

    r.get(`${base}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      read(req, s);
      const i = find(s, pathId(req, 'id', 'Insurance'));
      if (!i) throw notFound('Insurance');
      res.json(insuranceView(i));
    });

    r.patch(`${base}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      write(req, s);
      const i = find(s, pathId(req, 'id', 'Insurance'));
      if (!i) throw notFound('Insurance');
      const w = parseEnvelope(req.body);
      const errors = validateInsurance(deps, s, w, i);
      if (Object.keys(errors).length) fail(errors);
      updateInsurance(deps, i, w, s);
      emit(req, i, 'update');
      res.json(insuranceView(i));
    });

    r.delete(`${base}/:id`, requireCompany(deps), (req: SandboxRequest, res: Response) => {
      const s = scopeOf(req, family);
      write(req, s);
      const i = find(s, pathId(req, 'id', 'Insurance'));
      if (!i) throw notFound('Insurance');
      store.deleteInsurance(i);
      emit(req, i, 'delete');
      res.status(200).end();
    });
  }

  // Company insurances for any company; each item names its company (must be the header's).
  r.patch('/rest/v1.0/insurances/sync', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const companyId = req.caller!.access!.companyId;
    const s: InsScope = { companyId, projectId: null, vendorId: null };
    write(req, s);
    res.json(syncIn(req, s, req.body, true));
  });

  return r;
}
