import type { Store } from '../state/store';
import type { Vendor } from '../state/types';

// Vendor list/show schemas are lost in the endpoint JSON (oneOf); the field lists follow
// Procore's REST reference (extended view, the documented default) and §5.4 (project vendors).

function base(s: Store, v: Vendor) {
  const company = s.companies.get(v.company_id);
  const parent = v.parent_id ? s.vendors.get(v.parent_id) : undefined;
  return {
    id: v.id,
    name: v.name,
    abbreviated_name: v.abbreviated_name,
    trade_name: v.trade_name,
    address: v.address,
    city: v.city,
    state_code: v.state_code,
    zip: v.zip,
    country_code: v.country_code,
    business_phone: v.business_phone,
    mobile_phone: v.mobile_phone,
    fax_number: v.fax_number,
    email_address: v.email_address,
    website: v.website,
    is_active: v.is_active,
    authorized_bidder: v.authorized_bidder,
    prequalified: v.prequalified,
    labor_union: v.labor_union,
    license_number: v.license_number,
    union_member: v.union_member,
    non_union_prevailing_wage: v.non_union_prevailing_wage,
    notes: v.notes,
    logo: null,
    origin_id: v.origin_id,
    origin_data: v.origin_data,
    origin_code: v.origin_code,
    is_connected: false,
    connected_to_company_id: null,
    company_vendor: true,
    company: company?.name ?? null,
    business_id: null,
    business_register: null,
    synced_to_erp: false,
    primary_contact: null,
    vendor_group: null,
    contact_count: 0,
    trades: v.trade_ids.map((id) => ({ id, name: `Trade ${id}`, active: true, updated_at: v.updated_at })),
    standard_cost_codes: [],
    bidding_distribution: [],
    attachments: [],
    created_at: v.created_at,
    updated_at: v.updated_at,
    _parent: parent ? { id: parent.id, name: parent.name } : null,
  };
}

const childrenCount = (s: Store, v: Vendor) => s.childCount(v.id);

function projectIdsOf(s: Store, v: Vendor): number[] {
  return [...(s.vendorProjects.get(v.id) ?? [])].sort((a, b) => a - b);
}

/** Company vendor, extended view (Procore's default). */
export function vendorExtended(s: Store, v: Vendor) {
  const { _parent, ...b } = base(s, v);
  return {
    ...b,
    legal_name: v.legal_name,
    parent: _parent,
    children_count: childrenCount(s, v),
    project_ids: projectIdsOf(s, v),
    bidding: { ...v.bidding },
  };
}

export function vendorCompact(v: Vendor) {
  return {
    id: v.id,
    name: v.name,
    abbreviated_name: v.abbreviated_name,
    is_active: v.is_active,
    origin_id: v.origin_id,
    origin_code: v.origin_code,
    origin_data: v.origin_data,
    updated_at: v.updated_at,
  };
}

/** GET /vendors/{id}: the extended view plus show-only fields. */
export function vendorShow(s: Store, v: Vendor) {
  return {
    ...vendorExtended(s, v),
    origin_custom_fields: [],
    erp_custom_fields: [],
    business: null,
    contract_signer: null,
    country_name: v.country_code === 'US' ? 'United States' : v.country_code,
    state_name: v.state_code,
    invoice_contacts: [],
    active_users_count: 0,
    bids_count: 0,
    open_bids_count: 0,
    projects_count: projectIdsOf(s, v).length,
  };
}

export function companyVendorView(s: Store, v: Vendor, view: string | undefined) {
  return view === 'compact' ? vendorCompact(v) : vendorExtended(s, v);
}

/** Project Directory vendor: normal view; extended adds children_count, legal_name, parent, bidding. */
export function projectVendorView(s: Store, v: Vendor, view: string | undefined) {
  const { _parent, ...b } = base(s, v);
  if (view === 'ids_only') return { id: v.id };
  if (view === 'name') return { id: v.id, name: v.name };
  if (view === 'minimal') return { id: v.id, name: v.name, is_active: v.is_active };
  const normal = { ...b, uuid: `vendor-${v.id}`, business: null };
  if (view !== 'extended') return normal;
  return { ...normal, children_count: childrenCount(s, v), legal_name: v.legal_name, parent: _parent, bidding: { ...v.bidding } };
}
