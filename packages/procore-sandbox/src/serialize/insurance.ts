import type { Insurance } from '../state/types';

/** One shape for all four insurance families (endpoint JSON: identical field lists). */
export function insuranceView(i: Insurance) {
  return {
    id: i.id,
    effective_date: i.effective_date,
    enable_expired_insurance_notifications: i.enable_expired_insurance_notifications,
    exempt: i.exempt,
    expiration_date: i.expiration_date,
    info_received: i.info_received,
    insurance_provider: i.insurance_provider,
    insurance_type: i.insurance_type,
    limit: i.limit,
    notes: i.notes,
    policy_number: i.policy_number,
    status: i.status,
    vendor_id: i.vendor_id,
    additional_insured: i.additional_insured,
    division_template: i.division_template,
    insurance_sets: i.insurance_sets,
    origin_data: i.origin_data,
    origin_id: i.origin_id,
  };
}
