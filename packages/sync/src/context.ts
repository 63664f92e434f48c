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

/**
 * A rate window that resets further away than this is Procore's hourly one (the spike window is
 * 10 s). Short windows are paced inside the run — the client waits for the reset, which is also
 * its `maxBudgetWaitMs` — while waiting out the hour would hold the run's lease, so a run stops
 * only when the HOURLY budget is nearly spent and its continuation is queued for the reset.
 */
export const LONG_WINDOW_MS = 60_000;

/** Thrown when the tenant's hourly Procore budget runs low: the run stops cleanly and resumes at the reset. */
export class BudgetLowError extends Error {
  override readonly name = 'BudgetLowError';
  constructor(
    readonly remaining: number,
    readonly resetAt: number,
  ) {
    super(`Procore rate budget low (${remaining} left); continuing after reset`);
  }
}

const MAX_ERRORS = 100;

export class RunContext {
  readonly counts: Counts = emptyCounts();
  readonly errors: RunError[] = [];
  private readonly members = new Map<string, Promise<Set<string>>>();
  private readonly startCalls: number;
  private readonly startWrites: number;
  private readonly startWaits: number;

  constructor(
    readonly pool: pg.Pool,
    readonly tenant: SyncTenant,
    readonly clients: TenantClients,
    readonly logger: SyncLogger,
    readonly options: {
      now?: () => Date;
      /** stop when this few calls remain in the HOURLY rate window (left to the panel and events) */
      budgetReserve?: number;
      heartbeat?: () => Promise<void>;
    } = {},
  ) {
    this.startCalls = clients.procore.callCount();
    this.startWrites = clients.procore.writeCallCount();
    this.startWaits = clients.procore.rateLimitWaitCount?.() ?? 0;
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

  /** Rate-limit waits of this run (shown per run in the consoles). */
  rateLimitWaits(): number {
    return (this.clients.procore.rateLimitWaitCount?.() ?? 0) - this.startWaits;
  }

  /** Called before every Procore call batch: stop when the hour is nearly spent, keeping a reserve
   *  for the tenant's interactive traffic. A spent spike window (or a 429's short Retry-After) is
   *  not a reason to stop: the client waits for it. */
  checkBudget(): void {
    const b = this.clients.procore.rateBudget();
    if (!b) return;
    const reserve = this.options.budgetReserve ?? 0;
    if (b.resetAt - Date.now() > LONG_WINDOW_MS && b.remaining <= reserve) throw new BudgetLowError(b.remaining, b.resetAt);
  }

  /** A project's directory (vendor ids), read once per run and shared by whoever needs it first:
   *  the push of that project's scope, or the prefetch that runs while the feed is read. */
  projectMembers(projectId: string): Promise<Set<string>> {
    let p = this.members.get(projectId);
    if (!p) {
      p = this.clients.procore.listProjectVendorIds(projectId).then((ids) => new Set(ids));
      p.catch(() => undefined); // a prefetch nobody awaited must not be an unhandled rejection
      this.members.set(projectId, p);
    }
    return p;
  }

  async beat(): Promise<void> {
    await this.options.heartbeat?.();
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 500);
  return String(err).slice(0, 500);
}
