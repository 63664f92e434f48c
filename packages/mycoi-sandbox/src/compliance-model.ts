import type { ComplianceStatus, CoverageType, Limit, LimitKind, StatusCode } from './types';

export const STATUS_CODES: readonly StatusCode[] = [
  'finalized_compliant',
  'finalized_non_compliant',
  'in_progress_compliant',
  'in_progress_non_compliant',
  'in_progress_undecided',
  'unregistered',
  'expired',
];

/** myCOI's display labels (as seen in integrations such as Building Engines Prism). */
export function statusFromCode(code: StatusCode): ComplianceStatus {
  switch (code) {
    case 'finalized_compliant':
      return { kind: 'reviewed', review_state: 'finalized', outcome: 'compliant', label: 'Finalized; Compliant' };
    case 'finalized_non_compliant':
      return { kind: 'reviewed', review_state: 'finalized', outcome: 'non_compliant', label: 'Finalized; Non-Compliant' };
    case 'in_progress_compliant':
      return { kind: 'reviewed', review_state: 'in_progress', outcome: 'compliant', label: 'In-Progress; Compliant' };
    case 'in_progress_non_compliant':
      return { kind: 'reviewed', review_state: 'in_progress', outcome: 'non_compliant', label: 'In-Progress; Non-Compliant' };
    case 'in_progress_undecided':
      return { kind: 'reviewed', review_state: 'in_progress', outcome: 'undecided', label: 'In-Progress; Undecided' };
    case 'unregistered':
      return { kind: 'unregistered', label: 'Unregistered' };
    case 'expired':
      return { kind: 'expired', label: 'Expired' };
  }
}

export const COVERAGE_LABELS: Record<CoverageType, string> = {
  general_liability: 'General Liability',
  automobile_liability: 'Automobile Liability',
  umbrella_liability: 'Umbrella Liability',
  excess_liability: 'Excess Liability',
  workers_compensation: "Workers' Compensation",
  professional_liability: 'Professional Liability',
  pollution_liability: 'Pollution Liability',
  builders_risk: "Builder's Risk",
  other: 'Other',
};

/** Typical certificate limits per line, used by the seeds. */
export const TYPICAL_LIMITS: Record<CoverageType, Limit[]> = {
  general_liability: [
    { kind: 'each_occurrence', amount: 1_000_000 },
    { kind: 'general_aggregate', amount: 2_000_000 },
    { kind: 'products_completed_operations_aggregate', amount: 2_000_000 },
    { kind: 'personal_advertising_injury', amount: 1_000_000 },
    { kind: 'damage_to_rented_premises', amount: 100_000 },
    { kind: 'medical_expense', amount: 5_000 },
  ],
  automobile_liability: [{ kind: 'combined_single_limit', amount: 1_000_000 }],
  umbrella_liability: [
    { kind: 'each_occurrence', amount: 5_000_000 },
    { kind: 'aggregate', amount: 5_000_000 },
  ],
  excess_liability: [
    { kind: 'each_occurrence', amount: 5_000_000 },
    { kind: 'aggregate', amount: 5_000_000 },
  ],
  workers_compensation: [
    { kind: 'each_accident', amount: 1_000_000 },
    { kind: 'disease_each_employee', amount: 1_000_000 },
    { kind: 'disease_policy_limit', amount: 1_000_000 },
  ],
  professional_liability: [
    { kind: 'each_claim', amount: 2_000_000 },
    { kind: 'aggregate', amount: 2_000_000 },
  ],
  pollution_liability: [
    { kind: 'each_occurrence', amount: 2_000_000 },
    { kind: 'aggregate', amount: 2_000_000 },
  ],
  builders_risk: [{ kind: 'each_occurrence', amount: 5_000_000 }],
  other: [],
};

export const CARRIERS = ['Travelers', 'The Hartford', 'Liberty Mutual', 'Zurich', 'Chubb', 'CNA', 'Nationwide', 'State Fund'];

// Memoised: the generator asks for the same few hundred dates tens of thousands of times.
const dayCache = new Map<string, string>();

/** ISO date `days` after `isoDate` (YYYY-MM-DD). */
export function addDays(isoDate: string, days: number): string {
  const key = `${isoDate}|${days}`;
  let out = dayCache.get(key);
  if (out === undefined) {
    out = new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(key, out);
  }
  return out;
}

export const COVERAGE_TYPES = Object.keys(COVERAGE_LABELS) as [CoverageType, ...CoverageType[]];
export const LIMIT_KINDS = [
  'each_occurrence',
  'general_aggregate',
  'products_completed_operations_aggregate',
  'personal_advertising_injury',
  'damage_to_rented_premises',
  'medical_expense',
  'combined_single_limit',
  'bodily_injury_per_person',
  'bodily_injury_per_accident',
  'property_damage',
  'aggregate',
  'each_accident',
  'disease_each_employee',
  'disease_policy_limit',
  'each_claim',
] as const satisfies readonly LimitKind[];
