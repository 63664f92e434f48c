// The engine's view of the outside world. The sync package never imports the HTTP clients'
// internals: adapters (src/adapters/*) turn @mycoi/procore and @mycoi/mycoi into these ports, and
// the API injects them per tenant. Keeping the surface this small is what lets the engine be
// reasoned about (and benchmarked) as pure orchestration.

/** Procore's insurance `status` enum: exactly these seven values are accepted on write. */
export const PROCORE_INSURANCE_STATUSES = [
  'compliant',
  'compliant_in_progress',
  'expired',
  'non_compliant',
  'non_compliant_in_progress',
  'undecided',
  'unregistered',
] as const;
export type ProcoreInsuranceStatus = (typeof PROCORE_INSURANCE_STATUSES)[number];

/** Where an insurance row lives: the Company Directory (global) or one project's directory. */
export type InsuranceScope = { level: 'company' } | { level: 'project'; projectId: string };

/** The writable fields we own on a Procore insurance row (request field names). */
export interface InsuranceFields {
  insurance_type: string;
  name: string | null; // carrier; Procore echoes it back as `insurance_provider`
  policy_number: string | null;
  effective_date: string | null; // YYYY-MM-DD
  expiration_date: string | null;
  limit: string | null;
  status: ProcoreInsuranceStatus;
  notes: string | null;
  exempt: boolean;
  info_received: boolean;
  enable_expired_insurance_notifications: boolean;
}

/** One row to upsert through a scope's `insurances/sync` endpoint (matched by origin_id). */
export interface InsuranceWrite extends InsuranceFields {
  origin_id: string;
  vendor_id: string;
}

/** A row as read back from Procore (only what reconcile compares). */
export interface ProcoreInsurance extends Partial<InsuranceFields> {
  id: string;
  vendor_id: string | null;
  origin_id: string | null;
}

export interface SyncItemError {
  origin_id: string | null;
  message: string;
}

export interface SyncOutcome {
  entities: ProcoreInsurance[];
  errors: SyncItemError[];
}

export interface RateBudget {
  limit: number;
  remaining: number;
  /** epoch ms at which the window resets */
  resetAt: number;
}

export type CommitmentType = 'work_order' | 'purchase_order';

export interface ProcoreCommitment {
  id: string;
  type: CommitmentType;
  projectId: string;
  vendorId: string | null;
  vendorName: string | null;
  status: string;
  title: string | null;
  number: string | null;
  updatedAt: string | null;
}

export interface ProcoreProject {
  id: string;
  name: string;
  active: boolean;
}

export interface ProcoreVendor {
  id: string;
  name: string;
  /** business_register identifier (EIN/ABN) when known */
  taxId: string | null;
}

export interface ProcorePort {
  /** Every row of a scope (all pages). Company scope = the flat company insurances list. */
  listInsurances(scope: InsuranceScope): Promise<ProcoreInsurance[]>;
  /** One `PATCH …/insurances/sync` call; `rows.length` ≤ 1000. Per-item errors come back, not thrown. */
  syncInsurances(scope: InsuranceScope, rows: InsuranceWrite[]): Promise<SyncOutcome>;
  /** DELETE one row; a 404 counts as success (it is already gone). */
  deleteInsurance(scope: InsuranceScope, id: string): Promise<void>;
  listProjectVendorIds(projectId: string): Promise<string[]>;
  addVendorToProject(projectId: string, vendorId: string): Promise<void>;
  listProjects(): Promise<ProcoreProject[]>;
  /** Commitments of one project, optionally only those updated at or after `updatedSince` (ISO). */
  listCommitments(projectId: string, updatedSince: string | null): Promise<ProcoreCommitment[]>;
  getVendor(vendorId: string): Promise<ProcoreVendor | null>;
  /**
   * One commitment of a project (`GET /rest/v1.0/commitments/:id`), for its kind when nothing
   * recorded it: null when Procore has no such commitment in the project (404); `type` null when
   * Procore names a kind that is neither a work order nor a purchase order. A 403 is thrown.
   */
  getCommitment(projectId: string, commitmentId: string): Promise<{ id: string; type: CommitmentType | null } | null>;
  setCommitmentInsuranceStatus(
    projectId: string,
    commitment: { id: string; type: CommitmentType },
    status: 'compliant' | 'not_compliant',
    notes: string,
  ): Promise<void>;
  /** Latest rate-limit headers seen, or null before the first call. */
  rateBudget(): RateBudget | null;
  /** Calls made so far (including retries): the run records the difference. */
  callCount(): number;
  /** Write calls (POST/PATCH/DELETE) made so far. */
  writeCallCount(): number;
  /** Rate-limit waits so far (budget waits and 429 answers); optional for ports without a budget. */
  rateLimitWaitCount?(): number;
}

/**
 * myCOI's status model as the integration sees it: phase (in progress / finalized) × result, plus
 * unregistered and expired. Adapters translate the myCOI client's vocabulary into this.
 */
export const MYCOI_STATUSES = [
  'finalized_compliant',
  'finalized_non_compliant',
  'in_progress_compliant',
  'in_progress_non_compliant',
  'in_progress_undecided',
  'unregistered',
  'expired',
] as const;
export type MycoiStatus = (typeof MYCOI_STATUSES)[number];

export interface MycoiLimit {
  label: string;
  amount: number; // whole currency units
}

export interface MycoiCoverageLine {
  /** stable per vendor/assignment, e.g. the line id or its type code */
  key: string;
  type: string; // "General Liability"
  carrier: string | null;
  policyNumber: string | null;
  effectiveDate: string | null;
  expirationDate: string | null;
  limits: MycoiLimit[];
  /** per-line status when myCOI reports one; else the record's status applies */
  status: MycoiStatus | null;
  exempt: boolean;
  /** a certificate was received for this line (else the record's flag applies) */
  infoReceived?: boolean;
  deficiencies: string[];
  /** a coverage myCOI requires and holds no certificate for (myCOI line state `missing`) */
  missing?: boolean;
}

/** A required coverage the record names (a deficiency with a coverage type) but has no line for. */
export interface MissingCoverage {
  /** stable within the record, e.g. the coverage type code */
  key: string;
  type: string;
  deficiencies: string[];
}

export interface MycoiComplianceRecord {
  level: 'vendor' | 'assignment';
  vendorId: string;
  vendorExternalId: string | null;
  vendorName: string | null;
  assignmentId: string | null; // set when level = assignment
  status: MycoiStatus;
  /** false when the vendor/assignment was removed from tracking: its rows are deleted */
  active: boolean;
  lastReviewedAt: string | null;
  infoReceived: boolean;
  deficiencies: string[];
  lines: MycoiCoverageLine[];
  /** required coverages with no line at all (compliance.ts gives each a row of its own) */
  missingCoverages?: MissingCoverage[];
}

export interface FeedPage {
  records: MycoiComplianceRecord[];
  /** cursor to store once this page is applied */
  cursor: string | null;
  hasMore: boolean;
  /** records the client could not parse: reported on the run, never fatal */
  skipped: { ref: string; reason: string }[];
}

export interface MycoiVendor {
  id: string;
  name: string;
  externalId: string | null;
  taxId: string | null;
}

export interface MycoiAssignment {
  id: string;
  vendorId: string;
  /** the Procore commitment id, when the assignment was created from (or linked to) Procore */
  externalId: string | null;
}

export interface MycoiPort {
  compliancePage(cursor: string | null): Promise<FeedPage>;
  vendorCompliance(vendorId: string): Promise<MycoiComplianceRecord | null>;
  assignmentCompliance(assignmentId: string): Promise<MycoiComplianceRecord | null>;
  getVendor(vendorId: string): Promise<MycoiVendor | null>;
  getAssignment(assignmentId: string): Promise<MycoiAssignment | null>;
  findVendorByExternalId(externalId: string): Promise<MycoiVendor | null>;
  /** The myCOI assignment whose external_id is this Procore commitment id (created or linked from Procore). */
  findAssignmentByExternalId(externalId: string): Promise<MycoiAssignment | null>;
  /** The myCOI division (project) whose external_id is this Procore project id. */
  findDivisionByExternalId(externalId: string): Promise<{ id: string } | null>;
  /** candidates for name + tax id matching (the engine normalises and compares) */
  searchVendors(name: string): Promise<MycoiVendor[]>;
  /** creates with external_id = the Procore vendor id; an existing vendor with that id is returned */
  createVendor(input: { name: string; externalId: string; taxId: string | null }): Promise<MycoiVendor>;
}

export interface TenantClients {
  procore: ProcorePort;
  mycoi: MycoiPort;
}

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface MailerPort {
  send(message: MailMessage): Promise<void | { messageId?: string }>;
}
