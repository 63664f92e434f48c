import { addDays, CARRIERS, COVERAGE_LABELS, TYPICAL_LIMITS } from '../compliance-model';
import type { CoverageLine, CoverageType, DeficiencyNote, LineStatus, Limit, Requirement } from '../types';

export interface LineSpec {
  type: CoverageType;
  status?: LineStatus;
  /** Days from the seed's as-of date to the policy's effective date (negative = in the past). */
  effectiveOffsetDays?: number;
  limits?: Limit[];
  carrierIndex?: number;
  additionalInsured?: boolean;
}

const POLICY_PREFIX: Record<CoverageType, string> = {
  general_liability: 'GL',
  automobile_liability: 'AL',
  umbrella_liability: 'UMB',
  excess_liability: 'XS',
  workers_compensation: 'WC',
  professional_liability: 'PL',
  pollution_liability: 'POL',
  builders_risk: 'BR',
  other: 'OT',
};

/** One realistic certificate line: one-year policy, typical limits, a carrier from the list. */
export function line(ownerId: string, index: number, asOf: string, spec: LineSpec): CoverageLine {
  const effective = addDays(asOf, spec.effectiveOffsetDays ?? -120);
  const wc = spec.type === 'workers_compensation';
  return {
    id: `cov_${ownerId}_${index + 1}`,
    type: spec.type,
    type_label: COVERAGE_LABELS[spec.type],
    carrier: CARRIERS[(spec.carrierIndex ?? index) % CARRIERS.length] ?? null,
    policy_number: `${POLICY_PREFIX[spec.type]}-${ownerId.replace(/\W/g, '').toUpperCase().slice(-6)}-${index + 1}`,
    effective_date: effective,
    expiration_date: addDays(effective, 365),
    limits: spec.limits ?? TYPICAL_LIMITS[spec.type],
    status: spec.status ?? 'compliant',
    additional_insured: wc ? null : (spec.additionalInsured ?? true),
    waiver_of_subrogation: true,
  };
}

export function requirement(type: CoverageType, limits?: Limit[], additionalInsured = type !== 'workers_compensation'): Requirement {
  return {
    coverage_type: type,
    minimum_limits: limits ?? TYPICAL_LIMITS[type],
    additional_insured: additionalInsured,
    waiver_of_subrogation: true,
  };
}

export function deficiency(id: string, l: CoverageLine | null, requirementText: string, note: string, createdAt: string): DeficiencyNote {
  return {
    id,
    coverage_line_id: l?.id ?? null,
    coverage_type: l?.type ?? null,
    requirement: requirementText,
    note,
    visible_to_vendor: true,
    created_at: createdAt,
  };
}
