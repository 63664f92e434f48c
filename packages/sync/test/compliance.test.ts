import { describe, expect, it } from 'vitest';
import type { ComplianceRecord } from '@mycoi/mycoi';
import {
  buildRows,
  complianceRows,
  MYCOI_STATUSES,
  procoreComplianceView,
  procoreOverallStatus,
  toRecord,
  vendorOriginId,
  type MycoiStatus,
  type ProcoreInsuranceStatus,
} from '../src';

// The mapping myCOI record → Procore rows as a table: every myCOI overall status × every coverage
// line situation. The raw myCOI JSON goes through the real adapter (toRecord), so the table covers
// the whole path the engine and the side panel use. packages/sync/README.md shows the same table.

const TODAY = '2026-06-01';
type Raw = ComplianceRecord;
type RawLine = Raw['coverage_lines'][number];
type RawDeficiency = Raw['deficiencies'][number];

const RAW_STATUS: Record<MycoiStatus, Raw['status']> = {
  finalized_compliant: { kind: 'reviewed', review_state: 'finalized', outcome: 'compliant', label: 'Finalized; Compliant' },
  finalized_non_compliant: { kind: 'reviewed', review_state: 'finalized', outcome: 'non_compliant', label: 'Finalized; Non-Compliant' },
  in_progress_compliant: { kind: 'reviewed', review_state: 'in_progress', outcome: 'compliant', label: 'In-Progress; Compliant' },
  in_progress_non_compliant: {
    kind: 'reviewed',
    review_state: 'in_progress',
    outcome: 'non_compliant',
    label: 'In-Progress; Non-Compliant',
  },
  in_progress_undecided: { kind: 'reviewed', review_state: 'in_progress', outcome: 'undecided', label: 'In-Progress; Undecided' },
  unregistered: { kind: 'unregistered', label: 'Unregistered' },
  expired: { kind: 'expired', label: 'Expired' },
};

const line = (over: Partial<RawLine> = {}): RawLine => ({
  id: 'cl_gl',
  type: 'general_liability',
  type_label: 'General Liability',
  carrier: 'Travelers',
  policy_number: 'GL-1',
  effective_date: '2026-01-01',
  expiration_date: '2027-01-01',
  limits: [{ kind: 'each_occurrence', amount: 1_000_000 }],
  status: 'compliant',
  additional_insured: true,
  waiver_of_subrogation: true,
  ...over,
});
const deficiency = (over: Partial<RawDeficiency>): RawDeficiency => ({
  id: 'def_1',
  coverage_line_id: null,
  coverage_type: null,
  requirement: 'Requirement',
  note: 'Note',
  visible_to_vendor: true,
  created_at: '2026-05-01T00:00:00Z',
  ...over,
});
const raw = (status: MycoiStatus, lines: RawLine[], deficiencies: RawDeficiency[] = []): Raw => ({
  id: 'cr_1',
  account_id: 'acc',
  level: 'vendor',
  vendor_id: 'ven_1',
  assignment_id: null,
  division_id: null,
  insurance_set_id: null,
  status: RAW_STATUS[status],
  coverage_lines: lines,
  deficiencies,
  notices: [],
  version: 1,
  updated_at: '2026-05-01T00:00:00Z',
  last_reviewed_at: '2026-05-01T00:00:00Z',
});

// Situations: what the record holds besides its overall status. `row` picks the row under test.
interface Situation {
  lines: RawLine[];
  deficiencies?: RawDeficiency[];
  row: string;
}
const SITUATIONS: Record<string, Situation> = {
  'line compliant': { lines: [line()], row: 'cl_gl' },
  'line non-compliant': { lines: [line({ status: 'non_compliant' })], row: 'cl_gl' },
  'line pending review': { lines: [line({ status: 'pending_review' })], row: 'cl_gl' },
  'line missing (no certificate)': { lines: [line({ status: 'missing', carrier: null, policy_number: null, limits: [] })], row: 'cl_gl' },
  'line expired in myCOI': { lines: [line({ status: 'expired' })], row: 'cl_gl' },
  'line compliant, date lapsed': { lines: [line({ expiration_date: '2026-05-31' })], row: 'cl_gl' },
  'required coverage, no line': {
    lines: [line()],
    deficiencies: [
      deficiency({ coverage_type: 'pollution_liability', requirement: 'Pollution Liability required', note: 'No certificate received' }),
    ],
    row: 'req-pollution_liability',
  },
  'no lines at all': { lines: [], row: 'record' },
};

type Col = Record<MycoiStatus, ProcoreInsuranceStatus>;
const C = 'compliant',
  CIP = 'compliant_in_progress',
  NC = 'non_compliant',
  NCIP = 'non_compliant_in_progress',
  U = 'undecided',
  UR = 'unregistered',
  EX = 'expired';
const col = (fc: string, fn: string, ic: string, inc: string, iu: string, ur: string, ex: string) =>
  ({
    finalized_compliant: fc,
    finalized_non_compliant: fn,
    in_progress_compliant: ic,
    in_progress_non_compliant: inc,
    in_progress_undecided: iu,
    unregistered: ur,
    expired: ex,
  }) as Col;

// prettier-ignore
const EXPECTED: Record<string, Col> = {
  //                                   fin. compl. fin. non-c. in-pr. compl. in-pr. non-c. in-pr. undec. unregistered expired
  'line compliant':                col(C,          NC,         CIP,          NCIP,          U,            UR,          EX),
  'line non-compliant':            col(NC,         NC,         NCIP,         NCIP,          NCIP,         UR,          EX),
  'line pending review':           col(U,          NC,         U,            NCIP,          U,            UR,          EX),
  'line missing (no certificate)': col(NC,         NC,         NCIP,         NCIP,          NCIP,         UR,          EX),
  'line expired in myCOI':         col(EX,         EX,         EX,           EX,            EX,           EX,          EX),
  'line compliant, date lapsed':   col(EX,         EX,         EX,           EX,            EX,           EX,          EX),
  'required coverage, no line':    col(NC,         NC,         NCIP,         NCIP,          NCIP,         UR,          EX),
  'no lines at all':               col(C,          NC,         CIP,          NCIP,          U,            UR,          EX),
};

const SEVERITY: ProcoreInsuranceStatus[] = [C, CIP, U, UR, NCIP, NC, EX];

describe('myCOI compliance record → Procore rows (the table)', () => {
  for (const [name, sit] of Object.entries(SITUATIONS)) {
    for (const status of MYCOI_STATUSES) {
      it(`${status} × ${name} → ${EXPECTED[name]![status]}`, () => {
        const record = toRecord(raw(status, sit.lines, sit.deficiencies));
        const rows = complianceRows(record, TODAY);
        const row = rows.find((r) => r.key === sit.row);
        expect(row?.status).toBe(EXPECTED[name]![status]);
        // Procore never looks better than myCOI: no row, and not the overall view, beats the record's status
        const floor = SEVERITY.indexOf(EXPECTED['no lines at all']![status]);
        for (const r of rows) expect(SEVERITY.indexOf(r.status)).toBeGreaterThanOrEqual(floor);
        expect(SEVERITY.indexOf(procoreOverallStatus(record, TODAY))).toBeGreaterThanOrEqual(floor);
        // a row that is not compliant says why, in the notes Procore shows
        const written = buildRows(
          record,
          { vendorId: '501', originId: (k) => vendorOriginId('ven_1', k) },
          { today: TODAY, expiryNotifications: false },
        );
        expect(written.map((w) => w.status)).toEqual(rows.map((r) => r.status));
        if (row!.status !== 'compliant') expect(row!.reasons.length).toBeGreaterThan(0);
        // the side panel's view is built from the same rows: it shows what Procore shows
        const panel = procoreComplianceView(record, TODAY);
        expect(panel.rows.map((r) => [r.key, r.status])).toEqual(written.map((w) => [w.origin_id.split(':').pop(), w.status]));
        expect(panel.status).toBe(procoreOverallStatus(record, TODAY));
      });
    }
  }
});

describe('what a Procore reader sees and why', () => {
  it('the README example: finalized non-compliant over four compliant lines shows four non-compliant rows saying why', () => {
    const lines = ['general_liability', 'automobile_liability', 'umbrella_liability', 'workers_compensation'].map((t, i) =>
      line({ id: `cl_${i}`, type: t as RawLine['type'], type_label: t }),
    );
    const rows = buildRows(
      toRecord(raw('finalized_non_compliant', lines)),
      { vendorId: '501', originId: (k) => vendorOriginId('ven_1', k) },
      { today: TODAY, expiryNotifications: false },
    );
    expect(rows.map((r) => r.status)).toEqual([NC, NC, NC, NC]);
    for (const r of rows) {
      expect(r.notes).toContain('myCOI status: Non-Compliant.');
      expect(r.notes).toContain('This coverage alone: Compliant.');
      expect(r.notes).toContain("myCOI's overall status is Non-Compliant.");
    }
  });

  it('expired is never "compliant_in_progress"', () => {
    for (const s of ['compliant', 'pending_review', 'non_compliant', 'missing'] as const) {
      const rows = complianceRows(toRecord(raw('expired', [line({ status: s })])), TODAY);
      expect(rows.map((r) => r.status)).toEqual([EX]);
    }
  });

  it('a record-level deficiency is on every row; a required coverage without a certificate is a row of its own', () => {
    const rec = toRecord(
      raw(
        'finalized_non_compliant',
        [line()],
        [
          deficiency({ id: 'd1', requirement: 'Additional insured endorsement', note: 'Missing on certificate' }),
          deficiency({ id: 'd2', coverage_type: 'workers_compensation', requirement: "Workers' comp required", note: 'None on file' }),
          deficiency({ id: 'd3', coverage_type: 'general_liability', requirement: 'GL limit', note: 'Too low' }),
        ],
      ),
    );
    const rows = buildRows(
      rec,
      { vendorId: '501', originId: (k) => vendorOriginId('ven_1', k) },
      { today: TODAY, expiryNotifications: true },
    );
    expect(rows.map((r) => [r.origin_id, r.insurance_type, r.status, r.policy_number, r.info_received])).toEqual([
      ['mycoi:v:ven_1:cl_gl', 'General Liability', NC, 'GL-1', true],
      ['mycoi:v:ven_1:req-workers_compensation', 'Workers Compensation', NC, null, false],
    ]);
    expect(rows[0]!.notes).toContain('- Additional insured endorsement: Missing on certificate');
    expect(rows[0]!.notes).toContain('- GL limit: Too low'); // typed deficiency of an existing line goes to that line
    expect(rows[1]!.notes).toContain('Required by myCOI; no certificate on file.');
    expect(rows[1]!.notes).toContain("- Workers' comp required: None on file");
    expect(rows[1]!.notes).toContain('- Additional insured endorsement: Missing on certificate');
    expect(rows.every((r) => r.enable_expired_insurance_notifications)).toBe(true);
  });

  it('a record with no lines but a record-level deficiency shows it on its one row', () => {
    const rows = buildRows(
      toRecord(raw('in_progress_non_compliant', [], [deficiency({ requirement: 'W-9', note: 'Not received' })])),
      { vendorId: '501', originId: (k) => vendorOriginId('ven_1', k) },
      { today: TODAY, expiryNotifications: false },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ origin_id: 'mycoi:v:ven_1:record', insurance_type: 'myCOI compliance', status: NCIP });
    expect(rows[0]!.notes).toContain('- W-9: Not received');
  });

  it('an unchanged record builds byte-identical rows (no clock in the notes)', () => {
    const rec = toRecord(raw('finalized_non_compliant', [line()]));
    const t = { vendorId: '501', originId: (k: string) => vendorOriginId('ven_1', k) };
    expect(buildRows(rec, t, { today: TODAY, expiryNotifications: false })).toEqual(
      buildRows(rec, t, { today: TODAY, expiryNotifications: false }),
    );
  });
});
