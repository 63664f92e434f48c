import type pg from 'pg';
import type { SyncTenant } from './tenants';
import type { TenantClients } from './ports';

export interface Counts {
  read: number;
  unchanged: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  skipped: number;
  [extra: string]: number;
}

export function emptyCounts(): Counts {
  return { read: 0, unchanged: 0, created: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 };
}

export interface RunError {
  code: string;
  message: string;
  ref?: string;
}

export interface SyncLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Thrown when the tenant's Procore budget runs low: the run stops cleanly and resumes later. */
export class BudgetLowError extends Error {
  override readonly name = 'BudgetLowError';
  constructor(readonly remaining: number, readonly resetAt: number) {
    super(`Procore rate budget low (${remaining} left); continuing after reset`);
  }
}

const MAX_ERRORS = 100;

export class RunContext {
  readonly counts: Counts = emptyCounts();
  readonly errors: RunError[] = [];
  private readonly startCalls: number;
  private readonly startWrites: number;

  constructor(
    readonly pool: pg.Pool,
    readonly tenant: SyncTenant,
    readonly clients: TenantClients,
    readonly logger: SyncLogger,
    readonly options: {
      now?: () => Date;
      /** stop when fewer calls than this remain in the current rate window */
      budgetReserve?: number;
      heartbeat?: () => Promise<void>;
    } = {},
  ) {
    this.startCalls = clients.procore.callCount();
    this.startWrites = clients.procore.writeCallCount();
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  add(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  error(code: string, message: string, ref?: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(ref ? { code, message, ref } : { code, message });
    else if (this.errors.length === MAX_ERRORS) this.errors.push({ code: 'truncated', message: 'further errors omitted' });
  }

  calls(): number {
    return this.clients.procore.callCount() - this.startCalls;
  }

  writeCalls(): number {
    return this.clients.procore.writeCallCount() - this.startWrites;
  }

  /** Called before every Procore call batch: keep a reserve for the tenant's other traffic. */
  checkBudget(): void {
    const b = this.clients.procore.rateBudget();
    const reserve = this.options.budgetReserve ?? 0;
    if (b && b.remaining <= reserve && b.resetAt > Date.now()) throw new BudgetLowError(b.remaining, b.resetAt);
  }

  async beat(): Promise<void> {
    await this.options.heartbeat?.();
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 500);
  return String(err).slice(0, 500);
}
