import { Store } from './store';

/**
 * The whole Store as JSON and back, so a demo keeps its Procore across restarts (what a real
 * Procore does). Only primary records are written; every index is rebuilt by the Store's own add*
 * methods on load. Maps and Sets inside records (user memberships, app installations) are tagged.
 */
const FORMAT = 1;

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value.entries()] };
  if (value instanceof Set) return { $set: [...value.values()] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { $map?: [unknown, unknown][]; $set?: unknown[] };
    if (Array.isArray(v.$map) && Object.keys(v).length === 1) return new Map(v.$map);
    if (Array.isArray(v.$set) && Object.keys(v).length === 1) return new Set(v.$set);
  }
  return value;
}

type Dump = {
  format: number;
  clockOffsetMs: number;
  insuranceOriginPerLevel: boolean;
  seq: Map<string, number>;
} & Pick<
  Store,
  | 'companies'
  | 'users'
  | 'apps'
  | 'projects'
  | 'vendors'
  | 'projectVendors'
  | 'insurances'
  | 'commitments'
  | 'hooks'
  | 'triggers'
  | 'deliveries'
  | 'tokens'
  | 'refreshTokens'
  | 'codes'
>;

export function serializeStore(s: Store): string {
  const dump: Dump = {
    format: FORMAT,
    clockOffsetMs: s.clockOffsetMs,
    insuranceOriginPerLevel: s.insuranceOriginPerLevel,
    seq: s['seq'],
    companies: s.companies,
    users: s.users,
    apps: s.apps,
    projects: s.projects,
    vendors: s.vendors,
    projectVendors: s.projectVendors,
    insurances: s.insurances,
    commitments: s.commitments,
    hooks: s.hooks,
    triggers: s.triggers,
    deliveries: s.deliveries,
    tokens: s.tokens,
    refreshTokens: s.refreshTokens,
    codes: s.codes,
  };
  return JSON.stringify(dump, replacer);
}

/** Fill an EMPTY store (e.g. a sandbox created with seed 'empty') from `serializeStore` output. */
export function restoreStore(s: Store, json: string): void {
  const d = JSON.parse(json, reviver) as Dump;
  if (d.format !== FORMAT) throw new Error(`unknown sandbox state format ${String(d.format)}`);
  if (s.companies.size || s.insurances.size) throw new Error('restoreStore needs an empty store');
  s.clockOffsetMs = d.clockOffsetMs;
  s.insuranceOriginPerLevel = d.insuranceOriginPerLevel;
  for (const c of d.companies.values()) s.addCompany(c);
  for (const u of d.users.values()) s.addUser(u);
  for (const [k, a] of d.apps) s.apps.set(k, a);
  for (const p of d.projects.values()) s.addProject(p);
  for (const v of d.vendors.values()) s.addVendor(v);
  for (const [p, vendors] of d.projectVendors) for (const v of vendors) s.addProjectVendor(Number(p), v);
  for (const i of d.insurances.values()) s.addInsurance(i);
  for (const c of d.commitments.values()) s.addCommitment(c);
  for (const [k, h] of d.hooks) s.hooks.set(k, h);
  for (const [k, t] of d.triggers) s.triggers.set(k, t);
  for (const [k, x] of d.deliveries) s.deliveries.set(k, x);
  for (const [k, t] of d.tokens) s.tokens.set(k, t);
  for (const [k, t] of d.refreshTokens) s.refreshTokens.set(k, t);
  for (const [k, c] of d.codes) s.codes.set(k, c);
  for (const [kind, n] of d.seq) s.bump(kind, n);
}
