import type { Core, Params } from '../core';
import { filterParams, type Range } from '../filters';
import { Company, Me, Project } from '../schemas/core';

export interface ProjectFilters {
  updatedAt?: Range;
  originId?: string;
  ids?: number[];
  /** Procore lists only active projects unless asked. */
  byStatus?: 'Active' | 'Inactive' | 'All';
  perPage?: number;
}

function projectParams(companyId: number, f: ProjectFilters): Params {
  return {
    company_id: companyId,
    ...filterParams({ updatedAt: f.updatedAt, originId: f.originId, ids: f.ids }),
    ...(f.byStatus ? { 'filters[by_status]': f.byStatus } : {}),
    ...(f.perPage ? { per_page: f.perPage } : {}),
  };
}

export function meApi(core: Core, companyId?: number) {
  return () => core.one(companyId, Me, { method: 'GET', url: '/rest/v1.0/me', params: companyId ? { company_id: companyId } : undefined });
}

export function companiesApi(core: Core, companyId?: number) {
  return {
    pages: (perPage?: number) => core.pages(companyId, Company, '/rest/v1.0/companies', perPage ? { per_page: perPage } : {}),
    list: (perPage?: number) => core.all(core.pages(companyId, Company, '/rest/v1.0/companies', perPage ? { per_page: perPage } : {})),
  };
}

export function projectsApi(core: Core, companyId: number) {
  return {
    /** v1.0 list (company_id required). */
    pages: (f: ProjectFilters = {}) => core.pages(companyId, Project, '/rest/v1.0/projects', projectParams(companyId, f)),
    list: (f: ProjectFilters = {}) => core.all(core.pages(companyId, Project, '/rest/v1.0/projects', projectParams(companyId, f))),
    /** v1.1 list (same filters; default 100 / max 300 per page). */
    pagesV11: (f: ProjectFilters = {}) => core.pages(companyId, Project, '/rest/v1.1/projects', projectParams(companyId, f)),
    listV11: (f: ProjectFilters = {}) => core.all(core.pages(companyId, Project, '/rest/v1.1/projects', projectParams(companyId, f))),
    get: (id: number) =>
      core.one(companyId, Project, { method: 'GET', url: `/rest/v1.0/projects/${id}`, params: { company_id: companyId } }),
  };
}
