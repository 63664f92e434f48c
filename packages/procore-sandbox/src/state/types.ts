// In-memory records of the emulated Procore. Records keep Procore's field names (snake_case) so
// serializers can copy them; ids are plain numbers (all seeded ids stay far below 2^53).

export type ToolLevel = 'none' | 'read_only' | 'standard' | 'admin';
export type Tool = 'directory' | 'commitments' | 'webhooks' | 'projects';
export interface ToolPermissions {
  company?: Partial<Record<Tool, ToolLevel>>;
  project?: Partial<Record<Tool, ToolLevel>>;
}

export interface Company {
  id: number;
  name: string;
  is_active: boolean;
  logo_url: string | null;
  pcn_business_experience: boolean;
  my_company: boolean;
}

export interface Membership {
  /** 'all' = sees every project of the company (company admin); otherwise an explicit list. */
  projectIds: 'all' | number[];
  permissions: ToolPermissions;
}

export interface User {
  id: number;
  login: string;
  name: string;
  password: string;
  /** companyId → membership */
  companies: Map<number, Membership>;
}

export interface Installation {
  companyId: number;
  /** Projects the company admin permitted for the DMSA; 'all' = every current and future project. */
  permittedProjectIds: 'all' | number[];
  permissions: ToolPermissions;
}

export interface App {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Registered redirect URIs for the authorization code flow (exact match). */
  redirectUris: string[];
  installations: Map<number, Installation>;
  /** The Directory user Procore creates for the DMSA when the app is installed. */
  serviceAccountUserId: number;
}

export interface Project {
  id: number;
  company_id: number;
  name: string;
  display_name: string;
  project_number: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  country_code: string | null;
  zip: string | null;
  county: string | null;
  time_zone: string;
  latitude: number | null;
  longitude: number | null;
  stage: string | null;
  phone: string | null;
  active: boolean;
  is_demo: boolean;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  start_date: string | null;
  completion_date: string | null;
  total_value: string | null;
  created_at: string;
  updated_at: string;
}

export interface Vendor {
  id: number;
  company_id: number;
  name: string;
  abbreviated_name: string | null;
  trade_name: string | null;
  legal_name: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  zip: string | null;
  country_code: string | null;
  business_phone: string | null;
  mobile_phone: string | null;
  fax_number: string | null;
  email_address: string | null;
  website: string | null;
  is_active: boolean;
  authorized_bidder: boolean;
  prequalified: boolean;
  labor_union: string | null;
  license_number: string | null;
  union_member: boolean;
  non_union_prevailing_wage: boolean;
  notes: string | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  parent_id: number | null;
  vendor_group_id: number | null;
  primary_contact_id: number | null;
  trade_ids: number[];
  bidding: Record<string, boolean>;
  created_at: string;
  updated_at: string;
}

export const INSURANCE_STATUSES = [
  'compliant',
  'compliant_in_progress',
  'expired',
  'non_compliant',
  'non_compliant_in_progress',
  'undecided',
  'unregistered',
] as const;
export type InsuranceStatus = (typeof INSURANCE_STATUSES)[number];

export interface Insurance {
  id: number;
  company_id: number;
  /** null = company level (Company Directory tab); a number = project level (Project Directory tab). */
  project_id: number | null;
  vendor_id: number;
  insurance_type: string | null;
  /** Written through the request field `name`. */
  insurance_provider: string | null;
  policy_number: string | null;
  limit: string | null;
  effective_date: string | null;
  expiration_date: string | null;
  status: InsuranceStatus | null;
  exempt: boolean;
  info_received: boolean;
  enable_expired_insurance_notifications: boolean;
  notes: string | null;
  additional_insured: string | null;
  division_template: string | null;
  insurance_sets: string | null;
  origin_id: string | null;
  origin_data: string | null;
  created_at: string;
  updated_at: string;
}

export const WOC_STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'] as const;
export const PO_STATUSES = ['Draft', 'Processing', 'Submitted', 'Partially Received', 'Received', 'Approved', 'Closed'] as const;
export const COMPLIANCE_STATUSES = ['compliant', 'not_compliant', 'not_required'] as const;
export type CommitmentType = 'WorkOrderContract' | 'PurchaseOrderContract';
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export interface Compliance {
  updated_at: string;
  updated_by_id: number | null;
  compliance_status: ComplianceStatus | null;
  compliance_notes: string | null;
  insurance_status: ComplianceStatus | null;
  insurance_notes: string | null;
}

export interface Commitment {
  id: number;
  type: CommitmentType;
  company_id: number;
  project_id: number;
  vendor_id: number | null;
  number: string;
  title: string;
  status: string;
  executed: boolean;
  private: boolean;
  description: string | null;
  grand_total: string;
  retainage_percent: string;
  contract_date: string | null;
  delivery_date: string | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  created_by_id: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  compliance: Compliance;
}

export interface Hook {
  id: number;
  api_version: string;
  namespace: string;
  destination_url: string;
  /** Stored unmasked (the sandbox must send it); responses mask it. */
  destination_headers: Record<string, string>;
  owned_by_company_id: number | null;
  owned_by_project_id: number | null;
  owned_by_user_id: number | null;
  clientId: string;
}

export interface Trigger {
  id: number;
  webhook_hook_id: number;
  resource_name: string;
  resource_id: number | null;
  event_type: string;
  company_id: number | null;
  project_id: number | null;
  user_id: number | null;
}

export interface WebhookEvent {
  id: number;
  ulid: string;
  timestamp: string;
  metadata: {
    source_user_id: number | null;
    source_project_id: number | null;
    source_operation_id: number | null;
    source_company_id: number | null;
    source_application_id: string | null;
  };
  user_id: number | null;
  company_id: number;
  project_id: number | null;
  api_version: 'v2.0';
  event_type: 'create' | 'update' | 'delete';
  resource_name: string;
  resource_id: number;
}

export interface Delivery {
  id: number;
  hook_id: number;
  event: WebhookEvent;
  event_id: number;
  outcome: 'ok' | 'retried' | 'failed' | 'discarded' | 'pending';
  attempts: number;
  response_status: number | null;
  response_headers: Record<string, string>;
  response_body: string | null;
  response_error: string | null;
  started_at: string | null;
  completed_at: string | null;
}

export interface AccessToken {
  token: string;
  clientId: string;
  /** The user the token acts as (the service account for client_credentials). */
  userId: number;
  kind: 'client_credentials' | 'user';
  createdAt: number; // unix seconds
  expiresAt: number; // unix seconds
  refreshToken: string | null;
  revoked: boolean;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  accessToken: string;
  used: boolean;
}

export interface AuthCode {
  code: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}
