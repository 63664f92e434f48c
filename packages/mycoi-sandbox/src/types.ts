// Wire shapes of packages/mycoi/openapi.yaml, as the sandbox stores them. The sandbox keeps records
// in their wire form so responses are the stored objects, serialised.

export type Role = 'admin' | 'manager' | 'viewer';
export type CoverageType =
  | 'general_liability'
  | 'automobile_liability'
  | 'umbrella_liability'
  | 'excess_liability'
  | 'workers_compensation'
  | 'professional_liability'
  | 'pollution_liability'
  | 'builders_risk'
  | 'other';
export type LimitKind =
  | 'each_occurrence'
  | 'general_aggregate'
  | 'products_completed_operations_aggregate'
  | 'personal_advertising_injury'
  | 'damage_to_rented_premises'
  | 'medical_expense'
  | 'combined_single_limit'
  | 'bodily_injury_per_person'
  | 'bodily_injury_per_accident'
  | 'property_damage'
  | 'aggregate'
  | 'each_accident'
  | 'disease_each_employee'
  | 'disease_policy_limit'
  | 'each_claim';

export interface Account {
  id: string;
  name: string;
}
export interface AccountCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}
export interface User {
  id: string;
  email: string;
  name: string;
  account_id: string;
  role: Role;
}
export interface UserRecord extends User {
  password: string;
}

export interface Address {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}
export interface Contact {
  name: string;
  email?: string | null;
  phone?: string | null;
  kind?: 'primary' | 'insurance_agent' | 'billing' | 'other';
}

export interface Division {
  id: string;
  account_id: string;
  name: string;
  code: string | null;
  external_id: string | null;
  address: Address | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}
export interface Vendor {
  id: string;
  account_id: string;
  name: string;
  tax_id: string | null;
  external_id: string | null;
  address: Address | null;
  contacts: Contact[];
  registered: boolean;
  created_at: string;
  updated_at: string;
}
export interface Limit {
  kind: LimitKind;
  amount: number;
}
export interface Requirement {
  coverage_type: CoverageType;
  minimum_limits: Limit[];
  additional_insured: boolean;
  waiver_of_subrogation: boolean;
}
export interface InsuranceSet {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  requirements: Requirement[];
  created_at: string;
  updated_at: string;
}
export interface Assignment {
  id: string;
  account_id: string;
  vendor_id: string;
  division_id: string;
  insurance_set_id: string;
  contract_id: string | null;
  external_id: string | null;
  title: string | null;
  amount: number | null;
  tracking: 'active' | 'removed';
  created_at: string;
  updated_at: string;
}

export type ComplianceStatus =
  | { kind: 'reviewed'; review_state: 'in_progress'; outcome: 'compliant' | 'non_compliant' | 'undecided'; label: string }
  | { kind: 'reviewed'; review_state: 'finalized'; outcome: 'compliant' | 'non_compliant'; label: string }
  | { kind: 'unregistered' | 'expired'; label: string };
export type LineStatus = 'compliant' | 'non_compliant' | 'pending_review' | 'expired' | 'missing';
export interface CoverageLine {
  id: string;
  type: CoverageType;
  type_label: string;
  carrier: string | null;
  policy_number: string | null;
  effective_date: string | null;
  expiration_date: string | null;
  limits: Limit[];
  status: LineStatus;
  additional_insured: boolean | null;
  waiver_of_subrogation: boolean | null;
}
export interface DeficiencyNote {
  id: string;
  coverage_line_id: string | null;
  coverage_type: CoverageType | null;
  requirement: string;
  note: string;
  visible_to_vendor: boolean;
  created_at: string;
}
export type NoticeKind = 'certificate_request' | 'renewal_request' | 'non_compliance_notice' | 'policy_confirmation' | 'expiration_notice';
export interface Notice {
  id: string;
  kind: NoticeKind;
  recipient_role: 'vendor' | 'agent';
  recipient_email: string;
  sent_at: string;
}
export interface ComplianceRecord {
  id: string;
  account_id: string;
  level: 'vendor' | 'assignment';
  vendor_id: string;
  assignment_id: string | null;
  division_id: string | null;
  insurance_set_id: string | null;
  status: ComplianceStatus;
  coverage_lines: CoverageLine[];
  deficiencies: DeficiencyNote[];
  notices: Notice[];
  version: number;
  updated_at: string;
  last_reviewed_at: string | null;
}

/** Shorthand for the overall status, used by seeds and the admin endpoint. */
export type StatusCode =
  | 'finalized_compliant'
  | 'finalized_non_compliant'
  | 'in_progress_compliant'
  | 'in_progress_non_compliant'
  | 'in_progress_undecided'
  | 'unregistered'
  | 'expired';
