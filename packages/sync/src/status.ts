import type { MycoiStatus, ProcoreInsuranceStatus } from './ports';

/**
 * myCOI's integration status model maps almost 1:1 onto Procore's seven informational statuses
 * (Procore's insurance fields). The phase (in progress / finalized) is kept: Procore has
 * an `_in_progress` variant for both compliant and non-compliant, and `undecided` is only ever an
 * in-progress state in myCOI.
 */
const TABLE: Record<MycoiStatus, ProcoreInsuranceStatus> = {
  finalized_compliant: 'compliant',
  finalized_non_compliant: 'non_compliant',
  in_progress_compliant: 'compliant_in_progress',
  in_progress_non_compliant: 'non_compliant_in_progress',
  in_progress_undecided: 'undecided',
  unregistered: 'unregistered',
  expired: 'expired',
};

export function mapStatus(status: MycoiStatus): ProcoreInsuranceStatus {
  return TABLE[status];
}

/** Procore Pay's per-commitment status only knows compliant / not_compliant. */
export function commitmentStatus(status: MycoiStatus): 'compliant' | 'not_compliant' {
  return status === 'finalized_compliant' || status === 'in_progress_compliant' ? 'compliant' : 'not_compliant';
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
