import { MycoiApiError, MycoiDuplicateError, type ComplianceRecord, type MycoiClient, type Vendor } from '@mycoi/mycoi';
import type { MycoiComplianceRecord, MycoiPort, MycoiStatus, MycoiVendor } from '../ports';

const FEED_LIMIT = 100;

type RecordStatus = ComplianceRecord['status'];
type LineStatus = ComplianceRecord['coverage_lines'][number]['status'];

/** myCOI's overall status (kind × review state × outcome) → the engine's seven-value model. */
export function recordStatus(s: RecordStatus): MycoiStatus {
  if (s.kind === 'unregistered' || s.kind === 'expired') return s.kind;
  if (s.review_state === 'finalized') return s.outcome === 'compliant' ? 'finalized_compliant' : 'finalized_non_compliant';
  return s.outcome === 'compliant'
    ? 'in_progress_compliant'
    : s.outcome === 'non_compliant'
      ? 'in_progress_non_compliant'
      : 'in_progress_undecided';
}

/**
 * A coverage line's own status, read with the record's review state: a line myCOI marks compliant
 * is "compliant" once the review is finalized and "compliant – in progress" before; a missing line
 * is non-compliant; a line awaiting review is undecided. An unregistered vendor's lines carry the
 * record's `unregistered` (null = use the record status) unless they lapsed.
 */
export function lineStatusOf(line: LineStatus, rec: RecordStatus): MycoiStatus | null {
  if (line === 'expired') return 'expired';
  if (rec.kind === 'unregistered') return null;
  const finalized = rec.kind === 'reviewed' && rec.review_state === 'finalized';
  switch (line) {
    case 'compliant':
      return finalized ? 'finalized_compliant' : 'in_progress_compliant';
    case 'non_compliant':
    case 'missing':
      return finalized ? 'finalized_non_compliant' : 'in_progress_non_compliant';
    case 'pending_review':
      return 'in_progress_undecided';
  }
}

const label = (kind: string) =>
  kind
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

export function toRecord(r: ComplianceRecord): MycoiComplianceRecord {
  const byLine = new Map<string, string[]>();
  const lineTypes = new Map(r.coverage_lines.map((l) => [l.type, l.id] as const));
  const missing = new Map<string, string[]>();
  const general: string[] = [];
  for (const d of r.deficiencies) {
    const text = `${d.requirement}: ${d.note}`;
    // a deficiency naming a coverage type belongs to that type's line; with no such line it is a
    // required coverage without a certificate (a row of its own, see compliance.ts)
    const lineId = d.coverage_line_id ?? (d.coverage_type ? lineTypes.get(d.coverage_type) : undefined);
    if (lineId) byLine.set(lineId, [...(byLine.get(lineId) ?? []), text]);
    else if (d.coverage_type) missing.set(d.coverage_type, [...(missing.get(d.coverage_type) ?? []), text]);
    else general.push(text);
  }
  const lines = r.coverage_lines.map((l) => ({
    key: l.id,
    type: l.type_label || label(l.type),
    carrier: l.carrier,
    policyNumber: l.policy_number,
    effectiveDate: l.effective_date,
    expirationDate: l.expiration_date,
    limits: l.limits.map((x) => ({ label: label(x.kind), amount: x.amount })),
    status: lineStatusOf(l.status, r.status),
    exempt: false,
    infoReceived: l.status !== 'missing' && Boolean(l.carrier || l.policy_number),
    deficiencies: byLine.get(l.id) ?? [],
    missing: l.status === 'missing',
  }));
  return {
    level: r.level,
    vendorId: r.vendor_id,
    vendorExternalId: null,
    vendorName: null,
    assignmentId: r.assignment_id,
    status: recordStatus(r.status),
    active: true,
    lastReviewedAt: r.last_reviewed_at,
    infoReceived: lines.some((l) => l.infoReceived),
    deficiencies: general,
    lines,
    missingCoverages: [...missing].map(([type, deficiencies]) => ({ key: type, type: label(type), deficiencies })),
  };
}

const vendorOf = (v: Vendor): MycoiVendor => ({ id: v.id, name: v.name, externalId: v.external_id, taxId: v.tax_id });

async function orNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MycoiApiError && err.status === 404) return null;
    throw err;
  }
}

export function mycoiPort(client: MycoiClient): MycoiPort {
  return {
    async compliancePage(cursor) {
      const page = await client.listCompliance({ ...(cursor ? { cursor } : {}), limit: FEED_LIMIT });
      return {
        records: page.records.map(toRecord),
        cursor: page.cursor,
        hasMore: page.hasMore,
        skipped: page.invalid.map((i) => ({ ref: `compliance:${i.id ?? '?'}`, reason: i.issues.slice(0, 3).join('; ') })),
      };
    },
    vendorCompliance: (id) => orNull(async () => toRecord(await client.getVendorCompliance(id))),
    assignmentCompliance: (id) => orNull(async () => toRecord(await client.getAssignmentCompliance(id))),
    getVendor: (id) => orNull(async () => vendorOf(await client.getVendor(id))),
    getAssignment: (id) =>
      orNull(async () => {
        const a = await client.getAssignment(id);
        return { id: a.id, vendorId: a.vendor_id, externalId: a.external_id };
      }),
    async findVendorByExternalId(externalId) {
      const page = await client.listVendors({ externalId, limit: 1 });
      return page.items[0] ? vendorOf(page.items[0]) : null;
    },
    async findAssignmentByExternalId(externalId) {
      const a = (await client.listAssignments({ externalId, limit: 1 })).items[0];
      return a ? { id: a.id, vendorId: a.vendor_id, externalId: a.external_id } : null;
    },
    async findDivisionByExternalId(externalId) {
      const d = (await client.listDivisions({ externalId, limit: 1 })).items[0];
      return d ? { id: d.id } : null;
    },
    async searchVendors(name) {
      return (await client.listVendors({ q: name, limit: 50 })).items.map(vendorOf);
    },
    async createVendor({ name, externalId, taxId }) {
      try {
        // the key makes a retried or repeated create (e.g. after a crash) return the same vendor
        return vendorOf(
          await client.createVendor({ name, external_id: externalId, tax_id: taxId }, { idempotencyKey: `procore-vendor-${externalId}` }),
        );
      } catch (err) {
        if (err instanceof MycoiDuplicateError) return vendorOf(err.existing as Vendor);
        throw err;
      }
    },
  };
}
