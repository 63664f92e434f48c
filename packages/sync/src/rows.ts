import { contentHash } from './hash';
import { complianceRows, MYCOI_STATUS_LABELS, PROCORE_STATUS_LABELS, type ComplianceRow } from './compliance';
import type { InsuranceWrite, MycoiComplianceRecord, MycoiLimit } from './ports';

/** Every origin_id we write starts with this; rows without it are never changed or deleted. */
export const ORIGIN_PREFIX = 'mycoi:';

export function isOurs(originId: string | null | undefined): originId is string {
  return typeof originId === 'string' && originId.startsWith(ORIGIN_PREFIX);
}

function slug(s: string): string {
  return (
    s
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/** Company Directory row of one vendor's coverage line. */
export function vendorOriginId(mycoiVendorId: string, lineKey: string): string {
  return `${ORIGIN_PREFIX}v:${slug(mycoiVendorId)}:${lineKey}`;
}

/**
 * Project Directory row of one assignment's coverage line. origin_id is unique per Procore company,
 * so it carries the project; it also carries the assignment so that one vendor's two commitments on
 * one project keep separate rows (their compliance can differ).
 */
export function projectOriginId(projectId: string, assignmentId: string, lineKey: string): string {
  return `${ORIGIN_PREFIX}p:${slug(projectId)}:a:${slug(assignmentId)}:${lineKey}`;
}

export function commitmentStatusKey(commitmentId: string): string {
  return `${ORIGIN_PREFIX}cs:${slug(commitmentId)}`;
}

// Procore's Limit Amount is one field of at most 17 characters. Convention: it holds the line's
// primary limit as a whole-number amount ("1000000"), chosen by the first label below that the line
// has (else the line's first limit); every limit of the line is listed in the notes.
const PRIMARY_LIMIT_LABELS = [/each occurrence|per occurrence/i, /combined single/i, /each accident/i, /each claim/i, /aggregate/i];
const LIMIT_MAX_CHARS = 17;

export function primaryLimit(limits: MycoiLimit[]): string | null {
  if (limits.length === 0) return null;
  const chosen = PRIMARY_LIMIT_LABELS.map((re) => limits.find((l) => re.test(l.label))).find(Boolean) ?? limits[0]!;
  const text = String(Math.round(chosen.amount));
  return text.length <= LIMIT_MAX_CHARS ? text : null;
}

const NOTES_MAX = 2000;

/**
 * Deterministic notes (no "now" in them, or every cycle would see a change): myCOI's overall
 * status, this coverage's own status when it differs, why the row is not compliant, the review
 * date, every limit and the deficiency notes.
 */
export function buildNotes(record: MycoiComplianceRecord, row: ComplianceRow): string {
  const parts: string[] = [];
  parts.push(`myCOI status: ${MYCOI_STATUS_LABELS[record.status]}.`);
  if (row.ownStatus && row.ownStatus !== row.status) parts.push(`This coverage alone: ${PROCORE_STATUS_LABELS[row.ownStatus]}.`);
  for (const r of row.reasons) parts.push(r);
  parts.push(`Last reviewed by myCOI: ${record.lastReviewedAt ? record.lastReviewedAt.slice(0, 10) : 'not yet reviewed'}.`);
  const limits: MycoiLimit[] = row.line?.limits ?? [];
  if (limits.length > 0) {
    parts.push(`Limits: ${limits.map((l) => `${l.label} ${Math.round(l.amount).toLocaleString('en-US')}`).join('; ')}.`);
  }
  if (row.deficiencies.length > 0) parts.push(`Deficiencies:\n${row.deficiencies.map((d) => `- ${d}`).join('\n')}`);
  const notes = parts.join('\n');
  return notes.length <= NOTES_MAX ? notes : `${notes.slice(0, NOTES_MAX - 1)}…`;
}

export interface RowOptions {
  today: string; // YYYY-MM-DD, UTC
  expiryNotifications: boolean;
}

/** The Procore rows of one record (compliance.ts decides what they say), addressed to one vendor. */
export function buildRows(
  record: MycoiComplianceRecord,
  target: { vendorId: string; originId: (lineKey: string) => string },
  opts: RowOptions,
): InsuranceWrite[] {
  return complianceRows(record, opts.today).map((row) => {
    const line = row.line;
    return {
      origin_id: target.originId(row.key),
      vendor_id: target.vendorId,
      insurance_type: row.type,
      name: line?.carrier?.trim() || null,
      policy_number: line?.policyNumber?.trim() || null,
      effective_date: line?.effectiveDate?.slice(0, 10) ?? null,
      expiration_date: line?.expirationDate?.slice(0, 10) ?? null,
      limit: line ? primaryLimit(line.limits) : null,
      status: row.status,
      notes: buildNotes(record, row),
      exempt: line?.exempt ?? false,
      info_received: line ? (line.infoReceived ?? record.infoReceived) : false,
      enable_expired_insurance_notifications: opts.expiryNotifications,
    };
  });
}

export function rowHash(row: InsuranceWrite, scopeKey: string): string {
  return contentHash({ scope: scopeKey, row });
}
