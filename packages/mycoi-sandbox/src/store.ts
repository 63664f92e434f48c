import { MonotonicClock } from './clock';
import { statusFromCode } from './compliance-model';
import type {
  Account,
  AccountCredentials,
  Address,
  Assignment,
  ComplianceRecord,
  ComplianceStatus,
  Contact,
  CoverageLine,
  DeficiencyNote,
  Division,
  InsuranceSet,
  Notice,
  StatusCode,
  UserRecord,
  Vendor,
} from './types';

export interface DivisionInput {
  id?: string;
  name: string;
  code?: string | null;
  external_id?: string | null;
  address?: Address | null;
  active?: boolean;
}
export interface VendorInput {
  id?: string;
  name: string;
  tax_id?: string | null;
  external_id?: string | null;
  address?: Address | null;
  contacts?: Contact[];
  registered?: boolean;
}
export interface AssignmentInput {
  id?: string;
  vendor_id: string;
  division_id: string;
  insurance_set_id: string;
  contract_id?: string | null;
  external_id?: string | null;
  title?: string | null;
  amount?: number | null;
}
/** A change of a compliance record; omitted fields stay as they are. */
export interface ComplianceChange {
  status?: StatusCode | ComplianceStatus;
  coverage_lines?: CoverageLine[];
  deficiencies?: DeficiencyNote[];
  notices?: Notice[];
  last_reviewed_at?: string | null;
}
export type ComplianceListener = (record: ComplianceRecord) => void;

/** Every table keeps insertion order, which is also the list order of the API. */
class Table<T extends { id: string; account_id: string }> {
  readonly rows: T[] = [];
  readonly byId = new Map<string, T>();
  add(row: T): T {
    if (this.byId.has(row.id)) throw new Error(`duplicate id ${row.id}`);
    this.rows.push(row);
    this.byId.set(row.id, row);
    return row;
  }
  get(accountId: string, id: string): T | undefined {
    const row = this.byId.get(id);
    return row && row.account_id === accountId ? row : undefined;
  }
  ofAccount(accountId: string): T[] {
    return this.rows.filter((r) => r.account_id === accountId);
  }
}

export class SandboxStore {
  readonly clock: MonotonicClock;
  readonly accounts = new Map<string, Account>();
  readonly credentials: AccountCredentials[] = [];
  readonly users = new Map<string, UserRecord>(); // by lower-cased email
  readonly divisions = new Table<Division>();
  readonly vendors = new Table<Vendor>();
  readonly insuranceSets = new Table<InsuranceSet>();
  readonly assignments = new Table<Assignment>();
  readonly compliance = new Map<string, ComplianceRecord>();
  private readonly sorted = new Map<string, ComplianceRecord[]>(); // per account, invalidated on change
  private readonly listeners: ComplianceListener[] = [];
  private seq = 0;

  constructor(now: () => number = Date.now) {
    this.clock = new MonotonicClock(now);
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${this.seq.toString().padStart(6, '0')}`;
  }

  onComplianceChange(fn: ComplianceListener): void {
    this.listeners.push(fn);
  }

  addAccount(account: Account, creds?: { clientId: string; clientSecret: string }): void {
    this.accounts.set(account.id, account);
    if (creds) this.credentials.push({ accountId: account.id, ...creds });
  }

  addUser(user: UserRecord): void {
    this.users.set(user.email.toLowerCase(), user);
  }

  addDivision(accountId: string, input: DivisionInput, at = this.clock.stamp()): Division {
    return this.divisions.add({
      id: input.id ?? this.nextId('div'),
      account_id: accountId,
      name: input.name,
      code: input.code ?? null,
      external_id: input.external_id ?? null,
      address: input.address ?? null,
      active: input.active ?? true,
      created_at: at,
      updated_at: at,
    });
  }

  addInsuranceSet(set: InsuranceSet): InsuranceSet {
    return this.insuranceSets.add(set);
  }

  /** A vendor always has a vendor-level compliance record; a new one starts unregistered. */
  addVendor(accountId: string, input: VendorInput, at?: string, initial?: ComplianceChange): Vendor {
    const stamp = at ?? this.clock.stamp();
    const vendor = this.vendors.add({
      id: input.id ?? this.nextId('ven'),
      account_id: accountId,
      name: input.name,
      tax_id: input.tax_id ?? null,
      external_id: input.external_id ?? null,
      address: input.address ?? null,
      contacts: input.contacts ?? [],
      registered: input.registered ?? false,
      created_at: stamp,
      updated_at: stamp,
    });
    this.putCompliance(
      {
        id: `cmp_v_${vendor.id}`,
        account_id: accountId,
        level: 'vendor',
        vendor_id: vendor.id,
        assignment_id: null,
        division_id: null,
        insurance_set_id: null,
        status: statusFromCode('unregistered'),
        coverage_lines: [],
        deficiencies: [],
        notices: [],
        version: 1,
        updated_at: stamp,
        last_reviewed_at: null,
      },
      initial,
      at === undefined,
    );
    return vendor;
  }

  /** A new assignment starts In-Progress; Undecided with a certificate request sent to the vendor. */
  addAssignment(accountId: string, input: AssignmentInput, at?: string, initial?: ComplianceChange): Assignment {
    const stamp = at ?? this.clock.stamp();
    const a = this.assignments.add({
      id: input.id ?? this.nextId('asg'),
      account_id: accountId,
      vendor_id: input.vendor_id,
      division_id: input.division_id,
      insurance_set_id: input.insurance_set_id,
      contract_id: input.contract_id ?? null,
      external_id: input.external_id ?? null,
      title: input.title ?? null,
      amount: input.amount ?? null,
      tracking: 'active',
      created_at: stamp,
      updated_at: stamp,
    });
    const email = this.vendors.byId.get(a.vendor_id)?.contacts.find((c) => c.email)?.email;
    this.putCompliance(
      {
        id: `cmp_a_${a.id}`,
        account_id: accountId,
        level: 'assignment',
        vendor_id: a.vendor_id,
        assignment_id: a.id,
        division_id: a.division_id,
        insurance_set_id: a.insurance_set_id,
        status: statusFromCode('in_progress_undecided'),
        coverage_lines: [],
        deficiencies: [],
        notices: email
          ? [{ id: `ntc_${a.id}_1`, kind: 'certificate_request', recipient_role: 'vendor', recipient_email: email, sent_at: stamp }]
          : [],
        version: 1,
        updated_at: stamp,
        last_reviewed_at: null,
      },
      initial,
      at === undefined,
    );
    return a;
  }

  private putCompliance(record: ComplianceRecord, initial: ComplianceChange | undefined, emit: boolean): void {
    if (initial) applyChange(record, initial);
    this.clock.observe(record.updated_at);
    this.compliance.set(record.id, record);
    this.sorted.delete(record.account_id);
    if (emit) for (const fn of this.listeners) fn(record);
  }

  complianceOfVendor(accountId: string, vendorId: string): ComplianceRecord | undefined {
    const r = this.compliance.get(`cmp_v_${vendorId}`);
    return r && r.account_id === accountId ? r : undefined;
  }

  complianceOfAssignment(accountId: string, assignmentId: string): ComplianceRecord | undefined {
    const r = this.compliance.get(`cmp_a_${assignmentId}`);
    return r && r.account_id === accountId ? r : undefined;
  }

  /** Applies a change as one new version with a fresh, strictly later updated_at. */
  changeCompliance(recordId: string, change: ComplianceChange): ComplianceRecord {
    const record = this.compliance.get(recordId);
    if (!record) throw new Error(`no compliance record ${recordId}`);
    applyChange(record, change);
    record.version += 1;
    record.updated_at = this.clock.stamp();
    this.sorted.delete(record.account_id);
    for (const fn of this.listeners) fn(record);
    return record;
  }

  /** The account's records ordered by (updated_at, id): the feed order. */
  complianceInFeedOrder(accountId: string): ComplianceRecord[] {
    let list = this.sorted.get(accountId);
    if (!list) {
      list = [...this.compliance.values()].filter((r) => r.account_id === accountId).sort(feedCompare);
      this.sorted.set(accountId, list);
    }
    return list;
  }

  counts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const id of this.accounts.keys()) {
      out[id] = {
        divisions: this.divisions.ofAccount(id).length,
        vendors: this.vendors.ofAccount(id).length,
        insurance_sets: this.insuranceSets.ofAccount(id).length,
        assignments: this.assignments.ofAccount(id).length,
        compliance: [...this.compliance.values()].filter((r) => r.account_id === id).length,
      };
    }
    return out;
  }
}

export function feedCompare(a: { updated_at: string; id: string }, b: { updated_at: string; id: string }): number {
  // ISO strings of one format compare correctly as strings.
  if (a.updated_at !== b.updated_at) return a.updated_at < b.updated_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function applyChange(record: ComplianceRecord, change: ComplianceChange): void {
  if (change.status !== undefined) record.status = typeof change.status === 'string' ? statusFromCode(change.status) : change.status;
  if (change.coverage_lines) record.coverage_lines = change.coverage_lines;
  if (change.deficiencies) record.deficiencies = change.deficiencies;
  if (change.notices) record.notices = change.notices;
  if (change.last_reviewed_at !== undefined) record.last_reviewed_at = change.last_reviewed_at;
}
