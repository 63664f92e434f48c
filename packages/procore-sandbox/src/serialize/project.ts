import type { Store } from '../state/store';
import type { Project } from '../state/types';

// Field sets follow the endpoint JSON for GET /rest/v1.0/projects (list) and /projects/{id} (show).
// Fields the sandbox does not model are present with null (or an empty object/array) so clients
// see every documented key.

function common(s: Store, p: Project) {
  const company = s.companies.get(p.company_id);
  return {
    id: p.id,
    name: p.name,
    is_demo: p.is_demo,
    parent_job_id: null,
    parent_job: null,
    display_name: p.display_name,
    project_number: p.project_number,
    address: p.address,
    city: p.city,
    state_code: p.state_code,
    country_code: p.country_code,
    zip: p.zip,
    county: p.county,
    time_zone: p.time_zone,
    latitude: p.latitude,
    longitude: p.longitude,
    stage: p.stage,
    project_stage: p.stage ? { id: 1, name: p.stage } : null,
    phone: p.phone,
    created_at: p.created_at,
    updated_at: p.updated_at,
    active: p.active,
    origin_id: p.origin_id,
    origin_data: p.origin_data,
    origin_code: p.origin_code,
    owners_project_id: null,
    total_value: p.total_value,
    store_number: null,
    accounting_project_number: null,
    designated_market_area: null,
    project_region_id: null,
    project_bid_type_id: null,
    project_owner_type_id: null,
    photo_id: null,
    start_date: p.start_date,
    completion_date: p.completion_date,
    projected_finish_date: null,
    estimated_value: null,
    fax: null,
    sector: null,
    work_scope: null,
    delivery_method: null,
    created_by: null,
    company: { id: p.company_id, name: company?.name ?? '' },
    custom_fields: {},
    project_sector_id: null,
  };
}

export function projectListItem(s: Store, p: Project) {
  return { ...common(s, p), project_template: null, estimated_budget: null, priority: null };
}

export function projectCompact(p: Project) {
  return { id: p.id, name: p.name, display_name: p.display_name };
}

export function projectShow(s: Store, p: Project) {
  return {
    ...common(s, p),
    logo_id: null,
    logo_url: null,
    template: false,
    tz_name: p.time_zone,
    from_project_template_id: null,
    description: null,
    square_feet: null,
    warranty_start_date: null,
    warranty_end_date: null,
    flag: null,
    locale: 'en',
    public_notes: null,
    actual_start_date: null,
    standard_cost_code_list_id: null,
    is_erp_integrated: false,
    photo_url: null,
    inbound_email: null,
    inbound_email_address: null,
    estimated_start_date: null,
    estimated_completion_date: null,
    code: null,
    persistent_message: null,
    office: null,
    project_bid_type: null,
    project_owner_type: null,
    project_region: null,
    project_stage_id: p.stage ? 1 : null,
    project_type: null,
    program: null,
    departments: [],
    dictionary_type: null,
  };
}
