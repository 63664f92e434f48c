import type {
  AccessToken,
  App,
  AuthCode,
  Commitment,
  Company,
  Delivery,
  Hook,
  Insurance,
  Project,
  RefreshToken,
  Trigger,
  User,
  Vendor,
} from './types';

/** Procore timestamps are second-resolution ISO-8601 UTC ("2016-10-23T21:39:40Z"). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function pushIndex<K>(map: Map<K, Set<number>>, key: K, id: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

/**
 * The whole emulated Procore. Every lookup a request needs is a Map hit or an index walk, never a
 * scan of all records, so generated benchmark seeds (thousands of vendors) stay fast.
 */
export class Store {
  /** Added to Date.now(); tests move time forward (token expiry, rate-limit windows) without sleeping. */
  clockOffsetMs = 0;
  private seq = new Map<string, number>();

  companies = new Map<number, Company>();
  users = new Map<number, User>();
  usersByLogin = new Map<string, User>();
  apps = new Map<string, App>();
  projects = new Map<number, Project>();
  projectsByCompany = new Map<number, Set<number>>();
  vendors = new Map<number, Vendor>();
  vendorsByCompany = new Map<number, Set<number>>();
  /** Project Directory membership: projectId → vendor ids. */
  projectVendors = new Map<number, Set<number>>();
  insurances = new Map<number, Insurance>();
  /** `${companyId}:${vendorId}` → company-level insurance ids. */
  insByCompanyVendor = new Map<string, Set<number>>();
  insByCompany = new Map<number, Set<number>>();
  insByProject = new Map<number, Set<number>>();
  /** `${projectId}:${vendorId}` → project-level insurance ids. */
  insByProjectVendor = new Map<string, Set<number>>();
  /** origin_id index → insurance id. Key scope: company-wide (strict) or per level (see originKey). */
  insByOrigin = new Map<string, number>();
  /** Lenient mode: an insurance origin_id is unique per company *and level* (company / each project). */
  insuranceOriginPerLevel = false;
  insuranceOriginKey(companyId: number, projectId: number | null, originId: string): string {
    return this.insuranceOriginPerLevel ? `${companyId}|${projectId ?? 'c'}|${originId}` : `${companyId}|${originId}`;
  }
  commitments = new Map<number, Commitment>();
  commitmentsByProject = new Map<number, Set<number>>();
  hooks = new Map<number, Hook>();
  triggers = new Map<number, Trigger>();
  deliveries = new Map<number, Delivery>();
  tokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  codes = new Map<string, AuthCode>();

  nowMs(): number {
    return Date.now() + this.clockOffsetMs;
  }
  nowIso(): string {
    return isoSeconds(this.nowMs());
  }
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Next id for a kind; seeds may reserve ids by calling `bump`. */
  nextId(kind: string, start = 1): number {
    const next = (this.seq.get(kind) ?? start - 1) + 1;
    this.seq.set(kind, next);
    return next;
  }
  bump(kind: string, id: number): void {
    if ((this.seq.get(kind) ?? 0) < id) this.seq.set(kind, id);
  }

  addCompany(c: Company): void {
    this.companies.set(c.id, c);
    this.bump('company', c.id);
  }
  addUser(u: User): void {
    this.users.set(u.id, u);
    this.usersByLogin.set(u.login.toLowerCase(), u);
    this.bump('user', u.id);
  }
  addProject(p: Project): void {
    this.projects.set(p.id, p);
    pushIndex(this.projectsByCompany, p.company_id, p.id);
    this.bump('project', p.id);
  }
  private childCounts: Map<number, number> | null = null;
  /** Number of vendors whose parent_id is this vendor (cached; vendor writes call vendorsChanged). */
  childCount(vendorId: number): number {
    if (!this.childCounts) {
      this.childCounts = new Map();
      for (const v of this.vendors.values()) {
        if (v.parent_id !== null) this.childCounts.set(v.parent_id, (this.childCounts.get(v.parent_id) ?? 0) + 1);
      }
    }
    return this.childCounts.get(vendorId) ?? 0;
  }
  vendorsChanged(): void {
    this.childCounts = null;
  }
  /** `${companyId}|${origin_id}` → vendor id. */
  vendorsByOrigin = new Map<string, number>();
  vendorByOrigin(companyId: number, originId: string): Vendor | undefined {
    const id = this.vendorsByOrigin.get(`${companyId}|${originId}`);
    return id === undefined ? undefined : this.vendors.get(id);
  }
  updateVendor(v: Vendor, patch: Partial<Vendor>): Vendor {
    const key = `${v.company_id}|${v.origin_id}`;
    if (v.origin_id && this.vendorsByOrigin.get(key) === v.id) this.vendorsByOrigin.delete(key);
    Object.assign(v, patch, { updated_at: this.nowIso() });
    if (v.origin_id) this.vendorsByOrigin.set(`${v.company_id}|${v.origin_id}`, v.id);
    this.vendorsChanged();
    return v;
  }
  addVendor(v: Vendor): void {
    this.vendorsChanged();
    if (v.origin_id) this.vendorsByOrigin.set(`${v.company_id}|${v.origin_id}`, v.id);
    this.vendors.set(v.id, v);
    pushIndex(this.vendorsByCompany, v.company_id, v.id);
    this.bump('vendor', v.id);
  }
  /** Reverse index: vendorId → projects whose directory lists it. */
  vendorProjects = new Map<number, Set<number>>();
  addProjectVendor(projectId: number, vendorId: number): void {
    pushIndex(this.projectVendors, projectId, vendorId);
    pushIndex(this.vendorProjects, vendorId, projectId);
  }
  removeProjectVendor(projectId: number, vendorId: number): boolean {
    this.vendorProjects.get(vendorId)?.delete(projectId);
    return this.projectVendors.get(projectId)?.delete(vendorId) ?? false;
  }
  isProjectVendor(projectId: number, vendorId: number): boolean {
    return this.projectVendors.get(projectId)?.has(vendorId) ?? false;
  }

  addInsurance(i: Insurance): void {
    this.insurances.set(i.id, i);
    this.bump('insurance', i.id);
    this.indexInsurance(i);
  }
  private indexInsurance(i: Insurance): void {
    if (i.project_id === null) {
      pushIndex(this.insByCompanyVendor, `${i.company_id}:${i.vendor_id}`, i.id);
      pushIndex(this.insByCompany, i.company_id, i.id);
    } else {
      pushIndex(this.insByProject, i.project_id, i.id);
      pushIndex(this.insByProjectVendor, `${i.project_id}:${i.vendor_id}`, i.id);
    }
    if (i.origin_id) this.insByOrigin.set(this.insuranceOriginKey(i.company_id, i.project_id, i.origin_id), i.id);
  }
  private unindexInsurance(i: Insurance): void {
    if (i.project_id === null) {
      this.insByCompanyVendor.get(`${i.company_id}:${i.vendor_id}`)?.delete(i.id);
      this.insByCompany.get(i.company_id)?.delete(i.id);
    } else {
      this.insByProject.get(i.project_id)?.delete(i.id);
      this.insByProjectVendor.get(`${i.project_id}:${i.vendor_id}`)?.delete(i.id);
    }
    if (!i.origin_id) return;
    const key = this.insuranceOriginKey(i.company_id, i.project_id, i.origin_id);
    if (this.insByOrigin.get(key) === i.id) this.insByOrigin.delete(key);
  }
  /** Apply a patch, keeping indexes (vendor, origin_id) right. */
  updateInsurance(i: Insurance, patch: Partial<Insurance>): Insurance {
    this.unindexInsurance(i);
    Object.assign(i, patch, { updated_at: this.nowIso() });
    this.indexInsurance(i);
    return i;
  }
  deleteInsurance(i: Insurance): void {
    this.unindexInsurance(i);
    this.insurances.delete(i.id);
  }
  insuranceByOrigin(companyId: number, projectId: number | null, originId: string): Insurance | undefined {
    const id = this.insByOrigin.get(this.insuranceOriginKey(companyId, projectId, originId));
    return id === undefined ? undefined : this.insurances.get(id);
  }

  /** `${companyId}|${origin_id}` → commitment id (origin_id unique per company). */
  commitmentsByOrigin = new Map<string, number>();
  commitmentByOrigin(companyId: number, originId: string): Commitment | undefined {
    const id = this.commitmentsByOrigin.get(`${companyId}|${originId}`);
    return id === undefined ? undefined : this.commitments.get(id);
  }
  updateCommitment(c: Commitment, patch: Partial<Commitment>): Commitment {
    const key = `${c.company_id}|${c.origin_id}`;
    if (c.origin_id && this.commitmentsByOrigin.get(key) === c.id) this.commitmentsByOrigin.delete(key);
    Object.assign(c, patch, { updated_at: this.nowIso() });
    if (c.origin_id) this.commitmentsByOrigin.set(`${c.company_id}|${c.origin_id}`, c.id);
    return c;
  }
  addCommitment(c: Commitment): void {
    if (c.origin_id) this.commitmentsByOrigin.set(`${c.company_id}|${c.origin_id}`, c.id);
    this.commitments.set(c.id, c);
    pushIndex(this.commitmentsByProject, c.project_id, c.id);
    this.bump('commitment', c.id);
  }

  /** Resolve an index of ids to records (ids are inserted in ascending order). */
  pick<T>(map: Map<number, T>, ids: Iterable<number> | undefined): T[] {
    const out: T[] = [];
    if (!ids) return out;
    for (const id of ids) {
      const rec = map.get(id);
      if (rec) out.push(rec);
    }
    return out;
  }

  /** Plain-JSON snapshot for /_sandbox/state and tests. Secrets of tokens are included: it's a sandbox. */
  snapshot(): Record<string, unknown> {
    const arr = <T>(m: Map<unknown, T>) => [...m.values()];
    return {
      companies: arr(this.companies),
      users: arr(this.users).map((u) => ({ id: u.id, login: u.login, name: u.name, companies: Object.fromEntries(u.companies) })),
      apps: arr(this.apps).map((a) => ({
        clientId: a.clientId,
        name: a.name,
        redirectUris: a.redirectUris,
        serviceAccountUserId: a.serviceAccountUserId,
        installations: Object.fromEntries(a.installations),
      })),
      projects: arr(this.projects),
      vendors: arr(this.vendors),
      projectVendors: Object.fromEntries([...this.projectVendors].map(([p, s]) => [p, [...s]])),
      insurances: arr(this.insurances),
      commitments: arr(this.commitments),
      // The destination Authorization is a secret of the receiving app: masked like Procore does.
      hooks: arr(this.hooks).map((h) => ({
        ...h,
        destination_headers: Object.fromEntries(Object.entries(h.destination_headers).map(([k, v]) => [k, `…${v.slice(-5)}`])),
      })),
      triggers: arr(this.triggers),
      deliveries: arr(this.deliveries),
      tokens: arr(this.tokens).length,
    };
  }
}
