import type { SandboxStore } from '../store';
import type { Role } from '../types';

export interface SeedSummary {
  asOf: string;
  accounts: Array<{
    id: string;
    name: string;
    clientId: string;
    clientSecret: string;
    divisionIds: string[];
    vendorIds: string[];
    insuranceSetIds: string[];
    assignmentIds: string[];
  }>;
  users: Array<{ email: string; password: string; accountId: string; role: Role; name: string }>;
}

export function summarize(store: SandboxStore, asOf: string): SeedSummary {
  return {
    asOf,
    accounts: [...store.accounts.values()].map((a) => {
      const creds = store.credentials.find((c) => c.accountId === a.id);
      return {
        id: a.id,
        name: a.name,
        clientId: creds?.clientId ?? '',
        clientSecret: creds?.clientSecret ?? '',
        divisionIds: store.divisions.ofAccount(a.id).map((d) => d.id),
        vendorIds: store.vendors.ofAccount(a.id).map((v) => v.id),
        insuranceSetIds: store.insuranceSets.ofAccount(a.id).map((s) => s.id),
        assignmentIds: store.assignments.ofAccount(a.id).map((x) => x.id),
      };
    }),
    users: [...store.users.values()].map((u) => ({
      email: u.email,
      password: u.password,
      accountId: u.account_id,
      role: u.role,
      name: u.name,
    })),
  };
}
