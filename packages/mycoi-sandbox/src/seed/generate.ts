import { addDays } from '../compliance-model';
import type { SandboxStore } from '../store';
import type { CoverageType, StatusCode } from '../types';
import { deficiency, line, requirement } from './lines';

export interface GeneratorOptions {
  accountId?: string;
  name?: string;
  clientId?: string;
  clientSecret?: string;
  divisions?: number;
  vendors?: number;
  linesPerVendor?: number;
  assignments?: number;
  /** external_id of the first vendor / division / assignment; the rest count up. */
  vendorExternalIdStart?: number;
  divisionExternalIdStart?: number;
  assignmentExternalIdStart?: number;
}

const TYPES: CoverageType[] = [
  'general_liability',
  'automobile_liability',
  'umbrella_liability',
  'workers_compensation',
  'professional_liability',
  'pollution_liability',
  'excess_liability',
  'builders_risk',
];
// A realistic mix: most finalized compliant, a tail of problems.
const MIX: StatusCode[] = [
  'finalized_compliant',
  'finalized_compliant',
  'finalized_compliant',
  'finalized_compliant',
  'in_progress_compliant',
  'finalized_non_compliant',
  'in_progress_undecided',
  'in_progress_non_compliant',
  'expired',
  'unregistered',
];

/**
 * A large deterministic tenant (default 2,000 vendors × 4 lines, 4,000 assignments). Records are
 * built directly in the store without events; updated_at values are one second apart so the feed
 * has a long, stable order (every 100th record repeats the previous timestamp, to exercise id ties).
 */
export function generateTenant(store: SandboxStore, asOf: string, o: GeneratorOptions = {}): string {
  const accountId = o.accountId ?? 'acct-large';
  const nDiv = o.divisions ?? 50,
    nVen = o.vendors ?? 2000,
    nLines = Math.min(o.linesPerVendor ?? 4, TYPES.length);
  const nAsg = o.assignments ?? 4000;
  store.addAccount(
    { id: accountId, name: o.name ?? 'Large GC' },
    { clientId: o.clientId ?? 'large-mycoi-client', clientSecret: o.clientSecret ?? 'large-mycoi-secret' },
  );
  const base = Date.parse(`${addDays(asOf, -120)}T00:00:00.000Z`);
  const stamp = (i: number) => new Date(base + (i % 100 === 99 ? i - 1 : i) * 1000).toISOString();
  const types = TYPES.slice(0, nLines);
  const setId = `set_${accountId}_std`;
  store.addInsuranceSet({
    id: setId,
    account_id: accountId,
    name: 'Standard Subcontractor',
    description: null,
    requirements: types.map((t) => requirement(t)),
    created_at: stamp(0),
    updated_at: stamp(0),
  });
  const divIds: string[] = [];
  for (let i = 0; i < nDiv; i++) {
    divIds.push(
      store.addDivision(
        accountId,
        {
          id: `div_${accountId}_${i + 1}`,
          name: `Project ${String(i + 1).padStart(4, '0')}`,
          code: `G-${i + 1}`,
          external_id: String((o.divisionExternalIdStart ?? 60001) + i),
        },
        stamp(0),
      ).id,
    );
  }
  const venIds: string[] = [];
  let t = 1;
  const compliance = (owner: string, i: number) => {
    const code = MIX[i % MIX.length]!;
    const lines =
      code === 'unregistered'
        ? []
        : types.map((type, k) =>
            line(owner, k, asOf, {
              type,
              carrierIndex: i + k,
              status:
                code === 'expired' && k === 0
                  ? 'expired'
                  : code.endsWith('non_compliant') && k === 0
                    ? 'non_compliant'
                    : code === 'in_progress_undecided'
                      ? 'pending_review'
                      : 'compliant',
              effectiveOffsetDays: code === 'expired' && k === 0 ? -400 : -((i * 7) % 300),
            }),
          );
    const deficiencies =
      code.endsWith('non_compliant') && lines[0]
        ? [deficiency(`def_${owner}_1`, lines[0], 'General Liability each occurrence $1,000,000', 'Limit below requirement', stamp(t))]
        : [];
    return { status: code, coverage_lines: lines, deficiencies, last_reviewed_at: code.startsWith('finalized') ? stamp(t) : null };
  };
  for (let i = 0; i < nVen; i++) {
    const id = `ven_${accountId}_${i + 1}`;
    venIds.push(
      store.addVendor(
        accountId,
        {
          id,
          name: `Vendor ${String(i + 1).padStart(5, '0')} ${['Electric', 'Concrete', 'Steel', 'Plumbing', 'Roofing'][i % 5]}`,
          tax_id: `90-${String(1000000 + i)}`,
          external_id: String((o.vendorExternalIdStart ?? 100001) + i),
          registered: MIX[i % MIX.length] !== 'unregistered',
          contacts: [{ name: 'Office', email: `office@v${i + 1}.test`, phone: null, kind: 'primary' }],
        },
        stamp(t++),
        compliance(id, i),
      ).id,
    );
  }
  for (let i = 0; i < nAsg && venIds.length && divIds.length; i++) {
    const id = `asg_${accountId}_${i + 1}`;
    store.addAssignment(
      accountId,
      {
        id,
        vendor_id: venIds[i % venIds.length]!,
        division_id: divIds[i % divIds.length]!,
        insurance_set_id: setId,
        contract_id: `SC-${i + 1}`,
        external_id: String((o.assignmentExternalIdStart ?? 1000001) + i),
        title: `Commitment ${i + 1}`,
        amount: 10000 + (i % 97) * 1000,
      },
      stamp(t++),
      compliance(id, i + 3),
    );
  }
  return accountId;
}
