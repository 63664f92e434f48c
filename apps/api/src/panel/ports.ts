/**
 * What the side panel needs from Procore, myCOI and the sync engine — narrow ports, so the routes
 * are written once and the adapters (upstream.ts) map them onto @mycoi/procore, @mycoi/mycoi and
 * @mycoi/sync. Errors: adapters throw UpstreamError with the upstream HTTP status.
 */

import type { ComplianceView, PanelSession, ProcoreCommitmentInfo, ProcoreProjectInfo, ProcoreVendorInfo } from '@mycoi/contracts';

export class UpstreamError extends Error {
  constructor(
    readonly service: 'procore' | 'mycoi',
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

// The Procore shapes are the panel's wire types (@mycoi/contracts); the ports return exactly those,
// so they are not declared twice. A commitment also carries the project it belongs to.
export type ProcoreUser = PanelSession['procoreUser'];
export type ProcoreAddress = ProcoreProjectInfo['address'];
export type ProcoreProject = ProcoreProjectInfo;
export type ProcoreVendor = ProcoreVendorInfo;
export type ProcoreCommitment = ProcoreCommitmentInfo & { projectId: string };

/** The user's Procore token pair. Procore rotates refresh tokens: each refresh returns a new pair. */
export interface ProcoreUserTokens {
  accessToken: string;
  /** null when Procore sent none (then the session ends with the access token). */
  refreshToken: string | null;
  expiresAt: Date | null;
}

/** The Procore user's own sign-in (authorization code flow) — proves who acts and what they see. */
export interface ProcoreUserPort {
  authorizeUrl(redirectUri: string, state: string): string;
  exchangeCode(code: string, redirectUri: string): Promise<ProcoreUserTokens>;
  /** A new pair for a refresh token; a dead or revoked one → UpstreamError('procore', 400|401). */
  refresh(refreshToken: string): Promise<ProcoreUserTokens>;
  /** Who the token belongs to; the name comes only when a company is given (Procore's /me). */
  me(accessToken: string, companyId: string): Promise<ProcoreUser>;
  /** true while the user still belongs to the company in Procore (403/404 → false: removed). */
  canUseCompany(accessToken: string, companyId: string): Promise<boolean>;
  /** true when the user's token can read the project in the company (404/403 → false). */
  canSeeProject(accessToken: string, companyId: string, projectId: string): Promise<boolean>;
  /** true when the vendor is in the project's directory as the user sees it (404/403 → false). */
  canSeeProjectVendor(accessToken: string, companyId: string, projectId: string, vendorId: string): Promise<boolean>;
  /** true when the user can read the commitment and it belongs to the project (404/403 → false). */
  canSeeCommitment(accessToken: string, companyId: string, projectId: string, commitmentId: string): Promise<boolean>;
}

/** Procore data read with the tenant's DMSA (the data connector). 403 on commitments → UpstreamError(403). */
export interface ProcoreDataPort {
  project(tenantId: string, companyId: string, projectId: string): Promise<ProcoreProject>;
  vendor(tenantId: string, companyId: string, vendorId: string): Promise<ProcoreVendor>;
  commitment(tenantId: string, companyId: string, projectId: string, commitmentId: string): Promise<ProcoreCommitment>;
}

export interface MycoiUser {
  id: string;
  email: string;
  name: string | null;
  accountId: string;
  role: 'admin' | 'manager' | 'viewer';
}

export interface MycoiRecord {
  id: string;
  name: string;
  externalId: string | null;
  detail: string | null;
  /** Set by creates: myCOI already had a record with this external id (409), which was returned instead. */
  existed?: boolean;
}

export interface MycoiCompliance {
  level: 'vendor' | 'assignment';
  status: { kind: string; label: string; outcome?: string };
  lines: ComplianceView['lines'];
  deficiencies: ComplianceView['deficiencies'];
  lastReviewedAt: string | null;
  updatedAt: string;
  procore: ComplianceView['procore'];
}

export interface DivisionInput {
  name: string;
  code: string | null;
  externalId: string;
  address: ProcoreAddress | null;
}
export interface VendorInput {
  name: string;
  taxId: string | null;
  externalId: string;
  address: ProcoreAddress | null;
  contact: { name: string; email: string | null; phone: string | null } | null;
}
export interface AssignmentInput {
  vendorId: string;
  divisionId: string;
  insuranceSetId: string;
  contractId: string | null;
  externalId: string;
  title: string | null;
  amount: number | null;
}

/**
 * myCOI as the signed-in myCOI user (user token from /v1/auth/login). Creates pass an
 * idempotency key through; a duplicate external_id (409) resolves to the existing record.
 */
export interface MycoiUserPort {
  login(email: string, password: string): Promise<{ token: string; expiresInSeconds: number; user: MycoiUser }>;
  get(token: string, kind: 'division' | 'vendor' | 'assignment', id: string): Promise<MycoiRecord | null>;
  search(
    token: string,
    kind: 'division' | 'vendor' | 'assignment',
    q: string,
    filter?: { vendorId?: string; divisionId?: string },
  ): Promise<MycoiRecord[]>;
  insuranceSets(token: string): Promise<Array<{ id: string; name: string; description: string | null }>>;
  createDivision(token: string, input: DivisionInput, idempotencyKey: string): Promise<MycoiRecord>;
  createVendor(token: string, input: VendorInput, idempotencyKey: string): Promise<MycoiRecord>;
  createAssignment(
    token: string,
    input: AssignmentInput,
    idempotencyKey: string,
  ): Promise<MycoiRecord & { vendorId: string; divisionId: string }>;
  /** For linking an existing assignment: which vendor and division it belongs to. */
  assignmentParties(token: string, id: string): Promise<{ vendorId: string; divisionId: string } | null>;
  compliance(token: string, level: 'vendor' | 'assignment', id: string): Promise<MycoiCompliance | null>;
}

/** "Refresh now": push this one subject's compliance into Procore immediately (sync engine). */
export interface RefreshPort {
  refresh(
    tenantId: string,
    target: { kind: 'vendor' | 'commitment'; procoreId: string; projectId: string; mycoiId: string },
  ): Promise<{ pushed: number | null; queued: boolean }>;
}

export interface PanelPorts {
  procoreUser: ProcoreUserPort;
  procoreData: ProcoreDataPort;
  mycoi: MycoiUserPort;
  refresh: RefreshPort;
}
