import type { SyncBlockReason, TenantView } from '@mycoi/contracts';
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

/** What the sync routes need from the scheduler (apps/api/src/scheduler): queue runs, know the next slot. */
export interface SyncControl {
  /** Queue a push and an upkeep (one of each at most); the ids actually queued. */
  syncNow(tenantId: string): Promise<number[]>;
  /** The tenant's next scheduled slot (cron slot + the tenant's phase), or null when the scheduler is off. */
  nextScheduledAt(tenant: { id: string; phaseSeconds: number }): Date | null;
  /** Whether queued runs are executed by this deployment (SYNC_ENABLED). */
  enabled(): boolean;
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
    return { reason: 'scheduler_off', message: 'Syncing is turned off on this service, so a run would never start. Contact myCOI support.', until: null };
  }
  if (t.status !== 'active') return { reason: 'tenant_inactive', message: INACTIVE[t.status] ?? 'The integration is not active.', until: null };
  if (!t.features.compliancePush) {
    return { reason: 'push_off', message: 'Compliance push is turned off for this company, so nothing is written to Procore (the scheduled directory check still runs). Turn it on in Settings to sync.', until: null };
  }
  if (!t.credentials.procoreDmsa.set) {
    return { reason: 'credentials_missing', message: 'The Procore DMSA credentials are missing: enter them in the setup’s Credentials step.', until: null };
  }
  if (!t.credentials.mycoi.set || !t.mycoiAccountId) {
    return { reason: 'credentials_missing', message: 'The myCOI account or credentials are missing: myCOI ops must set them.', until: null };
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
  return null;
}
