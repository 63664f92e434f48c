import type { z } from 'zod';
import type { Core, Params } from '../core';
import { filterParams } from '../filters';
import {
  Commitment,
  Compliance,
  PurchaseOrderContract,
  WorkOrderContract,
  type ComplianceInput,
  type ContractFilters,
} from '../schemas/commitment';

export type ContractKind = 'work_order_contracts' | 'purchase_order_contracts';

function contractParams(projectId: number, f: ContractFilters): Params {
  return {
    project_id: projectId,
    ...filterParams({
      status: f.status,
      updatedAt: f.updatedAt,
      createdAt: f.createdAt,
      originId: f.originId,
      ids: f.ids,
      includeDeleted: f.includeDeleted,
    }),
    ...(f.view ? { view: f.view } : {}),
    ...(f.perPage ? { per_page: f.perPage } : {}),
  };
}

function contractApi<T>(core: Core, companyId: number, kind: ContractKind, schema: z.ZodType<T>) {
  const base = `/rest/v1.0/${kind}`;
  return {
    pages: (projectId: number, f: ContractFilters = {}) => core.pages(companyId, schema, base, contractParams(projectId, f)),
    list: (projectId: number, f: ContractFilters = {}) => core.all(core.pages(companyId, schema, base, contractParams(projectId, f))),
    get: (projectId: number, id: number) =>
      core.one(companyId, schema, { method: 'GET', url: `${base}/${id}`, params: { project_id: projectId } }),
  };
}

export function commitmentsApi(core: Core, companyId: number) {
  return {
    workOrders: contractApi<WorkOrderContract>(core, companyId, 'work_order_contracts', WorkOrderContract),
    purchaseOrders: contractApi<PurchaseOrderContract>(core, companyId, 'purchase_order_contracts', PurchaseOrderContract),
    /** /rest/v1.0/commitments — both kinds in one list (vendor is {id,name} here). */
    pages: (projectId: number, perPage?: number) =>
      core.pages(companyId, Commitment, '/rest/v1.0/commitments', { project_id: projectId, ...(perPage ? { per_page: perPage } : {}) }),
    list: (projectId: number, perPage?: number) =>
      core.all(
        core.pages(companyId, Commitment, '/rest/v1.0/commitments', { project_id: projectId, ...(perPage ? { per_page: perPage } : {}) }),
      ),
    get: (projectId: number, id: number) =>
      core.one(companyId, Commitment, { method: 'GET', url: `/rest/v1.0/commitments/${id}`, params: { project_id: projectId } }),
    compliance: {
      get: (projectId: number, kind: ContractKind, contractId: number) =>
        core.one(companyId, Compliance, { method: 'GET', url: `/rest/v1.0/projects/${projectId}/${kind}/${contractId}/compliance` }),
      update: (projectId: number, kind: ContractKind, contractId: number, body: ComplianceInput) =>
        core.one(companyId, Compliance, {
          method: 'PATCH',
          url: `/rest/v1.0/projects/${projectId}/${kind}/${contractId}/compliance`,
          data: body,
        }),
    },
  };
}
