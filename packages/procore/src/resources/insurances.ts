import { UpstreamError } from '@mycoi/http';
import type { Core } from '../core';
import { runSync } from '../sync';
import { Insurance, type InsuranceInput, type InsuranceSyncItem } from '../schemas/insurance';

/** The four insurance families share one shape and one set of verbs; only the base path differs. */
export type InsuranceTarget =
  | { level: 'company_vendor'; vendorId: number }
  | { level: 'company' }
  | { level: 'project_vendor'; projectId: number; vendorId: number }
  | { level: 'project'; projectId: number };

export function insuranceBasePath(companyId: number, t: InsuranceTarget): string {
  switch (t.level) {
    case 'company_vendor':
      return `/rest/v1.0/companies/${companyId}/vendors/${t.vendorId}/insurances`;
    case 'company':
      return `/rest/v1.0/companies/${companyId}/insurances`;
    case 'project_vendor':
      return `/rest/v1.0/projects/${t.projectId}/vendors/${t.vendorId}/insurances`;
    case 'project':
      return `/rest/v1.0/projects/${t.projectId}/insurances`;
  }
}

export function insurancesApi(core: Core, companyId: number, target: InsuranceTarget) {
  const base = insuranceBasePath(companyId, target);
  const needsVendor = target.level === 'company' || target.level === 'project';
  return {
    path: base,
    pages: (perPage?: number) => core.pages(companyId, Insurance, base, perPage ? { per_page: perPage } : {}),
    list: (perPage?: number) => core.all(core.pages(companyId, Insurance, base, perPage ? { per_page: perPage } : {})),
    get: (id: number) => core.one(companyId, Insurance, { method: 'GET', url: `${base}/${id}` }),
    /** Plain create: NOT retried after an ambiguous failure. Prefer `sync` with an origin_id. */
    create(insurance: InsuranceInput) {
      if (needsVendor && insurance.vendor_id === undefined) throw new TypeError(`${target.level} insurances need insurance.vendor_id`);
      return core.one(companyId, Insurance, { method: 'POST', url: base, data: { insurance } });
    },
    update: (id: number, insurance: InsuranceInput) =>
      core.one(companyId, Insurance, { method: 'PATCH', url: `${base}/${id}`, data: { insurance } }),
    /** Deletes; a 404 on a retry means an earlier attempt already deleted it. */
    async delete(id: number): Promise<void> {
      try {
        await core.request(companyId, { method: 'DELETE', url: `${base}/${id}` });
      } catch (err) {
        if (err instanceof UpstreamError && err.attempts > 1 && err.status === 404) return;
        throw err;
      }
    },
    /** Creates/updates any number of rows, split into batches of ≤ 1000; per-item errors returned. */
    sync: (updates: readonly InsuranceSyncItem[], batchSize?: number) =>
      runSync(core, companyId, Insurance, `${base}/sync`, updates, {}, batchSize),
  };
}
