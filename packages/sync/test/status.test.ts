import { describe, expect, it } from 'vitest';
import { MYCOI_STATUSES, PROCORE_INSURANCE_STATUSES, commitmentStatus, complianceRows, mapStatus } from '../src';

describe('myCOI → Procore status mapping', () => {
  it.each([
    ['finalized_compliant', 'compliant'],
    ['finalized_non_compliant', 'non_compliant'],
    ['in_progress_compliant', 'compliant_in_progress'],
    ['in_progress_non_compliant', 'non_compliant_in_progress'],
    ['in_progress_undecided', 'undecided'],
    ['unregistered', 'unregistered'],
    ['expired', 'expired'],
  ] as const)('%s → %s', (from, to) => {
    expect(mapStatus(from)).toBe(to);
  });

  it('covers every myCOI status and reaches all seven Procore values exactly once', () => {
    const images = MYCOI_STATUSES.map(mapStatus);
    expect(new Set(images)).toEqual(new Set(PROCORE_INSURANCE_STATUSES));
    expect(images).toHaveLength(7);
  });

  it('a lapsed policy is expired whatever the review said, but not on its last day (compliance.ts)', () => {
    const rec = (expirationDate: string) => ({
      level: 'vendor' as const,
      vendorId: 'V',
      vendorExternalId: null,
      vendorName: null,
      assignmentId: null,
      status: 'finalized_compliant' as const,
      active: true,
      lastReviewedAt: null,
      infoReceived: true,
      deficiencies: [],
      lines: [
        {
          key: 'gl',
          type: 'GL',
          carrier: null,
          policyNumber: null,
          effectiveDate: null,
          expirationDate,
          limits: [],
          status: null,
          exempt: false,
          deficiencies: [],
        },
      ],
    });
    expect(complianceRows(rec('2025-12-31'), '2026-01-01')[0]!.status).toBe('expired');
    expect(complianceRows(rec('2026-01-01'), '2026-01-01')[0]!.status).toBe('compliant');
  });

  it('per-commitment status: compliant only when myCOI says compliant', () => {
    expect(MYCOI_STATUSES.filter((s) => commitmentStatus(s) === 'compliant')).toEqual(['finalized_compliant', 'in_progress_compliant']);
  });
});
