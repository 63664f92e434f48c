import { contentHash } from './hash';
import type { InsuranceWrite, MycoiComplianceRecord, MycoiCoverageLine, MycoiLimit } from './ports';
import { lineStatus } from './status';

/** Every origin_id we write starts with this; rows without it are never changed or deleted. */
export const ORIGIN_PREFIX = 'mycoi:';

export function isOurs(originId: string | null | undefined): originId is string {
  return typeof originId === 'string' && originId.startsWith(ORIGIN_PREFIX);
}

function slug(s: string): string {
  return s.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
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
const STATUS_LABELS: Record<string, string> = {
  finalized_compliant: 'Compliant',
  finalized_non_compliant: 'Non-Compliant',
  in_progress_compliant: 'In Progress – Compliant',
  in_progress_non_compliant: 'In Progress – Non-Compliant',
  in_progress_undecided: 'In Progress – Undecided',
  unregistered: 'Unregistered',
  expired: 'Expired',
};

/** Deterministic notes (no "now" in them, or every cycle would see a change). */
export function buildNotes(record: MycoiComplianceRecord, line: MycoiCoverageLine): string {
  const parts: string[] = [];
  parts.push(`myCOI status: ${STATUS_LABELS[line.status ?? record.status] ?? record.status}.`);
  parts.push(`Last reviewed by myCOI: ${record.lastReviewedAt ? record.lastReviewedAt.slice(0, 10) : 'not yet reviewed'}.`);
  if (line.limits.length > 0) {
    parts.push(`Limits: ${line.limits.map((l) => `${l.label} ${Math.round(l.amount).toLocaleString('en-US')}`).join('; ')}.`);
  }
  const deficiencies = [...line.deficiencies, ...record.deficiencies];
  if (deficiencies.length > 0) parts.push(`Deficiencies:\n${deficiencies.map((d) => `- ${d}`).join('\n')}`);
  const notes = parts.join('\n');
  return notes.length <= NOTES_MAX ? notes : `${notes.slice(0, NOTES_MAX - 1)}…`;
}

export interface RowOptions {
  today: string; // YYYY-MM-DD, UTC
  expiryNotifications: boolean;
}

/** Line keys made unique within a record: a second line with the same key gets "~2", and so on. */
function lineKeys(lines: MycoiCoverageLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const base = slug(l.key);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  });
}

export function buildRows(
  record: MycoiComplianceRecord,
  target: { vendorId: string; originId: (lineKey: string) => string },
  opts: RowOptions,
): InsuranceWrite[] {
  if (!record.active) return [];
  const keys = lineKeys(record.lines);
  return record.lines.map((line, i) => ({
    origin_id: target.originId(keys[i]!),
    vendor_id: target.vendorId,
    insurance_type: line.type.trim() || 'Insurance',
    name: line.carrier?.trim() || null,
    policy_number: line.policyNumber?.trim() || null,
    effective_date: line.effectiveDate?.slice(0, 10) ?? null,
    expiration_date: line.expirationDate?.slice(0, 10) ?? null,
    limit: primaryLimit(line.limits),
    status: lineStatus(record.status, line, opts.today),
    notes: buildNotes(record, line),
    exempt: line.exempt,
    info_received: line.infoReceived ?? record.infoReceived,
    enable_expired_insurance_notifications: opts.expiryNotifications,
  }));
}

export function rowHash(row: InsuranceWrite, scopeKey: string): string {
  return contentHash({ scope: scopeKey, row });
}
