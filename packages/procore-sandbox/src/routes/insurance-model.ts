import { z } from 'zod';
import type { Deps } from '../http/context';
import { makeInsurance } from '../seed/factories';
import { INSURANCE_STATUSES, type Insurance } from '../state/types';
import type { FieldErrors } from './sync';

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const date = z.string().refine(isDate, 'must be a date in YYYY-MM-DD format').nullable().optional();
const str = z.string().nullable().optional();

/**
 * Writable insurance attributes (request side). Note the asymmetry Procore documents: the carrier is
 * written as `name` and read back as `insurance_provider`. `limit` is a string in Procore's schema;
 * a JSON number is accepted too and stored as a string.
 */
export const insuranceWrite = z.object({
  effective_date: date,
  expiration_date: date,
  enable_expired_insurance_notifications: z.boolean().optional(),
  exempt: z.boolean().optional(),
  info_received: z.boolean().optional(),
  insurance_type: str,
  limit: z.union([z.string(), z.number()]).nullable().optional(),
  name: str,
  notes: str,
  policy_number: str,
  status: z
    .string()
    .refine((s) => (INSURANCE_STATUSES as readonly string[]).includes(s), {
      message: `is not included in the list (${INSURANCE_STATUSES.join(', ')})`,
    })
    .nullable()
    .optional(),
  additional_insured: str,
  division_template: str,
  insurance_sets: str,
  origin_data: str,
  origin_id: str,
  vendor_id: z.number().int().optional(),
});
export type InsuranceWrite = z.infer<typeof insuranceWrite>;
export const insuranceSyncItem = insuranceWrite.extend({ id: z.number().int().optional(), company_id: z.number().int().optional() });
export type InsuranceSyncItem = z.infer<typeof insuranceSyncItem>;

export function insurancePatch(w: InsuranceWrite): Partial<Insurance> {
  const p: Partial<Insurance> = {};
  const copy = [
    'effective_date',
    'expiration_date',
    'enable_expired_insurance_notifications',
    'exempt',
    'info_received',
    'insurance_type',
    'notes',
    'policy_number',
    'additional_insured',
    'division_template',
    'insurance_sets',
    'origin_data',
    'origin_id',
  ] as const;
  for (const k of copy) if (w[k] !== undefined) (p as Record<string, unknown>)[k] = w[k];
  if (w.name !== undefined) p.insurance_provider = w.name;
  if (w.limit !== undefined) p.limit = w.limit === null ? null : String(w.limit);
  if (w.status !== undefined) p.status = w.status as Insurance['status'];
  return p;
}

/** Where a family's endpoint writes: one company, one level, maybe a fixed vendor. */
export interface InsScope {
  companyId: number;
  projectId: number | null;
  vendorId: number | null;
}

export function inScope(i: Insurance, s: InsScope): boolean {
  return i.company_id === s.companyId && i.project_id === s.projectId && (s.vendorId === null || i.vendor_id === s.vendorId);
}

export function listInScope(deps: Deps, s: InsScope): Insurance[] {
  const st = deps.store;
  const ids =
    s.projectId === null
      ? s.vendorId === null
        ? st.insByCompany.get(s.companyId)
        : st.insByCompanyVendor.get(`${s.companyId}:${s.vendorId}`)
      : s.vendorId === null
        ? st.insByProject.get(s.projectId)
        : st.insByProjectVendor.get(`${s.projectId}:${s.vendorId}`);
  return st.pick(st.insurances, ids).sort((a, b) => a.id - b.id);
}

/** Business checks shared by create/update/sync; returns Procore-style field errors. */
export function validateInsurance(deps: Deps, s: InsScope, w: InsuranceWrite, existing: Insurance | undefined): FieldErrors {
  const e: FieldErrors = {};
  const st = deps.store;
  const vendorId = s.vendorId ?? w.vendor_id ?? existing?.vendor_id;
  if (vendorId === undefined) e.vendor_id = ["can't be blank"];
  else if (s.vendorId === null) {
    const v = st.vendors.get(vendorId);
    if (!v || v.company_id !== s.companyId) e.vendor_id = ['is invalid'];
    else if (s.projectId !== null && deps.config.switches.requireProjectVendorForInsurance && !st.isProjectVendor(s.projectId, vendorId)) {
      e.vendor_id = ['is not in the Project Directory'];
    }
  }
  if (w.origin_id) {
    const other = st.insuranceByOrigin(s.companyId, s.projectId, w.origin_id);
    if (other && other.id !== existing?.id) e.origin_id = ['has already been taken'];
  }
  return e;
}

export function createInsurance(deps: Deps, s: InsScope, w: InsuranceWrite): Insurance {
  const i = makeInsurance(deps.store, {
    ...insurancePatch(w),
    company_id: s.companyId,
    project_id: s.projectId,
    vendor_id: (s.vendorId ?? w.vendor_id)!,
  });
  deps.store.addInsurance(i);
  return i;
}

export function updateInsurance(deps: Deps, i: Insurance, w: InsuranceWrite, s: InsScope): Insurance {
  const patch = insurancePatch(w);
  // The flat families may move a record to another vendor of the same company.
  if (s.vendorId === null && w.vendor_id !== undefined) patch.vendor_id = w.vendor_id;
  return deps.store.updateInsurance(i, patch);
}
