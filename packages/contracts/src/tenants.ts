import { z } from 'zod';
import { SyncSummary } from './sync-history';

/**
 * The wire contract of the tenant admin (customer) and ops (myCOI) HTTP API. The API parses
 * request bodies with these schemas and the console parses responses with them, so a change here
 * is a change on both sides. Timestamps are ISO-8601 strings (UTC); absent values are `null`.
 */

export const tenantStatuses = ['registered', 'awaiting_activation', 'active', 'suspended', 'deactivated'] as const;
export const TenantStatus = z.enum(tenantStatuses);
export type TenantStatus = z.infer<typeof TenantStatus>;

export const ComplianceLevel = z.enum(['vendor', 'commitment', 'both']);
export type ComplianceLevel = z.infer<typeof ComplianceLevel>;

export const ProcoreEnvironment = z.enum(['production', 'sandbox', 'monthly', 'local']);
export type ProcoreEnvironment = z.infer<typeof ProcoreEnvironment>;

export const Features = z.object({
  compliancePush: z.boolean(),
  sidePanel: z.boolean(),
});
export type Features = z.infer<typeof Features>;

export const TenantSettings = z.object({
  /** Keep Procore's own expiry emails on for the insurance records we write. */
  procoreExpiryEmails: z.boolean(),
  /** Commitment statuses that count as approved for vendor upkeep (Procore status strings). */
  approvedStatuses: z.array(z.string().trim().min(1).max(60)).max(20),
  /** Who receives the "in Procore but not in myCOI" digest. */
  digestRecipients: z.array(z.email()).max(20),
  /** Add vendors we sync to the Project Directory when they are missing there. */
  addVendorsToProjectDirectory: z.boolean(),
  /** Also write the per-commitment insurance compliance status. */
  commitmentComplianceStatus: z.boolean(),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

export const defaultTenantSettings: TenantSettings = {
  procoreExpiryEmails: false,
  approvedStatuses: ['Approved', 'Complete'],
  digestRecipients: [],
  addVendorsToProjectDirectory: false,
  commitmentComplianceStatus: false,
};

/** A stored secret seen from outside: never the secret itself. */
export const CredentialSummary = z.object({
  set: z.boolean(),
  /** 'tenant' = the customer's own DMSA app; 'shared' = the product's marketplace app from config. */
  source: z.enum(['tenant', 'shared']).nullable(),
  clientIdLast4: z.string().nullable(),
  /** The client id itself (public in OAuth, unlike the secret): the console keeps it in the form. Null for the shared app. */
  clientId: z.string().nullable(),
  validatedAt: z.string().nullable(),
});
export type CredentialSummary = z.infer<typeof CredentialSummary>;

export const ValidationCheck = z.object({
  /** Stable id: token | company | projects | directory | commitments | projectAccess (DMSA); token | me | account (myCOI). */
  id: z.string(),
  label: z.string(),
  ok: z.boolean(),
  /** What was found, e.g. "12 permitted projects" or the upstream status. */
  detail: z.string(),
  /** What the admin should do when `ok` is false; null when ok. */
  fixHint: z.string().nullable(),
  /** True when the check did not run because an earlier one failed (`ok` is then false: nothing was verified). */
  skipped: z.boolean().optional(),
  /**
   * 'warning': a failed check that does not block activation, only turns features off (e.g. no
   * Commitments tool: commitment-level features are off, vendor-level push works). Absent = 'error'
   * (results stored before severities existed were all blocking; writers of other checks need not
   * name it).
   */
  severity: z.enum(['error', 'warning']).optional(),
});
export type ValidationCheck = z.infer<typeof ValidationCheck>;

export const ValidationResult = z.object({
  /** every check passed or failed only as a warning: activation may go ahead */
  ok: z.boolean(),
  checkedAt: z.string(),
  checks: z.array(ValidationCheck),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorKind: z.enum(['procore_user', 'ops', 'system', 'mycoi_user']),
  actor: z.string(),
  /** e.g. tenant.registered, tenant.activated, credentials.dmsa_set, ops.sync_now */
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const TenantView = z.object({
  id: z.string(),
  procoreCompanyId: z.string(),
  procoreEnvironment: ProcoreEnvironment,
  name: z.string(),
  status: TenantStatus,
  mycoiAccountId: z.string().nullable(),
  features: Features,
  complianceLevel: ComplianceLevel,
  settings: TenantSettings,
  /** Set when the stored settings document does not parse: nothing syncs until it is saved again. */
  settingsError: z.string().nullable(),
  /** Last DMSA validation found the Commitments tool (null = not checked): input of the gate (features.ts). */
  commitmentsTool: z.boolean().nullable(),
  legacyIntegrationActive: z.boolean(),
  legacyRetiredAt: z.string().nullable(),
  credentials: z.object({ procoreDmsa: CredentialSummary, mycoi: CredentialSummary }),
  /** The last DMSA validation run (kept even when it failed, so ops see why). */
  lastValidation: ValidationResult.nullable(),
  /** Sync state in short; the full history is served by the sync routes (sync-history.ts). */
  syncHealth: SyncSummary,
  createdAt: z.string(),
  updatedAt: z.string(),
  activationRequestedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  suspendedAt: z.string().nullable(),
  deactivatedAt: z.string().nullable(),
});
export type TenantView = z.infer<typeof TenantView>;

// ---- admin (customer) side -------------------------------------------------------------------

export const AdminSession = z.object({
  user: z.object({ id: z.string(), login: z.string(), name: z.string().nullable() }),
  /** Companies this sign-in was verified for with Procore; admin routes accept only these. */
  companyIds: z.array(z.string()),
  expiresAt: z.string(),
});
export type AdminSession = z.infer<typeof AdminSession>;

export const AdminCompanyView = z.object({
  company: z.object({ id: z.string(), name: z.string() }),
  /** null until the company is registered. */
  tenant: TenantView.nullable(),
  /** Whether the product's shared marketplace DMSA app is available as a choice. */
  sharedAppAvailable: z.boolean(),
  /** The Procore environment this service talks to ('local' in the demo): registration preselects it. */
  serviceEnvironment: ProcoreEnvironment,
});
export type AdminCompanyView = z.infer<typeof AdminCompanyView>;

export const RegisterCompanyBody = z.object({
  procoreEnvironment: ProcoreEnvironment.optional(),
});
export type RegisterCompanyBody = z.infer<typeof RegisterCompanyBody>;

const clientId = z.string().trim().min(4, 'at least 4 characters').max(200);
const clientSecret = z.string().min(4, 'at least 4 characters').max(500);

export const SetDmsaCredentialsBody = z.discriminatedUnion('source', [
  z.object({ source: z.literal('tenant'), clientId, clientSecret }),
  z.object({ source: z.literal('shared') }),
]);
export type SetDmsaCredentialsBody = z.infer<typeof SetDmsaCredentialsBody>;

export const UpdateSettingsBody = z
  .object({
    features: Features.partial().optional(),
    complianceLevel: ComplianceLevel.optional(),
    settings: TenantSettings.partial().optional(),
    procoreEnvironment: ProcoreEnvironment.optional(),
  })
  .strict();
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>;

// ---- ops (myCOI) side ------------------------------------------------------------------------

export const OpsLoginBody = z.object({
  email: z.email().max(200),
  password: z.string().min(1).max(500),
});
export type OpsLoginBody = z.infer<typeof OpsLoginBody>;

export const OpsSession = z.object({ email: z.string(), expiresAt: z.string() });
export type OpsSession = z.infer<typeof OpsSession>;

export const ListTenantsQuery = z.object({
  status: TenantStatus.optional(),
  /** Matches name or Procore company id (case-insensitive substring). */
  q: z.string().trim().max(100).optional(),
});
export type ListTenantsQuery = z.infer<typeof ListTenantsQuery>;

export const TenantList = z.object({ tenants: z.array(TenantView) });
export type TenantList = z.infer<typeof TenantList>;

export const SetMycoiBody = z.object({
  accountId: z.string().trim().min(1).max(100),
  clientId,
  /** Optional when a secret is already stored (to change only the account or client id). */
  clientSecret: clientSecret.optional(),
});
export type SetMycoiBody = z.infer<typeof SetMycoiBody>;

/** Optional free-text reason recorded in the audit trail for activate/suspend/resume/deactivate. */
export const TransitionBody = z.object({ reason: z.string().trim().max(500).optional() });
export type TransitionBody = z.infer<typeof TransitionBody>;

export const AuditList = z.object({ entries: z.array(AuditEntry) });
export type AuditList = z.infer<typeof AuditList>;

export const OutboxMessage = z.object({
  id: z.number(),
  at: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
});
export const Outbox = z.object({ messages: z.array(OutboxMessage) });
export type Outbox = z.infer<typeof Outbox>;

/** The one error shape on the wire. */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof ApiError>;
