import type { SandboxStore } from './store';
import type { Account, AccountCredentials, Assignment, ComplianceRecord, Division, InsuranceSet, UserRecord, Vendor } from './types';

/**
 * The sandbox's records as JSON and back, so a demo keeps its myCOI across restarts. The feed
 * order and the monotonic clock continue from the restored records (a client's stored feed cursor
 * stays valid). Tokens and idempotency keys are not kept: clients simply sign in again.
 */
const FORMAT = 1;

interface Dump {
  format: number;
  seq: number;
  accounts: Account[];
  credentials: AccountCredentials[];
  users: UserRecord[];
  divisions: Division[];
  vendors: Vendor[];
  insuranceSets: InsuranceSet[];
  assignments: Assignment[];
  compliance: ComplianceRecord[];
}

export function serializeStore(s: SandboxStore): string {
  const dump: Dump = {
    format: FORMAT,
    seq: s['seq'],
    accounts: [...s.accounts.values()],
    credentials: s.credentials,
    users: [...s.users.values()],
    divisions: s.divisions.rows,
    vendors: s.vendors.rows,
    insuranceSets: s.insuranceSets.rows,
    assignments: s.assignments.rows,
    compliance: [...s.compliance.values()],
  };
  return JSON.stringify(dump);
}

/** Fill an EMPTY store (a sandbox created with seed 'empty') from `serializeStore` output. */
export function restoreStore(s: SandboxStore, json: string): void {
  const d = JSON.parse(json) as Dump;
  if (d.format !== FORMAT) throw new Error(`unknown sandbox state format ${String(d.format)}`);
  if (s.accounts.size || s.vendors.rows.length) throw new Error('restoreStore needs an empty store');
  for (const a of d.accounts) s.accounts.set(a.id, a);
  s.credentials.push(...d.credentials);
  for (const u of d.users) s.addUser(u);
  for (const x of d.divisions) s.divisions.add(x);
  for (const x of d.vendors) s.vendors.add(x);
  for (const x of d.insuranceSets) s.insuranceSets.add(x);
  for (const x of d.assignments) s.assignments.add(x);
  for (const r of d.compliance) {
    s.compliance.set(r.id, r);
    s.clock.observe(r.updated_at);
  }
  s['sorted'].clear();
  s['seq'] = d.seq;
}
