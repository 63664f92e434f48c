// The typed Procore client. One client per token (DMSA credential set or user); `company(id)`
// scopes calls to a company: every request then carries Procore-Company-Id.
import type { RateBudget } from '@mycoi/http';
import { Core, type CoreOptions } from './core';
import { commitmentsApi } from './resources/commitments';
import { insurancesApi, type InsuranceTarget } from './resources/insurances';
import { companiesApi, meApi, projectsApi } from './resources/projects';
import { projectVendorsApi, vendorsApi } from './resources/vendors';
import { webhooksApi } from './resources/webhooks';

export type ProcoreClientOptions = CoreOptions;

export function companyClient(core: Core, companyId: number) {
  return {
    companyId,
    me: meApi(core, companyId),
    companies: companiesApi(core, companyId),
    projects: projectsApi(core, companyId),
    vendors: vendorsApi(core, companyId),
    projectVendors: (projectId: number) => projectVendorsApi(core, companyId, projectId),
    insurances: (target: InsuranceTarget) => insurancesApi(core, companyId, target),
    commitments: commitmentsApi(core, companyId),
    webhooks: webhooksApi(core, companyId),
  };
}

export type CompanyClient = ReturnType<typeof companyClient>;

export function createProcoreClient(opts: ProcoreClientOptions) {
  const core = new Core(opts);
  return {
    /** Without a company header: allowed for user tokens only (DMSA tokens need `company(id).me()`). */
    me: meApi(core),
    companies: companiesApi(core),
    company: (companyId: number) => companyClient(core, companyId),
    /** The rate budget of this client's token: `budget.canSpend(n)` before starting a run. */
    get budget(): RateBudget {
      return core.budget;
    },
    /** May the caller spend `n` more calls in the current window? */
    canSpend: (n: number) => core.budget.canSpend(n),
    stats: core.ex.stats,
  };
}

export type ProcoreClient = ReturnType<typeof createProcoreClient>;
