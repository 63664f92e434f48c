import type { MycoiComplianceRecord, MycoiCoverageLine, MycoiStatus, ProcoreInsuranceStatus } from './ports';
import { mapStatus } from './status';

/**
 * THE mapping from one myCOI compliance record to what Procore's Insurance tab shows for it. The
 * sync engine writes these rows (rows.ts) and the side panel API shows the same rows, so the two
 * can never disagree. The rule: Procore never looks better than myCOI.
 *
 * - Every coverage line is a row. Its status is the worse of the line's own status and the
 *   record's overall status, so a record myCOI calls non-compliant (or expired, unregistered,
 *   undecided) never shows a "compliant" row; the notes say both statuses and why.
 * - A line whose policy date has passed is `expired` whatever the last review said.
 * - A required coverage with no certificate is a row of its own with a non-compliant status: a
 *   myCOI line in state `missing`, or a record deficiency naming a coverage type the record has no
 *   line for.
 * - Record-level deficiencies (no line, no coverage type) are in every row's notes; a record with
 *   nothing else to show gets one "myCOI compliance" row carrying its overall status.
 */

/** Worst last: the order in which a status hides a better one. */
const SEVERITY: ProcoreInsuranceStatus[] = [
  'compliant',
  'compliant_in_progress',
  'undecided',
  'unregistered',
  'non_compliant_in_progress',
  'non_compliant',
  'expired',
];

export function worseStatus(a: ProcoreInsuranceStatus, b: ProcoreInsuranceStatus): ProcoreInsuranceStatus {
  return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
}

export const PROCORE_STATUS_LABELS: Record<ProcoreInsuranceStatus, string> = {
  compliant: 'Compliant',
  compliant_in_progress: 'Compliant – In Progress',
  undecided: 'Undecided',
  unregistered: 'Unregistered',
  non_compliant_in_progress: 'Non-Compliant – In Progress',
  non_compliant: 'Non-Compliant',
  expired: 'Expired',
};

export const MYCOI_STATUS_LABELS: Record<MycoiStatus, string> = {
  finalized_compliant: 'Compliant',
  finalized_non_compliant: 'Non-Compliant',
  in_progress_compliant: 'In Progress – Compliant',
  in_progress_non_compliant: 'In Progress – Non-Compliant',
  in_progress_undecided: 'In Progress – Undecided',
  unregistered: 'Unregistered',
  expired: 'Expired',
};

export type ComplianceRowKind = 'line' | 'missing_line' | 'missing_coverage' | 'record';

/** One row of Procore's Insurance tab for a record, before it is addressed to a scope. */
export interface ComplianceRow {
  /** unique within the record: the line key (deduplicated), `req-<type>`, or `record` */
  key: string;
  kind: ComplianceRowKind;
  type: string;
  line: MycoiCoverageLine | null;
  status: ProcoreInsuranceStatus;
  /** what myCOI says of this coverage alone (null for the record row) */
  ownStatus: ProcoreInsuranceStatus | null;
  /** why the row is not compliant, in plain words (empty when compliant) */
  reasons: string[];
  /** deficiency notes shown on the row (the line's, then the record's) */
  deficiencies: string[];
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

/** Line keys made unique within a record: a second line with the same key gets "~2", and so on. */
export function lineKeys(lines: MycoiCoverageLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const base = slug(l.key);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  });
}

/** Non-compliant in the record's phase: finalized reviews say so outright, the rest "in progress". */
function missingStatus(record: MycoiStatus): ProcoreInsuranceStatus {
  return record === 'finalized_non_compliant' || record === 'finalized_compliant' ? 'non_compliant' : 'non_compliant_in_progress';
}

const lapsed = (line: MycoiCoverageLine, today: string) => Boolean(line.expirationDate && line.expirationDate.slice(0, 10) < today);

export function complianceRows(record: MycoiComplianceRecord, today: string): ComplianceRow[] {
  if (!record.active) return [];
  const floor = mapStatus(record.status);
  const overall = MYCOI_STATUS_LABELS[record.status];
  const keys = lineKeys(record.lines);
  const rows: ComplianceRow[] = record.lines.map((line, i) => {
    const reasons: string[] = [];
    let own: ProcoreInsuranceStatus;
    if (lapsed(line, today)) {
      own = 'expired';
      reasons.push(`Policy expired on ${line.expirationDate!.slice(0, 10)}.`);
    } else if (line.missing) {
      own = mapStatus(line.status ?? record.status);
      reasons.push('Required by myCOI; no certificate on file.');
    } else {
      own = mapStatus(line.status ?? record.status);
      if (own !== 'compliant') reasons.push(`This coverage is ${MYCOI_STATUS_LABELS[line.status ?? record.status]} in myCOI.`);
    }
    const status = worseStatus(own, floor);
    if (status !== own) reasons.push(`myCOI's overall status is ${overall}.`);
    return {
      key: keys[i]!,
      kind: line.missing ? 'missing_line' : 'line',
      type: line.type.trim() || 'Insurance',
      line,
      status,
      ownStatus: own,
      reasons,
      deficiencies: [...line.deficiencies, ...record.deficiencies],
    };
  });
  const used = new Set(keys);
  for (const m of record.missingCoverages ?? []) {
    const key = `req-${slug(m.key)}`;
    if (used.has(key)) continue;
    used.add(key);
    const own = record.status === 'unregistered' ? floor : missingStatus(record.status);
    rows.push({
      key,
      kind: 'missing_coverage',
      type: m.type.trim() || 'Insurance',
      line: null,
      status: worseStatus(own, floor),
      ownStatus: own,
      reasons: ['Required by myCOI; no certificate on file.'],
      deficiencies: [...m.deficiencies, ...record.deficiencies],
    });
  }
  if (rows.length === 0) {
    rows.push({
      key: 'record',
      kind: 'record',
      type: 'myCOI compliance',
      line: null,
      status: floor,
      ownStatus: null,
      reasons: floor === 'compliant' ? [] : [`myCOI's overall status is ${overall}.`],
      deficiencies: [...record.deficiencies],
    });
  }
  return rows;
}

/** The status of the record as Procore shows it: the worst of its rows (never better than myCOI). */
export function procoreOverallStatus(record: MycoiComplianceRecord, today: string): ProcoreInsuranceStatus {
  return complianceRows(record, today).reduce<ProcoreInsuranceStatus>((acc, r) => worseStatus(acc, r.status), mapStatus(record.status));
}
