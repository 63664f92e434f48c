import { describe, expect, it } from 'vitest';
import {
  buildRows,
  canonicalJson,
  contentHash,
  isOurs,
  matchesDesired,
  primaryLimit,
  projectOriginId,
  rowHash,
  vendorOriginId,
  type MycoiComplianceRecord,
} from '../src';

const record = (over: Partial<MycoiComplianceRecord> = {}): MycoiComplianceRecord => ({
  level: 'vendor',
  vendorId: 'V1',
  vendorExternalId: null,
  vendorName: 'Acme',
  assignmentId: null,
  status: 'finalized_compliant',
  active: true,
  lastReviewedAt: '2026-03-04T10:00:00Z',
  infoReceived: true,
  deficiencies: ['Waiver of subrogation missing'],
  lines: [
    {
      key: 'gl',
      type: 'General Liability',
      carrier: 'Travelers',
      policyNumber: 'GL-1',
      effectiveDate: '2026-01-01',
      expirationDate: '2027-01-01',
      limits: [
        { label: 'General Aggregate', amount: 2_000_000 },
        { label: 'Each Occurrence', amount: 1_000_000 },
      ],
      status: null,
      exempt: false,
      deficiencies: [],
    },
    {
      key: 'gl',
      type: 'General Liability',
      carrier: 'Chubb',
      policyNumber: 'GL-2',
      effectiveDate: null,
      expirationDate: null,
      limits: [],
      status: 'in_progress_non_compliant',
      exempt: false,
      deficiencies: ['Limit too low'],
    },
  ],
  ...over,
});
const target = { vendorId: '501', originId: (k: string) => vendorOriginId('V1', k) };
const opts = { today: '2026-06-01', expiryNotifications: false };

describe('row builder', () => {
  it('builds one row per coverage line with our prefix and unique keys', () => {
    const rows = buildRows(record(), target, opts);
    expect(rows.map((r) => r.origin_id)).toEqual(['mycoi:v:v1:gl', 'mycoi:v:v1:gl~2']);
    expect(rows.every((r) => isOurs(r.origin_id))).toBe(true);
    expect(rows[0]).toMatchObject({
      vendor_id: '501',
      insurance_type: 'General Liability',
      name: 'Travelers',
      policy_number: 'GL-1',
      effective_date: '2026-01-01',
      expiration_date: '2027-01-01',
      limit: '1000000',
      status: 'compliant',
      info_received: true,
      exempt: false,
      enable_expired_insurance_notifications: false,
    });
    expect(rows[0]!.notes).toContain('Last reviewed by myCOI: 2026-03-04');
    expect(rows[0]!.notes).toContain('General Aggregate 2,000,000');
    expect(rows[0]!.notes).toContain('- Waiver of subrogation missing');
    expect(rows[1]).toMatchObject({ status: 'non_compliant_in_progress', limit: null });
    expect(rows[1]!.notes).toContain('- Limit too low');
  });

  it('takes the expiry-notification flag from the tenant setting', () => {
    expect(buildRows(record(), target, { ...opts, expiryNotifications: true })[0]!.enable_expired_insurance_notifications).toBe(true);
  });

  it('an inactive record wants no rows', () => {
    expect(buildRows(record({ active: false }), target, opts)).toEqual([]);
  });

  it('project-level origin ids carry the project and the assignment', () => {
    expect(projectOriginId('77', 'A9', 'gl')).toBe('mycoi:p:77:a:a9:gl');
    expect(isOurs('ABC123')).toBe(false);
    expect(isOurs(null)).toBe(false);
  });

  it('limit convention: primary limit as whole number, null when none or too long', () => {
    expect(primaryLimit([{ label: 'Combined Single Limit', amount: 1_000_000.4 }])).toBe('1000000');
    expect(
      primaryLimit([
        { label: 'Aggregate', amount: 5 },
        { label: 'Each Claim', amount: 3 },
      ]),
    ).toBe('3');
    expect(primaryLimit([])).toBeNull();
    expect(primaryLimit([{ label: 'x', amount: 1e18 }])).toBeNull();
  });

  it('hash is canonical (key order irrelevant) and content/scope sensitive', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 1 }] })).toBe('{"a":[{"c":1,"d":2}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    const [row] = buildRows(record(), target, opts);
    expect(rowHash(row!, 'company')).toBe(rowHash({ ...row! }, 'company'));
    expect(rowHash(row!, 'company')).not.toBe(rowHash({ ...row!, policy_number: 'GL-9' }, 'company'));
    expect(rowHash(row!, 'company')).not.toBe(rowHash(row!, 'project:1'));
  });

  it('reconcile comparison tolerates Procore normalisations but sees real edits', () => {
    const [row] = buildRows(record(), target, opts);
    const got = { ...row!, id: '9', name: undefined, insurance_provider: 'Travelers', limit: '1000000.0', vendor_id: '501' };
    expect(matchesDesired(row!, got)).toBe(true);
    expect(matchesDesired(row!, { ...got, status: 'expired' })).toBe(false);
    expect(matchesDesired(row!, { ...got, insurance_provider: 'Other' })).toBe(false);
    expect(matchesDesired(row!, { ...got, limit: '2000000' })).toBe(false);
  });
});
