import { UpstreamError } from '@mycoi/http';
import type { Core, Params } from '../core';
import { filterParams, type Range } from '../filters';
import { runSync } from '../sync';
import { Vendor, type VendorInput, type VendorSyncItem } from '../schemas/vendor';

export interface VendorFilters {
  updatedAt?: Range;
  originId?: string;
  ids?: number[];
  search?: string;
  view?: 'compact' | 'normal' | 'erp' | 'extended' | 'directory' | 'summary';
  perPage?: number;
}

export function vendorsApi(core: Core, companyId: number) {
  const params = (f: VendorFilters): Params => ({
    company_id: companyId,
    ...filterParams({ updatedAt: f.updatedAt, originId: f.originId, ids: f.ids, search: f.search }),
    ...(f.view ? { view: f.view } : {}),
    ...(f.perPage ? { per_page: f.perPage } : {}),
  });
  return {
    pages: (f: VendorFilters = {}) => core.pages(companyId, Vendor, '/rest/v1.0/vendors', params(f)),
    list: (f: VendorFilters = {}) => core.all(core.pages(companyId, Vendor, '/rest/v1.0/vendors', params(f))),
    get: (id: number) => core.one(companyId, Vendor, { method: 'GET', url: `/rest/v1.0/vendors/${id}`, params: { company_id: companyId } }),
    /** Plain create: NOT retried after an ambiguous failure. Prefer `sync` with an origin_id. */
    create: (vendor: VendorInput & { name: string }) =>
      core.one(companyId, Vendor, { method: 'POST', url: '/rest/v1.0/vendors', data: { company_id: companyId, vendor } }),
    update: (id: number, vendor: VendorInput) =>
      core.one(companyId, Vendor, { method: 'PATCH', url: `/rest/v1.0/vendors/${id}`, data: { company_id: companyId, vendor } }),
    sync: (updates: readonly VendorSyncItem[]) =>
      runSync(core, companyId, Vendor, '/rest/v1.0/vendors/sync', updates, { company_id: companyId }),
  };
}

export function projectVendorsApi(core: Core, companyId: number, projectId: number) {
  const base = `/rest/v1.0/projects/${projectId}/vendors`;
  const get = (id: number) => core.one(companyId, Vendor, { method: 'GET', url: `${base}/${id}` });
  return {
    pages: (f: { search?: string; ids?: number[]; view?: 'normal' | 'extended'; perPage?: number } = {}) =>
      core.pages(companyId, Vendor, base, {
        ...filterParams({ search: f.search, ids: f.ids }),
        ...(f.view ? { view: f.view } : {}),
        ...(f.perPage ? { per_page: f.perPage } : {}),
      }),
    list: (f: { search?: string; ids?: number[]; view?: 'normal' | 'extended'; perPage?: number } = {}) =>
      core.all(
        core.pages(companyId, Vendor, base, {
          ...filterParams({ search: f.search, ids: f.ids }),
          ...(f.view ? { view: f.view } : {}),
          ...(f.perPage ? { per_page: f.perPage } : {}),
        }),
      ),
    get,
    /** Adds an existing Company Directory vendor to the project. Adding is idempotent in effect, so
     *  it is retried; if a retry is refused (the first attempt had landed) membership is checked. */
    async add(vendorId: number) {
      try {
        return await core.one(companyId, Vendor, { method: 'POST', url: `${base}/${vendorId}/actions/add`, idempotent: true });
      } catch (err) {
        if (err instanceof UpstreamError && err.attempts > 1 && err.status !== undefined && err.status >= 400 && err.status < 500) {
          const present = await get(vendorId).catch(() => undefined);
          if (present) return present;
        }
        throw err;
      }
    },
    /** Removes the vendor from the project. A 404 on a retry means the first attempt removed it. */
    async remove(vendorId: number): Promise<void> {
      try {
        await core.request(companyId, { method: 'DELETE', url: `${base}/${vendorId}/actions/remove` });
      } catch (err) {
        if (err instanceof UpstreamError && err.attempts > 1 && err.status === 404) return;
        throw err;
      }
    },
  };
}
