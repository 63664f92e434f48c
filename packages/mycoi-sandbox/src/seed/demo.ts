import { addDays } from '../compliance-model';
import type { SandboxStore } from '../store';
import type { CoverageType, InsuranceSet } from '../types';
import { deficiency, line, requirement } from './lines';

// The deterministic 'demo' fixture. It lines up with the Procore sandbox's demo company 1001
// "Acme Builders": division external_id = Procore project id (5001, 5002), vendor external_id =
// Procore vendor id (70001..70005), assignment external_id = Procore commitment id (900001...).
// Procore vendors 70006..70008 and project 5003 are deliberately absent (the upkeep and the side
// panel create them); "Cascade HVAC Services" exists in myCOI without external_id (link, don't
// duplicate). Timestamps are fixed offsets before `asOf`, so the fixture is identical for one asOf.

const ACME = 'acct-acme';
const OTHER = 'acct-other';

function at(asOf: string, daysBefore: number, hour = 15): string {
  return `${addDays(asOf, -daysBefore)}T${String(hour).padStart(2, '0')}:00:00.000Z`;
}

function set(
  accountId: string,
  id: string,
  name: string,
  description: string | null,
  types: Array<[CoverageType, number?]>,
  ts: string,
): InsuranceSet {
  return {
    id,
    account_id: accountId,
    name,
    description,
    created_at: ts,
    updated_at: ts,
    requirements: types.map(([t, scale]) => {
      const r = requirement(t);
      return scale ? { ...r, minimum_limits: r.minimum_limits.map((l) => ({ ...l, amount: l.amount * scale })) } : r;
    }),
  };
}

export function seedDemo(store: SandboxStore, asOf: string): void {
  const t0 = at(asOf, 300);
  store.addAccount({ id: ACME, name: 'Acme Builders' }, { clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' });
  store.addAccount({ id: OTHER, name: 'Other GC' }, { clientId: 'other-mycoi-client', clientSecret: 'other-mycoi-secret' });
  store.addUser({ id: 'usr_risk', email: 'risk@acme.test', password: 'password', name: 'Riley Risk', account_id: ACME, role: 'admin' });
  store.addUser({ id: 'usr_pm', email: 'pm@acme.test', password: 'password', name: 'Morgan PM', account_id: ACME, role: 'manager' });
  store.addUser({
    id: 'usr_viewer',
    email: 'viewer@acme.test',
    password: 'password',
    name: 'Val Viewer',
    account_id: ACME,
    role: 'viewer',
  });
  store.addUser({ id: 'usr_eve', email: 'eve@other.test', password: 'password', name: 'Eve Other', account_id: OTHER, role: 'admin' });

  store.addInsuranceSet(
    set(
      ACME,
      'set_acme_std',
      'Standard Subcontractor',
      'GL, auto, umbrella and WC for trade subcontractors',
      [['general_liability'], ['automobile_liability'], ['umbrella_liability'], ['workers_compensation']],
      t0,
    ),
  );
  store.addInsuranceSet(
    set(ACME, 'set_acme_sup', 'Supplier', 'Material suppliers: GL and auto only', [['general_liability'], ['automobile_liability']], t0),
  );
  store.addInsuranceSet(
    set(
      ACME,
      'set_acme_high',
      'High Hazard Subcontractor',
      'Roofing, steel, electrical on occupied sites',
      [['general_liability', 2], ['automobile_liability'], ['umbrella_liability', 2], ['workers_compensation'], ['pollution_liability']],
      t0,
    ),
  );
  store.addInsuranceSet(set(OTHER, 'set_other_std', 'Standard', null, [['general_liability'], ['workers_compensation']], t0));

  const t1 = at(asOf, 250);
  store.addDivision(
    ACME,
    {
      id: 'div_acme_riverside',
      name: 'Riverside Medical Center',
      code: 'P-1001',
      external_id: '5001',
      address: { line1: '100 River Rd', city: 'Sacramento', state: 'CA', postal_code: '95814', country: 'US' },
    },
    t1,
  );
  store.addDivision(
    ACME,
    {
      id: 'div_acme_oak',
      name: 'Oak Street Apartments',
      code: 'P-1002',
      external_id: '5002',
      address: { line1: '22 Oak St', city: 'Oakland', state: 'CA', postal_code: '94607', country: 'US' },
    },
    t1,
  );
  store.addDivision(ACME, { id: 'div_acme_corporate', name: 'Corporate Office', code: 'HQ', external_id: null, address: null }, t1);
  store.addDivision(OTHER, { id: 'div_other_tower', name: 'Other GC Tower', code: 'OG-1', external_id: '5101' }, t1);

  const contacts = (slug: string, name: string) => [
    { name: `${name} Office`, email: `office@${slug}.test`, phone: '(916) 555-0100', kind: 'primary' as const },
    { name: 'Agent of record', email: `agent@${slug}-insurance.test`, phone: null, kind: 'insurance_agent' as const },
  ];
  const reviewed = at(asOf, 20, 10);
  const notice = (
    id: string,
    kind: 'certificate_request' | 'renewal_request' | 'non_compliance_notice' | 'expiration_notice',
    slug: string,
    days: number,
  ) => ({
    id,
    kind,
    recipient_role: kind === 'certificate_request' ? ('vendor' as const) : ('agent' as const),
    recipient_email: kind === 'certificate_request' ? `office@${slug}.test` : `agent@${slug}-insurance.test`,
    sent_at: at(asOf, days, 9),
  });
  const std: CoverageType[] = ['general_liability', 'automobile_liability', 'umbrella_liability', 'workers_compensation'];

  // Vendors, each with its vendor-level compliance.
  const t2 = at(asOf, 200);
  const brightLines = std.map((type, i) => line('ven_acme_bright', i, asOf, { type }));
  store.addVendor(
    ACME,
    {
      id: 'ven_acme_bright',
      name: 'Bright Electric LLC',
      tax_id: '94-1000001',
      external_id: '70001',
      registered: true,
      contacts: contacts('bright', 'Bright Electric'),
      address: { city: 'Sacramento', state: 'CA', postal_code: '95814', country: 'US' },
    },
    t2,
    {
      status: 'finalized_compliant',
      coverage_lines: brightLines,
      last_reviewed_at: reviewed,
      notices: [notice('ntc_bright_1', 'certificate_request', 'bright', 190)],
    },
  );

  const summitLines = [
    line('ven_acme_summit', 0, asOf, {
      type: 'general_liability',
      status: 'non_compliant',
      limits: [
        { kind: 'each_occurrence', amount: 500_000 },
        { kind: 'general_aggregate', amount: 1_000_000 },
      ],
    }),
    line('ven_acme_summit', 1, asOf, { type: 'automobile_liability' }),
    line('ven_acme_summit', 2, asOf, { type: 'workers_compensation' }),
  ];
  store.addVendor(
    ACME,
    {
      id: 'ven_acme_summit',
      name: 'Summit Concrete Inc.',
      tax_id: '94-1000002',
      external_id: '70002',
      registered: true,
      contacts: contacts('summit', 'Summit Concrete'),
    },
    t2,
    {
      status: 'finalized_non_compliant',
      coverage_lines: summitLines,
      last_reviewed_at: reviewed,
      deficiencies: [
        deficiency(
          'def_summit_1',
          summitLines[0]!,
          'General Liability each occurrence $1,000,000',
          'Each occurrence limit is $500,000',
          reviewed,
        ),
        deficiency('def_summit_2', null, 'Umbrella Liability $5,000,000', 'No umbrella policy on the certificate', reviewed),
        deficiency('def_summit_3', summitLines[0]!, 'Additional insured endorsement (CG 20 10)', 'Endorsement not provided', reviewed),
      ],
      notices: [
        notice('ntc_summit_1', 'certificate_request', 'summit', 190),
        notice('ntc_summit_2', 'non_compliance_notice', 'summit', 19),
      ],
    },
  );

  store.addVendor(
    ACME,
    {
      id: 'ven_acme_harbor',
      name: 'Harbor Steel Supply',
      tax_id: '94-1000003',
      external_id: '70003',
      registered: true,
      contacts: contacts('harbor', 'Harbor Steel'),
    },
    t2,
    {
      status: 'in_progress_undecided',
      coverage_lines: [
        line('ven_acme_harbor', 0, asOf, { type: 'general_liability', status: 'pending_review', effectiveOffsetDays: -5 }),
        line('ven_acme_harbor', 1, asOf, { type: 'automobile_liability', status: 'pending_review', effectiveOffsetDays: -5 }),
      ],
      notices: [notice('ntc_harbor_1', 'certificate_request', 'harbor', 12)],
    },
  );

  const greenLines = [
    line('ven_acme_greenline', 0, asOf, { type: 'general_liability', status: 'expired', effectiveOffsetDays: -400 }),
    line('ven_acme_greenline', 1, asOf, { type: 'automobile_liability' }),
    line('ven_acme_greenline', 2, asOf, { type: 'workers_compensation' }),
  ];
  store.addVendor(
    ACME,
    {
      id: 'ven_acme_greenline',
      name: 'Greenline Plumbing',
      tax_id: '94-1000004',
      external_id: '70004',
      registered: true,
      contacts: contacts('greenline', 'Greenline Plumbing'),
    },
    t2,
    {
      status: 'expired',
      coverage_lines: greenLines,
      last_reviewed_at: at(asOf, 200),
      deficiencies: [
        deficiency(
          'def_green_1',
          greenLines[0]!,
          'General Liability in force',
          `Policy expired ${greenLines[0]!.expiration_date}`,
          at(asOf, 34),
        ),
      ],
      notices: [notice('ntc_green_1', 'renewal_request', 'greenline', 65), notice('ntc_green_2', 'expiration_notice', 'greenline', 34)],
    },
  );

  store.addVendor(
    ACME,
    {
      id: 'ven_acme_peak',
      name: 'Peak Roofing Co.',
      tax_id: null,
      external_id: '70005',
      registered: false,
      contacts: [{ name: 'Peak Roofing', email: 'office@peak.test', phone: null, kind: 'primary' }],
    },
    t2,
    {
      status: 'unregistered',
      notices: [notice('ntc_peak_1', 'certificate_request', 'peak', 40)],
    },
  );

  store.addVendor(
    ACME,
    {
      id: 'ven_acme_cascade',
      name: 'Cascade HVAC Services',
      tax_id: '94-1000006',
      external_id: null,
      registered: true,
      contacts: contacts('cascade', 'Cascade HVAC'),
    },
    t2,
    {
      status: 'in_progress_compliant',
      coverage_lines: std.map((type, i) => line('ven_acme_cascade', i, asOf, { type })),
      last_reviewed_at: reviewed,
    },
  );

  store.addVendor(
    OTHER,
    {
      id: 'ven_other_desert',
      name: 'Desert Electric',
      tax_id: '88-2000001',
      external_id: '70101',
      registered: true,
      contacts: contacts('desert', 'Desert Electric'),
    },
    t2,
    {
      status: 'finalized_compliant',
      coverage_lines: [line('ven_other_desert', 0, asOf, { type: 'general_liability' })],
      last_reviewed_at: reviewed,
    },
  );

  // Assignments (vendor × division × insurance set), each with its assignment-level compliance.
  const t3 = at(asOf, 150);
  const linesFor = (owner: string, types: CoverageType[]) => types.map((type, i) => line(owner, i, asOf, { type }));
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0001',
      vendor_id: 'ven_acme_bright',
      division_id: 'div_acme_riverside',
      insurance_set_id: 'set_acme_std',
      contract_id: 'SC-001',
      external_id: '900001',
      title: 'Electrical',
      amount: 450000,
    },
    t3,
    { status: 'finalized_compliant', coverage_lines: linesFor('asg_acme_0001', std), last_reviewed_at: reviewed },
  );
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0002',
      vendor_id: 'ven_acme_harbor',
      division_id: 'div_acme_riverside',
      insurance_set_id: 'set_acme_sup',
      contract_id: 'PO-001',
      external_id: '900003',
      title: 'Rebar',
      amount: 120000,
    },
    t3,
    {
      status: 'in_progress_undecided',
      coverage_lines: [line('asg_acme_0002', 0, asOf, { type: 'general_liability', status: 'pending_review' })],
    },
  );
  const greenAsg = linesFor('asg_acme_0003', std).map((l, i) =>
    i === 0 ? { ...l, status: 'expired' as const, effective_date: addDays(asOf, -400), expiration_date: addDays(asOf, -35) } : l,
  );
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0003',
      vendor_id: 'ven_acme_greenline',
      division_id: 'div_acme_riverside',
      insurance_set_id: 'set_acme_std',
      contract_id: 'PO-002',
      external_id: '900004',
      title: 'Fixtures',
      amount: 45000,
    },
    t3,
    {
      status: 'expired',
      coverage_lines: greenAsg,
      deficiencies: [
        deficiency('def_asg3_1', greenAsg[0]!, 'General Liability in force', 'Policy expired; renewal certificate requested', at(asOf, 34)),
      ],
    },
  );
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0004',
      vendor_id: 'ven_acme_peak',
      division_id: 'div_acme_oak',
      insurance_set_id: 'set_acme_std',
      contract_id: 'SC-101',
      external_id: '900005',
      title: 'Roofing',
      amount: 230000,
    },
    t3,
    { status: 'unregistered' },
  );
  const brightHigh = [
    ...linesFor('asg_acme_0005', std),
    line('asg_acme_0005', 4, asOf, { type: 'pollution_liability', status: 'missing', limits: [] }),
  ];
  brightHigh[2] = { ...brightHigh[2]!, status: 'non_compliant' };
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0005',
      vendor_id: 'ven_acme_bright',
      division_id: 'div_acme_oak',
      insurance_set_id: 'set_acme_high',
      contract_id: 'SC-102',
      external_id: '900006',
      title: 'Electrical',
      amount: 310000,
    },
    t3,
    {
      status: 'in_progress_non_compliant',
      coverage_lines: brightHigh,
      last_reviewed_at: reviewed,
      deficiencies: [
        deficiency('def_asg5_1', brightHigh[2]!, 'Umbrella Liability $10,000,000', 'Umbrella limit is $5,000,000', reviewed),
        deficiency('def_asg5_2', brightHigh[4]!, 'Pollution Liability $2,000,000', 'No pollution liability policy', reviewed),
      ],
      notices: [notice('ntc_asg5_1', 'non_compliance_notice', 'bright', 19)],
    },
  );
  store.addAssignment(
    ACME,
    {
      id: 'asg_acme_0006',
      vendor_id: 'ven_acme_cascade',
      division_id: 'div_acme_corporate',
      insurance_set_id: 'set_acme_std',
      contract_id: 'HQ-HVAC-1',
      external_id: null,
      title: 'HVAC maintenance',
      amount: 60000,
    },
    t3,
    { status: 'finalized_compliant', coverage_lines: linesFor('asg_acme_0006', std), last_reviewed_at: reviewed },
  );
  store.addAssignment(
    OTHER,
    {
      id: 'asg_other_0001',
      vendor_id: 'ven_other_desert',
      division_id: 'div_other_tower',
      insurance_set_id: 'set_other_std',
      contract_id: 'SC-1',
      external_id: '900101',
      title: 'Electrical',
      amount: 99000,
    },
    t3,
    {
      status: 'finalized_compliant',
      coverage_lines: linesFor('asg_other_0001', ['general_liability', 'workers_compensation']),
      last_reviewed_at: reviewed,
    },
  );
}
