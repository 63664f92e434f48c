import { describe, expect, it } from 'vitest';
import { MYCOI_STATUSES, PROCORE_INSURANCE_STATUSES, commitmentStatus, lineStatus, mapStatus } from '../src';

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

  it('uses the line status before the record status', () => {
    expect(lineStatus('finalized_compliant', { status: 'finalized_non_compliant', expirationDate: null }, '2026-01-01')).toBe('non_compliant');
    expect(lineStatus('in_progress_undecided', { status: null, expirationDate: '2027-01-01' }, '2026-01-01')).toBe('undecided');
  });

  it('marks a lapsed policy expired whatever the review said, but not on its last day', () => {
    expect(lineStatus('finalized_compliant', { status: null, expirationDate: '2025-12-31' }, '2026-01-01')).toBe('expired');
    expect(lineStatus('finalized_compliant', { status: null, expirationDate: '2026-01-01' }, '2026-01-01')).toBe('compliant');
  });

  it('per-commitment status: compliant only when myCOI says compliant', () => {
    expect(MYCOI_STATUSES.filter((s) => commitmentStatus(s) === 'compliant')).toEqual(['finalized_compliant', 'in_progress_compliant']);
  });
});
