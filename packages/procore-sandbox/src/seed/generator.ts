import type { Store } from '../state/store';
import { isoSeconds } from '../state/store';
import { INSURANCE_STATUSES, PO_STATUSES, WOC_STATUSES } from '../state/types';
import { makeCommitment, makeCompany, makeInsurance, makeProject, makeVendor } from './factories';
import { DEMO_REDIRECT_URIS } from './demo';
import { loadFixture } from './fixture';
import { manifestPermissions } from './demo';

/** Generated seed for benchmarks and scale tests. Deterministic for a given `seed`. */
export interface GeneratorOptions {
  /** A number (a fixture has an array here): how many companies to generate. */
  companies?: number;
  projectsPerCompany?: number;
  /** Company Directory vendors per company. */
  vendors?: number;
  /** Project Directory members per project (drawn from the company's vendors). */
  vendorsPerProject?: number;
  commitmentsPerProject?: number;
  /** Hand-entered company-level insurances per vendor. */
  insurancesPerVendor?: number;
  seed?: number;
  /**
   * Per-company sizes (multi-tenant benchmarks): company i gets sizes[i] instead of the uniform
   * numbers above; `companies` then defaults to sizes.length.
   */
  sizes?: CompanySize[];
  /**
   * Each company also gets its own DMSA app, `dmsa-<companyId>` / `dmsa-<companyId>-secret`,
   * installed only there: its own token, so its own rate budget, as separate customers have.
   */
  dmsaPerCompany?: boolean;
}

export interface CompanySize {
  vendors: number;
  projects: number;
  vendorsPerProject?: number;
  commitmentsPerProject?: number;
}

/** The client id and secret of a company's own DMSA app (`dmsaPerCompany`). */
export function companyDmsa(companyId: number): { clientId: string; clientSecret: string } {
  return { clientId: `dmsa-${companyId}`, clientSecret: `dmsa-${companyId}-secret` };
}

// mulberry32: tiny, fast, deterministic.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'Summit',
  'Harbor',
  'Granite',
  'Cedar',
  'Pioneer',
  'Atlas',
  'Beacon',
  'Keystone',
  'Frontier',
  'Liberty',
  'Evergreen',
  'Ironwood',
];
const TRADES = [
  'Electric',
  'Concrete',
  'Plumbing',
  'Roofing',
  'HVAC',
  'Steel',
  'Glazing',
  'Drywall',
  'Paving',
  'Masonry',
  'Painting',
  'Landscaping',
];
const SUFFIX = ['LLC', 'Inc.', 'Co.', 'Partners', 'Group', 'Services'];
const COVERAGES = [
  'General Liability',
  "Worker's Compensation",
  'Automobile Liability',
  'Umbrella/Excess Liability',
  'Professional Liability',
];
const STATES = ['CA', 'NV', 'OR', 'WA', 'AZ', 'TX'];

export function generateSeed(s: Store, o: GeneratorOptions): void {
  const r = rng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const nCompanies = o.companies ?? o.sizes?.length ?? 1;
  const sizeOf = (c: number) => {
    const s = o.sizes?.[c];
    const vendors = s?.vendors ?? o.vendors ?? 100;
    return {
      nVendors: vendors,
      nProjects: s?.projects ?? o.projectsPerCompany ?? 10,
      perProject: Math.min(s?.vendorsPerProject ?? o.vendorsPerProject ?? 20, vendors),
      nCommitments: s?.commitmentsPerProject ?? o.commitmentsPerProject ?? 5,
    };
  };
  const nIns = o.insurancesPerVendor ?? 1;
  const base = Date.UTC(2025, 0, 1);
  const stamp = () => isoSeconds(base + Math.floor(r() * 365 * 86_400_000));

  const companyIds: number[] = [];
  for (let c = 0; c < nCompanies; c++) {
    const company = makeCompany(s, { id: 1001 + c, name: `${pick(WORDS)} Builders ${c + 1}` });
    s.addCompany(company);
    companyIds.push(company.id);
  }
  // the product's DMSA holds exactly what its manifest requests, in benchmarks as in the demo
  const install = (companyId: number) => ({ companyId, permittedProjectIds: 'all' as const, permissions: manifestPermissions() });
  loadFixture(s, {
    companies: [],
    users: companyIds.map((id, i) => ({
      id: 101 + i,
      login: i === 0 ? 'pat@acme.test' : `admin@company${id}.test`,
      companies: [{ companyId: id }],
    })),
    apps: [
      {
        clientId: 'demo-dmsa-client',
        clientSecret: 'demo-dmsa-secret',
        serviceAccountUserId: 9001,
        installations: companyIds.map(install),
      },
      {
        clientId: 'demo-panel-client',
        clientSecret: 'demo-panel-secret',
        serviceAccountUserId: 9003,
        redirectUris: DEMO_REDIRECT_URIS,
        installations: companyIds.map(install),
      },
      ...(o.dmsaPerCompany
        ? companyIds.map((id, i) => ({ ...companyDmsa(id), serviceAccountUserId: 20_001 + i, installations: [install(id)] }))
        : []),
    ],
  });

  for (const [c, companyId] of companyIds.entries()) {
    const { nVendors, nProjects, perProject, nCommitments } = sizeOf(c);
    const vendorIds: number[] = [];
    for (let v = 0; v < nVendors; v++) {
      const name = `${pick(WORDS)} ${pick(TRADES)} ${pick(SUFFIX)} #${v + 1}`;
      const created = stamp();
      const vendor = makeVendor(s, {
        company_id: companyId,
        name,
        legal_name: name,
        city: 'Springfield',
        state_code: pick(STATES),
        email_address: `office${v + 1}@vendor${companyId}.test`,
        created_at: created,
        updated_at: created,
      });
      s.addVendor(vendor);
      vendorIds.push(vendor.id);
      for (let i = 0; i < nIns; i++) {
        const year = 2025 + Math.floor(r() * 2);
        s.addInsurance(
          makeInsurance(s, {
            company_id: companyId,
            vendor_id: vendor.id,
            insurance_type: COVERAGES[i % COVERAGES.length]!,
            insurance_provider: `${pick(WORDS)} Mutual`,
            policy_number: `POL-${vendor.id}-${i}`,
            limit: '1000000.0',
            effective_date: `${year}-01-01`,
            expiration_date: `${year + 1}-01-01`,
            status: pick(INSURANCE_STATUSES),
          }),
        );
      }
    }
    for (let p = 0; p < nProjects; p++) {
      const created = stamp();
      const project = makeProject(s, {
        company_id: companyId,
        name: `${pick(WORDS)} ${pick(['Tower', 'Plaza', 'School', 'Hospital', 'Depot'])} ${p + 1}`,
        project_number: `P-${companyId}-${p + 1}`,
        state_code: pick(STATES),
        active: r() > 0.1,
        created_at: created,
        updated_at: created,
      });
      s.addProject(project);
      const start = Math.floor(r() * nVendors);
      const members: number[] = [];
      for (let k = 0; k < perProject; k++) members.push(vendorIds[(start + k) % nVendors]!);
      for (const v of members) s.addProjectVendor(project.id, v);
      for (let k = 0; k < nCommitments; k++) {
        const type = r() < 0.7 ? 'WorkOrderContract' : 'PurchaseOrderContract';
        const statuses = type === 'WorkOrderContract' ? WOC_STATUSES : PO_STATUSES;
        // Weighted toward Approved, the status the upkeep job cares about.
        const status = r() < 0.5 ? 'Approved' : pick(statuses);
        const ts = stamp();
        s.addCommitment(
          makeCommitment(s, {
            type,
            company_id: companyId,
            project_id: project.id,
            vendor_id: members.length ? members[k % members.length]! : null,
            number: `${type === 'WorkOrderContract' ? 'SC' : 'PO'}-${String(k + 1).padStart(3, '0')}`,
            title: `${pick(TRADES)} package ${k + 1}`,
            status,
            executed: status === 'Approved',
            grand_total: `${Math.floor(r() * 900_000) + 10_000}.0`,
            created_at: ts,
            updated_at: ts,
          }),
        );
      }
    }
  }
}
