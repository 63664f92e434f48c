import type { SeedFixture } from './fixture';
import { readDmsaPermissions } from '../harness/manifest';
import type { Tool, ToolLevel, ToolPermissions } from '../state/types';

// The deterministic 'demo' seed documented in this package's README. Ids, names and
// timestamps are fixed so tests and demos can refer to them.

/**
 * The demo DMSA gets exactly what the product's manifest requests, as an admin accepting the app's
 * permission template would: read from procore-app/manifest.json at seed time (JSON only, never
 * the product's code), with Procore's 'readonly' spelled as the sandbox's 'read_only'.
 */
export function manifestPermissions(): ToolPermissions {
  const m = readDmsaPermissions();
  const levels = (tools: Record<string, string>) =>
    Object.fromEntries(Object.entries(tools).map(([tool, level]) => [tool, toolLevel(tool, level)])) as Partial<Record<Tool, ToolLevel>>;
  return { company: levels(m.company), project: levels(m.project) };
}

function toolLevel(tool: string, level: string): ToolLevel {
  const l = level === 'readonly' ? 'read_only' : level;
  if (l !== 'read_only' && l !== 'standard' && l !== 'admin') throw new Error(`manifest: unknown permission level ${level} for ${tool}`);
  return l;
}

export const DEMO_REDIRECT_URIS = ['localhost', '127.0.0.1'].flatMap((host) =>
  ['/auth/procore/callback', '/api/panel/auth/procore/callback', '/api/admin/auth/procore/callback'].map(
    (path) => `http://${host}:3000${path}`,
  ),
);

const T0 = '2026-01-05T15:00:00Z';
const T1 = '2026-02-10T09:30:00Z';
const T2 = '2026-03-20T17:45:00Z';

const ACME_VENDORS = [
  ['Bright Electric LLC', 'Electrical'],
  ['Summit Concrete Inc.', 'Concrete'],
  ['Harbor Steel Supply', 'Structural Steel'],
  ['Greenline Plumbing', 'Plumbing'],
  ['Peak Roofing Co.', 'Roofing'],
  ['Cascade HVAC Services', 'HVAC'],
  ['Northwind Glass & Glazing', 'Glazing'],
  ['Redwood Drywall Partners', 'Drywall'],
] as const;

export function demoFixture(): SeedFixture {
  // a fresh copy per installation: a test that changes one installation's grants changes only that one
  const DMSA_PERMISSIONS = manifestPermissions;
  // the same app without the Commitments tool: the product's "commitments off" path
  const NO_COMMITMENTS = (): ToolPermissions => {
    const p = manifestPermissions();
    return { ...p, project: { ...p.project, commitments: 'none' } };
  };
  return {
    companies: [
      { id: 1001, name: 'Acme Builders', my_company: true },
      { id: 2002, name: 'Other GC' },
    ],
    users: [
      { id: 101, login: 'pat@acme.test', name: 'Pat Admin', companies: [{ companyId: 1001, projectIds: 'all' }] },
      { id: 102, login: 'sam@acme.test', name: 'Sam Field', companies: [{ companyId: 1001, projectIds: [5001] }] },
      { id: 103, login: 'olga@other.test', name: 'Olga Other', companies: [{ companyId: 2002, projectIds: 'all' }] },
    ],
    apps: [
      {
        clientId: 'demo-dmsa-client',
        clientSecret: 'demo-dmsa-secret',
        name: 'myCOI DMSA (demo)',
        serviceAccountUserId: 9001,
        installations: [{ companyId: 1001, permittedProjectIds: 'all', permissions: DMSA_PERMISSIONS() }],
      },
      {
        clientId: 'demo-nocommit-client',
        clientSecret: 'demo-nocommit-secret',
        name: 'No-commitments app (demo)',
        serviceAccountUserId: 9002,
        installations: [{ companyId: 1001, permittedProjectIds: 'all', permissions: NO_COMMITMENTS() }],
      },
      {
        clientId: 'demo-panel-client',
        clientSecret: 'demo-panel-secret',
        name: 'myCOI Side Panel (demo)',
        serviceAccountUserId: 9003,
        // Registered like a Developer Portal app would be: the demo API's callbacks on port 3000.
        redirectUris: DEMO_REDIRECT_URIS,
        installations: [
          { companyId: 1001, permittedProjectIds: 'all', permissions: DMSA_PERMISSIONS() },
          { companyId: 2002, permittedProjectIds: 'all', permissions: DMSA_PERMISSIONS() },
        ],
      },
    ],
    projects: [
      {
        id: 5001,
        company_id: 1001,
        name: 'Riverside Medical Center',
        project_number: 'P-1001',
        address: '100 River Rd',
        city: 'Sacramento',
        state_code: 'CA',
        zip: '95814',
        created_at: T0,
        updated_at: T1,
      },
      {
        id: 5002,
        company_id: 1001,
        name: 'Oak Street Apartments',
        project_number: 'P-1002',
        address: '22 Oak St',
        city: 'Oakland',
        state_code: 'CA',
        zip: '94607',
        created_at: T0,
        updated_at: T2,
      },
      {
        id: 5003,
        company_id: 1001,
        name: 'Harbor Warehouse',
        project_number: 'P-1003',
        address: '9 Dock Way',
        city: 'Long Beach',
        state_code: 'CA',
        zip: '90802',
        created_at: T1,
        updated_at: T1,
      },
      { id: 5004, company_id: 1001, name: 'Old Mill Renovation', project_number: 'P-0999', active: false, created_at: T0, updated_at: T0 },
      {
        id: 5101,
        company_id: 2002,
        name: 'Other GC Tower',
        project_number: 'OG-1',
        city: 'Reno',
        state_code: 'NV',
        created_at: T0,
        updated_at: T0,
      },
    ],
    vendors: [
      ...ACME_VENDORS.map(([name, trade], i) => ({
        id: 70001 + i,
        company_id: 1001,
        name,
        trade_name: name,
        legal_name: name,
        abbreviated_name: trade.slice(0, 4).toUpperCase(),
        city: 'Sacramento',
        state_code: 'CA',
        zip: '95814',
        business_phone: `(916) 555-01${String(i).padStart(2, '0')}`,
        email_address: `office@${name.split(' ')[0]!.toLowerCase()}.test`,
        notes: trade,
        created_at: T0,
        updated_at: i % 2 === 0 ? T1 : T2,
      })),
      { id: 70101, company_id: 2002, name: 'Desert Electric', created_at: T0, updated_at: T0 },
      { id: 70102, company_id: 2002, name: 'Sierra Framing', created_at: T0, updated_at: T0 },
    ],
    projectVendors: [
      { projectId: 5001, vendorIds: [70001, 70002, 70003, 70004] },
      { projectId: 5002, vendorIds: [70001, 70005, 70006] },
      { projectId: 5003, vendorIds: [70007, 70008] },
      { projectId: 5101, vendorIds: [70101, 70102] },
    ],
    // Entered by hand in Procore (no origin_id): an integration must never touch these.
    insurances: [
      {
        id: 300001,
        company_id: 1001,
        vendor_id: 70001,
        insurance_type: 'General Liability',
        insurance_provider: 'Travelers',
        policy_number: 'GL-7788',
        limit: '1000000.0',
        effective_date: '2026-01-01',
        expiration_date: '2027-01-01',
        status: 'compliant',
        notes: 'Entered by hand',
        created_at: T0,
        updated_at: T0,
      },
      {
        id: 300002,
        company_id: 1001,
        vendor_id: 70001,
        insurance_type: "Worker's Compensation",
        insurance_provider: 'State Fund',
        policy_number: 'WC-1122',
        limit: '500000.0',
        effective_date: '2026-01-01',
        expiration_date: '2027-01-01',
        status: 'compliant',
        created_at: T0,
        updated_at: T0,
      },
      {
        id: 300003,
        company_id: 1001,
        vendor_id: 70002,
        insurance_type: 'General Liability',
        insurance_provider: 'Hartford',
        policy_number: 'GL-0001',
        limit: '2000000.0',
        effective_date: '2025-01-01',
        expiration_date: '2026-01-01',
        status: 'expired',
        created_at: T0,
        updated_at: T0,
      },
      {
        id: 300004,
        company_id: 1001,
        vendor_id: 70001,
        project_id: 5001,
        insurance_type: "Builder's Risk",
        insurance_provider: 'Chubb',
        policy_number: 'BR-55',
        limit: '5000000.0',
        effective_date: '2026-01-01',
        expiration_date: '2026-12-31',
        status: 'compliant_in_progress',
        created_at: T0,
        updated_at: T0,
      },
    ],
    commitments: [
      {
        id: 900001,
        type: 'WorkOrderContract',
        company_id: 1001,
        project_id: 5001,
        vendor_id: 70001,
        number: 'SC-001',
        title: 'Electrical',
        status: 'Approved',
        executed: true,
        grand_total: '450000.0',
        contract_date: '2026-01-10',
        created_at: T0,
        updated_at: T1,
      },
      {
        id: 900002,
        type: 'WorkOrderContract',
        company_id: 1001,
        project_id: 5001,
        vendor_id: 70002,
        number: 'SC-002',
        title: 'Concrete',
        status: 'Draft',
        grand_total: '820000.0',
        created_at: T1,
        updated_at: T1,
      },
      {
        id: 900003,
        type: 'PurchaseOrderContract',
        company_id: 1001,
        project_id: 5001,
        vendor_id: 70003,
        number: 'PO-001',
        title: 'Rebar',
        status: 'Approved',
        executed: true,
        grand_total: '120000.0',
        delivery_date: '2026-04-01',
        created_at: T0,
        updated_at: T2,
      },
      {
        id: 900004,
        type: 'PurchaseOrderContract',
        company_id: 1001,
        project_id: 5001,
        vendor_id: 70004,
        number: 'PO-002',
        title: 'Fixtures',
        status: 'Processing',
        grand_total: '45000.0',
        created_at: T1,
        updated_at: T1,
      },
      {
        id: 900005,
        type: 'WorkOrderContract',
        company_id: 1001,
        project_id: 5002,
        vendor_id: 70005,
        number: 'SC-101',
        title: 'Roofing',
        status: 'Out For Signature',
        grand_total: '230000.0',
        created_at: T1,
        updated_at: T2,
      },
      {
        id: 900006,
        type: 'WorkOrderContract',
        company_id: 1001,
        project_id: 5002,
        vendor_id: 70001,
        number: 'SC-102',
        title: 'Electrical',
        status: 'Approved',
        executed: true,
        grand_total: '310000.0',
        created_at: T1,
        updated_at: T2,
      },
      {
        id: 900007,
        type: 'PurchaseOrderContract',
        company_id: 1001,
        project_id: 5002,
        vendor_id: 70006,
        number: 'PO-101',
        title: 'Rooftop units',
        status: 'Submitted',
        grand_total: '98000.0',
        created_at: T2,
        updated_at: T2,
      },
      {
        id: 900008,
        type: 'WorkOrderContract',
        company_id: 1001,
        project_id: 5003,
        vendor_id: 70007,
        number: 'SC-201',
        title: 'Storefront glazing',
        status: 'Complete',
        executed: true,
        grand_total: '150000.0',
        created_at: T0,
        updated_at: T1,
      },
      {
        id: 900009,
        type: 'PurchaseOrderContract',
        company_id: 1001,
        project_id: 5003,
        vendor_id: 70008,
        number: 'PO-201',
        title: 'Drywall board',
        status: 'Draft',
        grand_total: '30000.0',
        created_at: T2,
        updated_at: T2,
      },
      {
        id: 900101,
        type: 'WorkOrderContract',
        company_id: 2002,
        project_id: 5101,
        vendor_id: 70101,
        number: 'SC-1',
        title: 'Electrical',
        status: 'Approved',
        executed: true,
        grand_total: '99000.0',
        created_at: T0,
        updated_at: T0,
      },
    ],
  };
}
