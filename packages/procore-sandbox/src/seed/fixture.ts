import type { Store } from '../state/store';
import type { Commitment, Company, Insurance, Project, ToolPermissions, Vendor } from '../state/types';
import { makeCommitment, makeCompany, makeInsurance, makeProject, makeVendor } from './factories';

/** A JSON-serialisable seed. Omitted fields get the factories' defaults. */
export interface SeedFixture {
  companies: Array<Partial<Company> & { id: number; name: string }>;
  users?: Array<{
    id: number;
    login: string;
    password?: string;
    name?: string;
    companies: Array<{ companyId: number; projectIds?: 'all' | number[]; permissions?: ToolPermissions }>;
  }>;
  apps?: Array<{
    clientId: string;
    clientSecret: string;
    name?: string;
    redirectUris?: string[];
    serviceAccountUserId?: number;
    installations: Array<{ companyId: number; permittedProjectIds?: 'all' | number[]; permissions?: ToolPermissions }>;
  }>;
  projects?: Array<Partial<Project> & { id: number; company_id: number; name: string }>;
  vendors?: Array<Partial<Vendor> & { id: number; company_id: number; name: string }>;
  /** Project Directory memberships. */
  projectVendors?: Array<{ projectId: number; vendorIds: number[] }>;
  insurances?: Array<Partial<Insurance> & { company_id: number; vendor_id: number }>;
  commitments?: Array<Partial<Commitment> & { type: Commitment['type']; company_id: number; project_id: number }>;
}

export interface SeedSummary {
  apps: Array<{ clientId: string; clientSecret: string; companyIds: number[]; serviceAccountUserId: number }>;
  companies: Array<{ id: number; name: string; projectIds: number[]; vendorIds: number[] }>;
  users: Array<{ id: number; login: string; password: string; companyIds: number[] }>;
}

/** Users a human can sign in with, everything at full ("admin") tool level. */
export const FULL_USER_PERMISSIONS: ToolPermissions = {
  company: { directory: 'admin', webhooks: 'admin', projects: 'admin', commitments: 'admin' },
  project: { directory: 'admin', commitments: 'admin', webhooks: 'admin', projects: 'admin' },
};

export function loadFixture(s: Store, f: SeedFixture): void {
  for (const c of f.companies) s.addCompany(makeCompany(s, c));
  for (const u of f.users ?? []) {
    s.addUser({
      id: u.id,
      login: u.login,
      name: u.name ?? u.login,
      password: u.password ?? 'password',
      companies: new Map(
        u.companies.map((m) => [m.companyId, { projectIds: m.projectIds ?? 'all', permissions: m.permissions ?? FULL_USER_PERMISSIONS }]),
      ),
    });
  }
  for (const a of f.apps ?? []) {
    const saId = a.serviceAccountUserId ?? s.nextId('user', 9_000_001);
    s.apps.set(a.clientId, {
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      name: a.name ?? a.clientId,
      redirectUris: a.redirectUris ?? [],
      serviceAccountUserId: saId,
      installations: new Map(
        a.installations.map((i) => [
          i.companyId,
          { companyId: i.companyId, permittedProjectIds: i.permittedProjectIds ?? 'all', permissions: i.permissions ?? {} },
        ]),
      ),
    });
    // Installing a DMSA app creates a Directory user for it (login is Procore-generated; ours is illustrative).
    if (!s.users.has(saId)) {
      s.addUser({
        id: saId,
        login: `${a.clientId}@service-account.procore.test`,
        name: `${a.name ?? a.clientId} (Service Account)`,
        password: `!no-login!${Math.random()}`,
        companies: new Map(),
      });
    }
  }
  for (const p of f.projects ?? []) s.addProject(makeProject(s, p));
  for (const v of f.vendors ?? []) s.addVendor(makeVendor(s, v));
  for (const pv of f.projectVendors ?? []) for (const v of pv.vendorIds) s.addProjectVendor(pv.projectId, v);
  for (const i of f.insurances ?? []) s.addInsurance(makeInsurance(s, i));
  for (const c of f.commitments ?? []) s.addCommitment(makeCommitment(s, c));
}

export function summarize(s: Store): SeedSummary {
  return {
    apps: [...s.apps.values()].map((a) => ({
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      companyIds: [...a.installations.keys()],
      serviceAccountUserId: a.serviceAccountUserId,
    })),
    companies: [...s.companies.values()].map((c) => ({
      id: c.id,
      name: c.name,
      projectIds: [...(s.projectsByCompany.get(c.id) ?? [])],
      vendorIds: [...(s.vendorsByCompany.get(c.id) ?? [])],
    })),
    users: [...s.users.values()]
      .filter((u) => !u.password.startsWith('!no-login!'))
      .map((u) => ({ id: u.id, login: u.login, password: u.password, companyIds: [...u.companies.keys()] })),
  };
}
