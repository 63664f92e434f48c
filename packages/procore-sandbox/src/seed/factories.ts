import type { Store } from '../state/store';
import type { Commitment, Company, Insurance, Project, Vendor } from '../state/types';

// Defaults for every stored field, so seeds, generators and create endpoints all produce complete
// records. Callers pass only what they care about.

export function makeCompany(s: Store, p: Partial<Company> & { name: string }): Company {
  return {
    id: p.id ?? s.nextId('company', 1001),
    is_active: true,
    logo_url: null,
    pcn_business_experience: false,
    my_company: false,
    ...p,
  };
}

export function makeProject(s: Store, p: Partial<Project> & { company_id: number; name: string }): Project {
  const now = s.nowIso();
  return {
    id: p.id ?? s.nextId('project', 5001),
    display_name: p.display_name ?? (p.project_number ? `${p.project_number} - ${p.name}` : p.name),
    project_number: null,
    address: null,
    city: null,
    state_code: null,
    country_code: 'US',
    zip: null,
    county: null,
    time_zone: 'US/Pacific',
    latitude: null,
    longitude: null,
    stage: 'Course of Construction',
    phone: null,
    active: true,
    is_demo: false,
    origin_id: null,
    origin_data: null,
    origin_code: null,
    start_date: null,
    completion_date: null,
    total_value: null,
    created_at: now,
    updated_at: now,
    ...p,
  };
}

export const BIDDING_FLAGS = [
  'affirmative_action',
  'small_business',
  'african_american_business',
  'hispanic_business',
  'womens_business',
  'historically_underutilized_business',
  'sdvo_business',
  'certified_business_enterprise',
  'asian_american_business',
  'native_american_business',
  'disadvantaged_business',
  'minority_business_enterprise',
  'eight_a_business',
] as const;

export function makeVendor(s: Store, p: Partial<Vendor> & { company_id: number; name: string }): Vendor {
  const now = s.nowIso();
  return {
    id: p.id ?? s.nextId('vendor', 70001),
    abbreviated_name: null,
    trade_name: null,
    legal_name: null,
    address: null,
    city: null,
    state_code: null,
    zip: null,
    country_code: 'US',
    business_phone: null,
    mobile_phone: null,
    fax_number: null,
    email_address: null,
    website: null,
    is_active: true,
    authorized_bidder: false,
    prequalified: false,
    labor_union: null,
    license_number: null,
    union_member: false,
    non_union_prevailing_wage: false,
    notes: null,
    origin_id: null,
    origin_data: null,
    origin_code: null,
    parent_id: null,
    vendor_group_id: null,
    primary_contact_id: null,
    trade_ids: [],
    bidding: Object.fromEntries(BIDDING_FLAGS.map((f) => [f, false])),
    created_at: now,
    updated_at: now,
    ...p,
  };
}

export function makeInsurance(s: Store, p: Partial<Insurance> & { company_id: number; vendor_id: number }): Insurance {
  const now = s.nowIso();
  return {
    id: p.id ?? s.nextId('insurance', 300001),
    project_id: null,
    insurance_type: null,
    insurance_provider: null,
    policy_number: null,
    limit: null,
    effective_date: null,
    expiration_date: null,
    status: null,
    exempt: false,
    info_received: false,
    // Procore's documented default for this flag is true.
    enable_expired_insurance_notifications: true,
    notes: null,
    additional_insured: null,
    division_template: null,
    insurance_sets: null,
    origin_id: null,
    origin_data: null,
    created_at: now,
    updated_at: now,
    ...p,
  };
}

export function makeCommitment(
  s: Store,
  p: Partial<Commitment> & { type: Commitment['type']; company_id: number; project_id: number },
): Commitment {
  const now = s.nowIso();
  const id = p.id ?? s.nextId('commitment', 900001);
  return {
    id,
    vendor_id: null,
    number: String(id),
    title: p.type === 'WorkOrderContract' ? 'Subcontract' : 'Purchase Order',
    status: 'Draft',
    executed: false,
    private: false,
    description: null,
    grand_total: '0.0',
    retainage_percent: '10.0',
    contract_date: null,
    delivery_date: null,
    origin_id: null,
    origin_data: null,
    origin_code: null,
    created_by_id: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    compliance: {
      updated_at: now,
      updated_by_id: null,
      compliance_status: null,
      compliance_notes: null,
      insurance_status: null,
      insurance_notes: null,
    },
    ...p,
  };
}
