import type { SyncBlockReason, TenantView } from '@mycoi/contracts';
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

/** What the sync routes need from the scheduler (apps/api/src/scheduler): queue runs, know the next slot. */
export interface SyncControl {
  /**
   * Queue a push and an upkeep (one of each at most) through `db` — "sync now" passes its open
   * transaction, so the runs commit with the request's audit entry or not at all; the ids actually
   * queued. Given a `db`, every statement must go through it (on PGlite the pool has one
   * connection, held by that transaction: a pool query would wait for ever) and the worker is not
   * woken (it could not see the runs yet): the caller calls `wake` after the commit.
   */
  syncNow(tenantId: string, db?: Queryable): Promise<number[]>;
  /** Run the worker loop now instead of at its next poll (after the queued runs committed). */
  wake?(): void;
  /** The tenant's next scheduled slot (cron slot + the tenant's phase), or null when the scheduler is off. */
  nextScheduledAt(tenant: { id: string; phaseSeconds: number }): Date | null;
  /** Whether queued runs are executed by this deployment (SYNC_ENABLED). */
  enabled(): boolean;
  /** Until when the tenant's Procore rate window is too spent for a run to start (it would stop at once); null when it is not. */
  rateLimitedUntil?(tenantId: string): Promise<Date | null>;
}

/** What the control needs to know of a tenant's Procore budget (the http RateBudget's snapshot). */
export interface BudgetView {
  remaining: number;
  /** epoch ms; undefined before any answer carried the rate headers */
  resetAt?: number;
}

/**
 * The scheduler's service plus the rate check: a run stops cleanly when fewer than `reserve` calls
 * are left in the window (the engine's budgetReserve), so "sync now" then says until when, instead
 * of queuing a run that stops at once. The budget is this instance's view of the shared token's
 * window (advisory with several instances).
 */
export function syncControlOf(
  service: Pick<SyncControl, 'syncNow' | 'nextScheduledAt' | 'enabled'> & { wake(): void },
  budgetOf: (tenantId: string) => Promise<BudgetView | null>,
  reserve: number,
  longWindowMs = 60_000, // the engine's LONG_WINDOW_MS (packages/sync/src/context.ts)
): SyncControl {
  return {
    syncNow: (tenantId, db) => service.syncNow(tenantId, db),
    wake: () => service.wake(),
    nextScheduledAt: (tenant) => service.nextScheduledAt(tenant),
    enabled: () => service.enabled(),
    async rateLimitedUntil(tenantId) {
      const b = await budgetOf(tenantId).catch(() => null); // no client (e.g. credentials missing): not this check's answer
      // as the engine's checkBudget: only a long (hourly) window makes a run stop; a spent short
      // (10 s) window or a 429's Retry-After is waited out within the run
      if (!b || b.resetAt === undefined || b.resetAt - Date.now() <= longWindowMs) return null;
      return b.remaining <= reserve ? new Date(b.resetAt) : null;
    },
  };
}

export interface SyncBlock {
  reason: SyncBlockReason;
  message: string;
  until: Date | null;
}

const INACTIVE: Record<string, string> = {
  registered: 'The integration is not set up yet: finish the setup steps and request activation.',
  awaiting_activation: 'The integration is not active yet: myCOI ops activate it after your request, then it syncs on its own.',
  suspended: 'The integration is suspended by myCOI ops: nothing syncs until they resume it.',
  deactivated: 'The integration is deactivated: nothing syncs any more.',
};

/**
 * Why "sync now" cannot queue a run right now, or null when it can. The same answer feeds the
 * POST and the history's `syncNow` hint, so the button and its result never disagree.
 */
export async function syncBlock(db: Queryable, t: TenantView, control: SyncControl | undefined): Promise<SyncBlock | null> {
  if (!control || !control.enabled()) {
    return {
      reason: 'scheduler_off',
      message: 'Syncing is turned off on this service, so a run would never start. Contact myCOI support.',
      until: null,
    };
  }
  if (t.status !== 'active')
    return { reason: 'tenant_inactive', message: INACTIVE[t.status] ?? 'The integration is not active.', until: null };
  if (!t.features.compliancePush) {
    return {
      reason: 'push_off',
      message:
        'Compliance push is turned off for this company, so nothing is written to Procore (the scheduled directory check still runs). Turn it on in Settings to sync.',
      until: null,
    };
  }
  if (!t.credentials.procoreDmsa.set) {
    return {
      reason: 'credentials_missing',
      message: 'The Procore DMSA credentials are missing: enter them in the setup’s Credentials step.',
      until: null,
    };
  }
  if (!t.credentials.mycoi.set || !t.mycoiAccountId) {
    return {
      reason: 'credentials_missing',
      message: 'The myCOI account or credentials are missing: myCOI ops must set them.',
      until: null,
    };
  }
  const { rows } = await db.query<{ backoff_until: Date | null; consecutive_failures: number }>(
    'select backoff_until, consecutive_failures from sync_tenant_state where tenant_id = $1',
    [t.id],
  );
  const until = rows[0]?.backoff_until;
  if (until && until.getTime() > Date.now()) {
    const n = rows[0]!.consecutive_failures;
    return {
      reason: 'backoff',
      message: `The last ${n === 1 ? 'run' : `${n} runs`} failed, so syncing waits until ${until.toISOString()} before trying again. Fix the problems listed below; the next try is automatic.`,
      until,
    };
  }
  const limited = await control.rateLimitedUntil?.(t.id);
  if (limited) {
    return {
      reason: 'rate_limited',
      message: `Procore’s rate limit for this company’s app is used up until ${limited.toISOString()}; a run now would stop at once. Syncing continues on its own after that.`,
      until: limited,
    };
  }
  return null;
}
