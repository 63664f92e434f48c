import type { Queryable } from './db';
import type { Counts, RunError } from './context';

export type RunKind = 'push' | 'upkeep' | 'targeted';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';
export type RunTrigger = 'schedule' | 'manual' | 'event' | 'resume';

export interface RunRow {
  id: number;
  tenant_id: string;
  kind: RunKind;
  status: RunStatus;
  trigger: RunTrigger;
  slot: string | null;
  target: { vendorId?: string; assignmentId?: string } | null;
  run_after: Date;
  attempts: number;
  lease_owner: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  counts: Counts | Record<string, number>;
  calls: number;
  write_calls: number;
  errors: RunError[];
  stop_reason: string | null;
  created_at: Date;
}

/**
 * Queue a run unless one of that tenant and kind is already queued or running (the partial unique
 * index decides, so two instances enqueueing at once cannot both win). Returns the new id or null.
 */
export async function enqueueRun(
  db: Queryable,
  input: { tenantId: string; kind: RunKind; trigger: RunTrigger; slot?: string | null; runAfter?: Date; target?: object | null },
): Promise<number | null> {
  const res = await db.query<{ id: number }>(
    `insert into runs (tenant_id, kind, status, trigger, slot, run_after, target)
     values ($1, $2, 'queued', $3, $4, coalesce($5::timestamptz, now()), $6::jsonb)
     on conflict (tenant_id, kind) where status in ('queued', 'running') and kind in ('push', 'upkeep') do nothing
     returning id`,
    [
      input.tenantId,
      input.kind,
      input.trigger,
      input.slot ?? null,
      input.runAfter ?? null,
      input.target ? JSON.stringify(input.target) : null,
    ],
  );
  return res.rows[0]?.id ?? null;
}

/** The queued (not yet running) run of a tenant's kind, if any: "run it now" takes it instead of a new one. */
export async function queuedRunOf(db: Queryable, tenantId: string, kind: RunKind): Promise<number | null> {
  const res = await db.query<{ id: number }>(
    `select id from runs where tenant_id = $1 and kind = $2 and status = 'queued' order by id limit 1`,
    [tenantId, kind],
  );
  return res.rows[0]?.id ?? null;
}

/**
 * Claim the next due run: queued and due, or running with a lapsed lease (its process died).
 * FOR UPDATE SKIP LOCKED lets instances claim concurrently without waiting on each other.
 * A push waits while an upkeep of its tenant queued before it is due or running: the cycle's
 * upkeep makes the links the push needs (another instance must not start the push alongside).
 */
export async function claimRun(db: Queryable, owner: string, leaseMs: number): Promise<RunRow | null> {
  const res = await db.query<RunRow>(
    `update runs set status = 'running', lease_owner = $1, lease_expires_at = now() + ($2::int * interval '1 millisecond'),
        heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, now())
     where id = (
       select r.id from runs r
       where (r.status = 'queued' and r.run_after <= now()
              and not (r.kind = 'push' and exists (
                select 1 from runs u where u.tenant_id = r.tenant_id and u.kind = 'upkeep' and u.id < r.id
                  and ((u.status = 'running' and u.lease_expires_at >= now()) or (u.status = 'queued' and u.run_after <= now())))))
          or (r.status = 'running' and r.lease_expires_at < now())
       order by r.run_after, r.id limit 1 for update of r skip locked)
     returning *`,
    [owner, leaseMs],
  );
  return res.rows[0] ?? null;
}

/** Extend the lease; false when another instance took the run over (we must stop working on it). */
export async function heartbeat(db: Queryable, runId: number, owner: string, leaseMs: number): Promise<boolean> {
  const res = await db.query(
    `update runs set heartbeat_at = now(), lease_expires_at = now() + ($3::int * interval '1 millisecond')
     where id = $1 and lease_owner = $2 and status = 'running'`,
    [runId, owner, leaseMs],
  );
  return (res.rowCount ?? 0) === 1;
}

export async function finishRun(
  db: Queryable,
  runId: number,
  owner: string,
  result: {
    status: 'succeeded' | 'failed' | 'stopped';
    counts: Counts;
    calls: number;
    writeCalls: number;
    errors: RunError[];
    stopReason?: string | null;
  },
): Promise<boolean> {
  const res = await db.query(
    `update runs set status = $3, finished_at = now(),
        duration_ms = (extract(epoch from (now() - started_at)) * 1000)::int,
        counts = $4::jsonb, calls = calls + $5, write_calls = write_calls + $6, errors = $7::jsonb, stop_reason = $8,
        lease_owner = null, lease_expires_at = null
     where id = $1 and lease_owner = $2 and status = 'running'`,
    [
      runId,
      owner,
      result.status,
      JSON.stringify(result.counts),
      result.calls,
      result.writeCalls,
      JSON.stringify(result.errors),
      result.stopReason ?? null,
    ],
  );
  return (res.rowCount ?? 0) === 1;
}

export async function recentRuns(db: Queryable, tenantId: string, limit = 20): Promise<RunRow[]> {
  const res = await db.query<RunRow>('select * from runs where tenant_id = $1 order by id desc limit $2', [tenantId, limit]);
  return res.rows;
}

export async function getRun(db: Queryable, runId: number): Promise<RunRow | null> {
  const res = await db.query<RunRow>('select * from runs where id = $1', [runId]);
  return res.rows[0] ?? null;
}

const BACKOFF_BASE_MS = 5 * 60_000;
const BACKOFF_MAX_MS = 12 * 60 * 60_000;

export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
}

export async function recordOutcome(db: Queryable, tenantId: string, ok: boolean): Promise<void> {
  if (ok) {
    await db.query(
      `insert into sync_tenant_state (tenant_id, consecutive_failures, backoff_until, last_success_at) values ($1, 0, null, now())
       on conflict (tenant_id) do update set consecutive_failures = 0, backoff_until = null, last_success_at = now(), updated_at = now()`,
      [tenantId],
    );
    return;
  }
  const cur = await db.query<{ consecutive_failures: number }>('select consecutive_failures from sync_tenant_state where tenant_id = $1', [
    tenantId,
  ]);
  const failures = (cur.rows[0]?.consecutive_failures ?? 0) + 1;
  const until = new Date(Date.now() + backoffMs(failures));
  await db.query(
    `insert into sync_tenant_state (tenant_id, consecutive_failures, backoff_until) values ($1, $2, $3)
     on conflict (tenant_id) do update set consecutive_failures = $2, backoff_until = $3, updated_at = now()`,
    [tenantId, failures, until],
  );
}

export async function tenantState(db: Queryable, tenantId: string) {
  const res = await db.query<{
    consecutive_failures: number;
    backoff_until: Date | null;
    last_reconcile_at: Date | null;
    last_success_at: Date | null;
  }>('select consecutive_failures, backoff_until, last_reconcile_at, last_success_at from sync_tenant_state where tenant_id = $1', [
    tenantId,
  ]);
  return res.rows[0] ?? null;
}

export async function markReconciled(db: Queryable, tenantId: string): Promise<void> {
  await db.query(
    `insert into sync_tenant_state (tenant_id, last_reconcile_at) values ($1, now())
     on conflict (tenant_id) do update set last_reconcile_at = now(), updated_at = now()`,
    [tenantId],
  );
}

/** Claim one specific queued run (a manual or event run executed right away by the caller). */
export async function claimRunById(db: Queryable, runId: number, owner: string, leaseMs: number): Promise<RunRow | null> {
  const res = await db.query<RunRow>(
    `update runs set status = 'running', lease_owner = $2, lease_expires_at = now() + ($3::int * interval '1 millisecond'),
        heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, now())
     where id = (select id from runs where id = $1 and status = 'queued' for update skip locked)
     returning *`,
    [runId, owner, leaseMs],
  );
  return res.rows[0] ?? null;
}

/** How often a running push/upkeep beats; a run silent for STALE_AFTER_MS has lost its process. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 45_000;

/**
 * Crash recovery: put back in the queue, due now, the push and upkeep runs left 'running' by a dead
 * process — our own earlier incarnation (same instance id: it cannot be alive, we are it) or any
 * instance whose heartbeat stopped well before its 5-minute lease would lapse. The run continues
 * from the ledger and checkpoints. Returns the reclaimed run ids.
 */
export async function reclaimStaleRuns(db: Queryable, instanceId: string, staleAfterMs = STALE_AFTER_MS): Promise<number[]> {
  const res = await db.query<{ id: number }>(
    `update runs set status = 'queued', run_after = now(), lease_owner = null, lease_expires_at = null
     where status = 'running' and kind in ('push', 'upkeep')
       and (lease_owner = $1 or heartbeat_at < now() - ($2::int * interval '1 millisecond'))
     returning id`,
    [instanceId, staleAfterMs],
  );
  return res.rows.map((r) => r.id);
}

/** Make every active tenant's next push reconcile (re-read Procore), e.g. after a demo restart. */
export async function markReconcileDue(db: Queryable): Promise<number> {
  const res = await db.query(
    `insert into sync_tenant_state (tenant_id, last_reconcile_at)
     select id, 'epoch'::timestamptz from tenants where status = 'active'
     on conflict (tenant_id) do update set last_reconcile_at = 'epoch'::timestamptz, updated_at = now()`,
  );
  return res.rowCount ?? 0;
}
