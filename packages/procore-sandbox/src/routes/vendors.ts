import { Router, type Response } from 'express';
import { z } from 'zod';
import { requireCompany, requireTool, sameCompany } from '../http/auth';
import type { Deps, SandboxRequest } from '../http/context';
import { badRequest, notFound, ProcoreError } from '../http/errors';
import { idsFilter, inRange, intParam, queryOne, rangeFilter } from '../http/filters';
import { paginate } from '../http/pagination';
import { BIDDING_FLAGS, makeVendor } from '../seed/factories';
import { companyVendorView, vendorShow } from '../serialize/vendor';
import type { Vendor } from '../state/types';
import { actor, matches, pathId, sortBy } from './helpers';
import { issuesToErrors, notAcceptable, runSync, unknownFieldErrors, unknownKeys } from './sync';

const str = z.string().nullable().optional();
const bool = z.boolean().optional();
const intId = z.number().int().nullable().optional();

/** Writable company-vendor attributes (RestV10VendorsPost/IdPatch/SyncPatch). */
export const vendorWrite = z.object({
  name: z.string().min(1, "can't be blank").optional(),
  abbreviated_name: str,
  trade_name: str,
  address: str,
  city: str,
  state_code: str,
  zip: str,
  country_code: str,
  business_phone: str,
  mobile_phone: str,
  fax_number: str,
  email_address: str,
  website: str,
  is_active: bool,
  authorized_bidder: bool,
  prequalified: bool,
  union_member: bool,
  non_union_prevailing_wage: bool,
  labor_union: str,
  license_number: str,
  notes: str,
  vendor_group_id: intId,
  parent_id: intId,
  primary_contact_id: intId,
  origin_id: str,
  origin_data: str,
  origin_code: str,
  trade_ids: z.array(z.number().int()).optional(),
  bidding_distribution_ids: z.array(z.number().int()).optional(),
  standard_cost_code_ids: z.array(z.number().int()).optional(),
  bidding: z.object(Object.fromEntries(BIDDING_FLAGS.map((f) => [f, z.boolean().optional()]))).optional(),
});
type VendorWrite = z.infer<typeof vendorWrite>;
const vendorSyncItem = vendorWrite.extend({
  id: z.number().int().optional(),
  business_register_attributes: z.object({ type: z.string().optional(), identifier: z.string().optional() }).optional(),
  origin_custom_fields: z.record(z.string(), z.unknown()).optional(),
});

/** Stored fields from a write body (ids arrays we don't model are accepted and ignored). */
export function vendorPatch(w: VendorWrite, current?: Vendor): Partial<Vendor> {
  const {
    bidding,
    trade_ids,
    bidding_distribution_ids: _b,
    standard_cost_code_ids: _s,
    ...rest
  } = w as VendorWrite & Record<string, unknown>;
  const patch: Partial<Vendor> = {};
  for (const [k, v] of Object.entries(rest))
    if (v !== undefined && k !== 'id' && k !== 'business_register_attributes' && k !== 'origin_custom_fields')
      (patch as Record<string, unknown>)[k] = v;
  if (trade_ids) patch.trade_ids = trade_ids;
  if (bidding)
    patch.bidding = {
      ...(current?.bidding ?? {}),
      ...Object.fromEntries(Object.entries(bidding).filter(([, v]) => v !== undefined)),
    } as Record<string, boolean>;
  return patch;
}

export function vendorsRouter(deps: Deps): Router {
  const r = Router();
  const { store, config, emitter } = deps;

  function checkOrigin(companyId: number, originId: string | null | undefined, selfId?: number): string[] | undefined {
    if (!originId) return undefined;
    const other = store.vendorByOrigin(companyId, originId);
    return other && other.id !== selfId ? ['has already been taken'] : undefined;
  }
  function checkParent(companyId: number, parentId: number | null | undefined): string[] | undefined {
    if (parentId === undefined || parentId === null) return undefined;
    const p = store.vendors.get(parentId);
    return !p || p.company_id !== companyId ? ['is invalid'] : undefined;
  }
  const emit = (req: SandboxRequest, v: Vendor, eventType: 'create' | 'update') =>
    emitter.emit({ companyId: v.company_id, resourceName: 'Company Vendors', resourceId: v.id, eventType, ...actor(req) });

  r.get('/rest/v1.0/vendors', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const companyId = intParam(req.query.company_id, 'company_id')!;
    sameCompany(req, companyId);
    requireTool(req, 'company', 'directory', 'read_only');
    const updated = rangeFilter(req, 'updated_at');
    const created = rangeFilter(req, 'created_at');
    const origin = queryOne(req, 'filters[origin_id]');
    const search = queryOne(req, 'filters[search]');
    const ids = idsFilter(req, 'id');
    const parents = idsFilter(req, 'parent_id');
    const trades = idsFilter(req, 'trade_id');
    let list = store
      .pick(store.vendors, store.vendorsByCompany.get(companyId))
      .filter(
        (v) =>
          inRange(v.updated_at, updated) &&
          inRange(v.created_at, created) &&
          (origin === undefined || v.origin_id === origin) &&
          (!ids || ids.has(v.id)) &&
          (!parents || (v.parent_id !== null && parents.has(v.parent_id))) &&
          (!trades || v.trade_ids.some((t) => trades.has(t))) &&
          matches([v.name, v.notes, v.origin_code], search),
      );
    list = sortBy(list, queryOne(req, 'sort'), { name: (v) => v.name });
    const view = queryOne(req, 'view');
    res.json(paginate(req, res, list, config).map((v) => companyVendorView(store, v, view)));
  });

  r.get('/rest/v1.0/vendors/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const companyId = intParam(req.query.company_id, 'company_id')!;
    sameCompany(req, companyId);
    requireTool(req, 'company', 'directory', 'read_only');
    const v = store.vendors.get(pathId(req, 'id', 'Vendor'));
    if (!v || v.company_id !== companyId) throw notFound('Vendor');
    res.json(queryOne(req, 'view') === 'compact' ? companyVendorView(store, v, 'compact') : vendorShow(store, v));
  });

  const envelope = z.object({ company_id: z.number().int(), vendor: vendorWrite });
  function rejectUnknown(body: unknown): void {
    if (!config.switches.rejectUnknownFields) return;
    const extra = unknownKeys((body as { vendor?: unknown } | undefined)?.vendor, Object.keys(vendorWrite.shape));
    if (extra.length) throw notAcceptable(extra);
  }

  r.post('/rest/v1.0/vendors', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    rejectUnknown(req.body);
    const b = envelope.safeParse(req.body);
    if (!b.success) throw badRequest('Invalid vendor', issuesToErrors(b.error.issues));
    sameCompany(req, b.data.company_id);
    requireTool(req, 'company', 'directory', 'standard');
    const w = b.data.vendor;
    if (!w.name) throw badRequest('Invalid vendor', { name: ["can't be blank"] });
    if (checkOrigin(b.data.company_id, w.origin_id))
      throw new ProcoreError(409, 'conflict', 'origin_id has already been taken', { origin_id: ['has already been taken'] });
    if (checkParent(b.data.company_id, w.parent_id)) throw badRequest('Invalid vendor', { parent_id: ['is invalid'] });
    const v = makeVendor(store, { ...vendorPatch(w), company_id: b.data.company_id, name: w.name });
    store.addVendor(v);
    emit(req, v, 'create');
    res.status(201).json(companyVendorView(store, v, queryOne(req, 'view')));
  });

  r.patch('/rest/v1.0/vendors/sync', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    const companyId = intParam((req.body as { company_id?: unknown } | undefined)?.company_id, 'company_id')!;
    sameCompany(req, companyId);
    requireTool(req, 'company', 'directory', 'standard');
    const result = runSync<Vendor, z.infer<typeof vendorSyncItem>>(
      req.body,
      (x) => {
        const extra = config.switches.rejectUnknownFields ? unknownKeys(x, Object.keys(vendorSyncItem.shape)) : [];
        if (extra.length) return { ok: false, errors: unknownFieldErrors(extra) };
        const p = vendorSyncItem.safeParse(x);
        return p.success ? { ok: true, item: p.data } : { ok: false, errors: issuesToErrors(p.error.issues) };
      },
      {
        findById: (id) => {
          const v = store.vendors.get(id);
          return v && v.company_id === companyId ? v : undefined;
        },
        findByOrigin: (o) => store.vendorByOrigin(companyId, o),
        validate: (item, existing) => {
          const e: Record<string, string[]> = {};
          if (!existing && !item.name) e.name = ["can't be blank"];
          const o = checkOrigin(companyId, item.origin_id, existing?.id);
          if (o) e.origin_id = o;
          const p = checkParent(companyId, item.parent_id);
          if (p) e.parent_id = p;
          return e;
        },
        create: (item) => {
          const v = makeVendor(store, { ...vendorPatch(item), company_id: companyId, name: item.name! });
          store.addVendor(v);
          emit(req, v, 'create');
          return v;
        },
        update: (v, item) => {
          store.updateVendor(v, vendorPatch(item, v));
          emit(req, v, 'update');
          return v;
        },
        view: (v) => companyVendorView(store, v, undefined),
      },
    );
    res.json(result);
  });

  r.patch('/rest/v1.0/vendors/:id', requireCompany(deps), (req: SandboxRequest, res: Response) => {
    rejectUnknown(req.body);
    const b = z.object({ company_id: z.number().int(), vendor: vendorWrite }).safeParse(req.body);
    if (!b.success) throw badRequest('Invalid vendor', issuesToErrors(b.error.issues));
    sameCompany(req, b.data.company_id);
    requireTool(req, 'company', 'directory', 'standard');
    const v = store.vendors.get(pathId(req, 'id', 'Vendor'));
    if (!v || v.company_id !== b.data.company_id) throw notFound('Vendor');
    if (checkOrigin(v.company_id, b.data.vendor.origin_id, v.id))
      throw new ProcoreError(409, 'conflict', 'origin_id has already been taken', { origin_id: ['has already been taken'] });
    if (checkParent(v.company_id, b.data.vendor.parent_id)) throw badRequest('Invalid vendor', { parent_id: ['is invalid'] });
    store.updateVendor(v, vendorPatch(b.data.vendor, v));
    emit(req, v, 'update');
    res.json(companyVendorView(store, v, queryOne(req, 'view')));
  });

  return r;
}
