import { z } from 'zod';

/**
 * Wire contract of the side panel API (/api/panel/*). The API parses request bodies with these
 * schemas; the panel imports only the types (no zod in the panel bundle, which has a size budget).
 */

export const PanelKind = z.enum(['project', 'vendor', 'commitment']);
export type PanelKind = z.infer<typeof PanelKind>;

const procoreId = z.string().regex(/^\d{1,20}$/, 'a Procore id');
const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const PanelConfig = z.object({
  /** Origins allowed to frame the panel and to postMessage it (may contain `https://*.procore.com`). */
  frameAncestors: z.array(z.string()),
  views: z.array(z.string()),
  iframeSrc: z.string(),
});
export type PanelConfig = z.infer<typeof PanelConfig>;

export type TenantPanelState = 'ready' | 'unknown_tenant' | 'not_active' | 'feature_off';
export interface PanelStatus {
  state: TenantPanelState;
  message: string;
}

export const SessionRequest = z.object({
  grant: z.string().min(20).max(200),
  companyId: procoreId,
  projectId: procoreId,
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

export interface PanelSession {
  token: string;
  expiresAt: string;
  procoreUser: { id: string; login: string; name: string | null };
  mycoiUser: { id: string; email: string; name: string | null; role: string };
}

export interface LinkInfo {
  mycoiId: string;
  name: string | null;
  source: 'created' | 'linked' | 'matched';
  linkedBy: string;
  linkedAt: string;
}

export interface ComplianceView {
  level: 'vendor' | 'assignment';
  statusKind: string;
  statusLabel: string;
  outcome: string | null;
  lines: Array<{
    id: string;
    type: string;
    typeLabel: string;
    carrier: string | null;
    policyNumber: string | null;
    effectiveDate: string | null;
    expirationDate: string | null;
    status: string;
  }>;
  deficiencies: Array<{ id: string; requirement: string; note: string }>;
  lastReviewedAt: string | null;
  updatedAt: string;
  /**
   * What Procore's Insurance tab shows for this record, from the sync engine's own mapping
   * (@mycoi/sync compliance.ts), so the panel and Procore agree: the overall status and one entry
   * per Procore row (a required coverage without a certificate is a row of its own).
   */
  procore: ProcoreComplianceView;
}

export interface ProcoreComplianceView {
  /** Procore insurance status value, e.g. non_compliant */
  status: string;
  statusLabel: string;
  rows: Array<{
    key: string;
    /** the myCOI coverage line behind the row, null for a required coverage with no line or the record row */
    lineId: string | null;
    typeLabel: string;
    status: string;
    statusLabel: string;
    /** why the row is not compliant (empty when compliant) */
    reasons: string[];
  }>;
}

export interface ProcoreProjectInfo {
  id: string;
  name: string;
  number: string | null;
  address: { line1: string | null; city: string | null; state: string | null; postalCode: string | null; country: string | null };
}
export interface ProcoreVendorInfo {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: ProcoreProjectInfo['address'];
}
export interface ProcoreCommitmentInfo {
  id: string;
  kind: 'subcontract' | 'purchase_order';
  number: string | null;
  title: string | null;
  status: string | null;
  amount: number | null;
  vendorId: string | null;
}

/** Everything the panel shows for one Procore record, in one response (one round trip on open). */
export interface PanelRecordState {
  view: 'commitment' | 'vendor';
  /** false when Procore answers 403 for the commitments tool: commitment actions are hidden. */
  commitmentsTool: boolean;
  project: { procore: ProcoreProjectInfo; link: LinkInfo | null };
  vendor: { procore: ProcoreVendorInfo; link: LinkInfo | null } | null;
  commitment: { procore: ProcoreCommitmentInfo; link: LinkInfo | null } | null;
  compliance: ComplianceView | null;
  /** Warnings that do not stop the panel (e.g. a linked myCOI record could not be read). */
  notices: string[];
}

export interface InsuranceSetOption {
  id: string;
  name: string;
  description: string | null;
}

export interface SearchCandidate {
  id: string;
  name: string;
  detail: string | null;
  /** Already linked to another Procore record: linking again is refused. */
  linkedTo: string | null;
}

const address = z
  .object({
    line1: optText(200),
    city: optText(100),
    state: optText(100),
    postalCode: optText(20),
    country: optText(2),
  })
  .nullish();

export const CreateRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('project'), projectId: procoreId, name: text(200), code: optText(100), address }),
  z.object({
    kind: z.literal('vendor'),
    projectId: procoreId,
    vendorId: procoreId,
    name: text(200),
    taxId: optText(50),
    email: z
      .email()
      .max(254)
      .nullish()
      .or(z.literal(''))
      .transform((v) => (v ? v : null)),
    phone: optText(50),
    address,
  }),
  z.object({
    kind: z.literal('commitment'),
    projectId: procoreId,
    commitmentId: procoreId,
    insuranceSetId: text(100),
    title: optText(300),
    contractId: optText(100),
    amount: z
      .number()
      .finite()
      .nullish()
      .transform((v) => v ?? null),
  }),
]);
export type CreateRequest = z.input<typeof CreateRequest>;
export type CreateBody = z.output<typeof CreateRequest>;

export const LinkRequest = z.object({
  kind: PanelKind,
  projectId: procoreId,
  procoreId: procoreId,
  mycoiId: text(100),
  /** Commitments only: the insurance set is the existing assignment's, so nothing else is needed. */
});
export type LinkRequest = z.infer<typeof LinkRequest>;

export const RefreshRequest = z.object({
  kind: z.enum(['vendor', 'commitment']),
  projectId: procoreId,
  procoreId: procoreId,
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export interface RefreshResult {
  queued: boolean;
  pushed: number | null;
  message: string;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
