import type { Store } from '../state/store';
import type { Commitment, Insurance } from '../state/types';

// WOC/PO list items follow Procore's REST reference (WOC list schema is lost in the endpoint JSON;
// the PO list schema is present and matches). Money fields are strings, as Procore sends them.

function vendorRef(s: Store, c: Commitment) {
  const v = c.vendor_id ? s.vendors.get(c.vendor_id) : undefined;
  return v ? { id: v.id, company: v.name } : null;
}

function shared(s: Store, c: Commitment) {
  const p = s.projects.get(c.project_id);
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    executed: c.executed,
    private: c.private,
    description: c.description,
    accounting_method: 'amount',
    grand_total: c.grand_total,
    revised_contract: c.grand_total,
    approved_change_orders: '0.0',
    pending_change_orders: '0.0',
    pending_revised_contract: c.grand_total,
    draft_change_orders_amount: '0.0',
    percentage_paid: '0.0',
    remaining_balance_outstanding: c.grand_total,
    retainage_percent: c.retainage_percent,
    total_payments: '0.0',
    total_draw_requests_amount: '0.0',
    total_requisitions_amount: '0.0',
    requisitions_are_enabled: false,
    show_line_items_to_non_admins: false,
    contract_date: c.contract_date,
    execution_date: c.executed ? c.contract_date : null,
    issued_on_date: null,
    letter_of_intent_date: null,
    approval_letter_date: null,
    returned_date: null,
    signed_contract_received_date: null,
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
    origin_id: c.origin_id,
    origin_data: c.origin_data,
    origin_code: c.origin_code,
    project: p ? { id: p.id, name: p.name } : null,
    vendor: vendorRef(s, c),
    currency_configuration: { currency_iso_code: 'USD' },
  };
}

export function contractListItem(s: Store, c: Commitment) {
  const b = shared(s, c);
  if (c.type === 'WorkOrderContract') {
    return {
      ...b,
      inclusions: null,
      exclusions: null,
      contract_start_date: null,
      contract_estimated_completion_date: null,
      actual_completion_date: null,
    };
  }
  return {
    ...b,
    assignee: null,
    bill_to_address: null,
    ship_to_address: null,
    ship_via: null,
    payment_terms: null,
    delivery_date: c.delivery_date,
    billing_schedule_of_values_status: 'draft',
  };
}

/** Show adds vendor origin fields and the nested collections. */
export function contractShow(s: Store, c: Commitment) {
  const v = c.vendor_id ? s.vendors.get(c.vendor_id) : undefined;
  return {
    ...contractListItem(s, c),
    vendor: v ? { id: v.id, company: v.name, origin_id: v.origin_id, origin_data: v.origin_data } : null,
    attachments: [],
    line_items: [],
    change_order_packages: [],
    potential_change_orders: [],
    change_order_requests: [],
    payments_issued: [],
    invoice_contacts: [],
    created_by_id: c.created_by_id,
  };
}

/** GET /rest/v1.0/commitments item: note vendor is {id, name} here, not {id, company}. */
export function commitmentListItem(s: Store, c: Commitment) {
  const v = c.vendor_id ? s.vendors.get(c.vendor_id) : undefined;
  return {
    id: c.id,
    title: c.title,
    number: c.number,
    status: c.status,
    description: c.description,
    executed: c.executed,
    delivery_date: c.delivery_date,
    created_at: c.created_at,
    private: c.private,
    vendor: v ? { id: v.id, name: v.name } : null,
  };
}

export function commitmentShow(s: Store, c: Commitment) {
  const creator = c.created_by_id ? s.users.get(c.created_by_id) : undefined;
  return {
    ...commitmentListItem(s, c),
    type: c.type,
    accounting_method: 'amount',
    actual_completion_date: null,
    allow_comments: false,
    allow_markups: false,
    allow_payment_applications: false,
    allow_payments: false,
    allow_redistributions: false,
    approved_change_orders: '0.0',
    bill_to: null,
    budget_line_item_id: null,
    contract_estimated_completion_date: null,
    contract_start_date: null,
    contract_termination_date: null,
    deleted_at: c.deleted_at,
    display_materials_retainage: false,
    display_stored_materials: false,
    display_work_retainage: false,
    exclusions: null,
    grand_total: c.grand_total,
    inclusions: null,
    line_items_extended_total: c.grand_total,
    line_items_total: c.grand_total,
    payment_terms: null,
    pending_change_orders: '0.0',
    pending_revised_contract: c.grand_total,
    percentage_paid: '0.0',
    position: null,
    remaining_balance_outstanding: c.grand_total,
    requisition_number: null,
    retainage_percent: c.retainage_percent,
    revised_contract: c.grand_total,
    ship_to: null,
    ship_via: null,
    signed_contract_received_date: null,
    total_payments: '0.0',
    total_draw_requests_amount: '0.0',
    updated_at: c.updated_at,
    architect: null,
    assigned_to: null,
    attachments: [],
    change_order_packages: [],
    change_order_requests: [],
    contractor: null,
    cost_code: null,
    created_by: creator ? { id: creator.id, login: creator.login, name: creator.name } : null,
    line_items: [],
    potential_change_orders: [],
    payments_issued: [],
    received_from: null,
  };
}

const toUtc = (d: string | null) => (d ? `${d}T00:00:00Z` : null);

/**
 * Compliance tab. `insurance_documents` are the vendor's Directory insurances (company level and
 * this project's level). derived_insurance_status rule beyond "all compliant → compliant, any other
 * → not_compliant" is UNCONFIRMED; with no documents it is null.
 */
export function complianceView(s: Store, c: Commitment) {
  const docs: Insurance[] = [];
  if (c.vendor_id) {
    docs.push(...s.pick(s.insurances, s.insByCompanyVendor.get(`${c.company_id}:${c.vendor_id}`)));
    docs.push(...s.pick(s.insurances, s.insByProjectVendor.get(`${c.project_id}:${c.vendor_id}`)));
  }
  const derived = docs.length === 0 ? null : docs.every((d) => d.status === 'compliant') ? 'compliant' : 'not_compliant';
  return {
    ...compliancePatchView(c),
    derived_insurance_status: derived,
    insurance_documents: docs.map((d) => ({
      id: d.id,
      name: d.insurance_provider,
      insurance_type: d.insurance_type,
      level: d.project_id === null ? 'company' : 'project',
      status: d.status,
      effective_at: toUtc(d.effective_date),
      expires_at: toUtc(d.expiration_date),
      attachments: [],
    })),
    derived_compliance_status: null,
    compliance_documents: [],
    insurance_requirements_not_created: [],
    compliance_requirements_not_created: [],
  };
}

export function compliancePatchView(c: Commitment) {
  const x = c.compliance;
  return {
    updated_at: x.updated_at,
    updated_by_id: x.updated_by_id,
    compliance_status: x.compliance_status,
    compliance_notes: x.compliance_notes,
    insurance_status: x.insurance_status,
    insurance_notes: x.insurance_notes,
  };
}
