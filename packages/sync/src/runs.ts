import type { Queryable } from './db';
import type { Counts, RunError } from './context';

/** 'hooks': the tenant's Procore webhook registration (ensure) or removal, a job like the others. */
export type RunKind = 'push' | 'upkeep' | 'targeted' | 'hooks';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';
export type RunTrigger = 'schedule' | 'manual' | 'event' | 'resume';

export interface RunRow {
  id: number;
  tenant_id: string;
  kind: RunKind;
  status: RunStatus;
  trigger: RunTrigger;
  slot: string | null;
  target: RunTarget | null;
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

/**
 * Queue the tenant's hook job (registration/verification, or removal): one queued per tenant, a
 * newer request replaces the action (activated then deactivated before it ran = remove). Returns its id.
 */
export async function enqueueHooks(
  db: Queryable,
  input: { tenantId: string; action: 'ensure' | 'remove'; trigger: RunTrigger },
): Promise<number> {
  const res = await db.query<{ id: number }>(
    `insert into runs (tenant_id, kind, status, trigger, run_after, target)
     values ($1, 'hooks', 'queued', $3, now(), jsonb_build_object('action', $2::text))
     on conflict (tenant_id) where kind = 'hooks' and status = 'queued'
     do update set target = excluded.target
     returning id`,
    [input.tenantId, input.action, input.trigger],
  );
  return res.rows[0]!.id;
}

/** The queued (not yet running) run of a tenant's kind, if any: "run it now" takes it instead of a new one. */
export async function queuedRunOf(db: Queryable, tenantId: string, kind: RunKind): Promise<number | null> {
  const res = await db.query<{ id: number }>(
    `select id from runs where tenant_id = $1 and kind = $2 and status = 'queued' order by id limit 1`,
    [tenantId, kind],
  );
  return res.rows[0]?.id ?? null;
}

/** The target of a `targeted` run: webhook events to plan (ids in webhook_events) and/or owners named directly (side panel). */
export interface RunTarget {
  /** hooks jobs: register/verify, or remove */
  action?: 'ensure' | 'remove';
  eventIds?: number[];
  vendorId?: string;
  assignmentId?: string;
  vendorIds?: string[];
  assignmentIds?: string[];
  commitments?: { projectId: string; id: string; since: string | null }[];
}

/** PostgreSQL unique_violation: the one-running-run-per-tenant index refused a second claim. */
const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && 'code' in err && err.code === UNIQUE_VIOLATION;

/**
 * Claim the next due run: queued and due, or running with a lapsed lease (its process died).
 * FOR UPDATE SKIP LOCKED lets instances (and the slots of one instance) claim concurrently without
 * waiting on each other. Per-tenant serialisation: a queued run is skipped while its tenant has a
 * run 'running' (any kind, on any instance); the partial unique index runs_one_running_idx makes
 * that a guarantee when two claimers race past the check — the loser gets 23505 and tries again,
 * now seeing the winner. A push also waits while an upkeep of its tenant queued before it is due:
 * the cycle's upkeep makes the links the push needs. Fair: oldest due first (run_after, id), and a
 * tenant holds at most one slot at a time, so a big tenant cannot starve small ones.
 * `kinds` limits what this claimer takes (null = all).
 */
export async function claimRun(
  db: Queryable,
  owner: string,
  leaseMs: number,
  kinds: readonly RunKind[] | null = null,
): Promise<RunRow | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // started_at is the clock at execution, not now() (the statement's start): a claim that began
      // just before the tenant's previous run committed its finish would otherwise seem to overlap it
      const res = await db.query<RunRow>(
        `update runs set status = 'running', lease_owner = $1, lease_expires_at = now() + ($2::int * interval '1 millisecond'),
            heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, clock_timestamp())
         where id = (
           select r.id from runs r
           where ($3::text[] is null or r.kind = any($3::text[]))
             and ((r.status = 'queued' and r.run_after <= now()
                   and not exists (select 1 from runs o where o.tenant_id = r.tenant_id and o.status = 'running')
                   and not (r.kind = 'push' and exists (
                     select 1 from runs u where u.tenant_id = r.tenant_id and u.kind = 'upkeep' and u.id < r.id
                       and u.status = 'queued' and u.run_after <= now())))
               or (r.status = 'running' and r.lease_expires_at < now()))
           order by r.run_after, r.id limit 1 for update of r skip locked)
         returning *`,
        [owner, leaseMs, kinds ? [...kinds] : null],
      );
      return res.rows[0] ?? null;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // another claimer started a run of this tenant between our check and our update: look again
    }
  }
  return null;
}

/**
 * Milliseconds until the next queued run is due (0 = now), or null when nothing is queued: the
 * worker's sleep. Runs of a tenant that has a run going are left out: they cannot be claimed now,
 * and the slot that finishes that run looks again at once (so sleeping on them would spin).
 */
export async function nextDueInMs(db: Queryable, kinds: readonly RunKind[] | null = null): Promise<number | null> {
  const res = await db.query<{ ms: number | null }>(
    `select (extract(epoch from (min(r.run_after) - now())) * 1000)::float8 as ms from runs r
      where r.status = 'queued' and ($1::text[] is null or r.kind = any($1::text[]))
        and not exists (select 1 from runs o where o.tenant_id = r.tenant_id and o.status = 'running')`,
    [kinds ? [...kinds] : null],
  );
  const ms = res.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, ms);
}

/**
 * Coalescing: merge work into the tenant's ONE queued targeted run, or queue it (partial unique
 * index runs_one_queued_targeted_idx). A burst of webhooks lands in one run due `runAfter` after
 * its first event; later events never delay it (least). Work arriving while the tenant's targeted
 * run is already running finds no queued one and starts a new run, so nothing is lost. Arrays in
 * the target are concatenated and de-duplicated. Returns the queued run's id.
 */
export async function enqueueTargeted(
  db: Queryable,
  input: { tenantId: string; target: RunTarget; runAfter?: Date; trigger?: RunTrigger },
): Promise<number> {
  const res = await db.query<{ id: number }>(
    `insert into runs (tenant_id, kind, status, trigger, run_after, target)
     values ($1, 'targeted', 'queued', $4, coalesce($3::timestamptz, now()), $2::jsonb)
     on conflict (tenant_id) where kind = 'targeted' and status = 'queued'
     do update set run_after = least(runs.run_after, excluded.run_after), target = merge_run_targets(runs.target, excluded.target)
     returning id`,
    [input.tenantId, JSON.stringify(input.target), input.runAfter ?? null, input.trigger ?? 'event'],
  );
  return res.rows[0]!.id;
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

/**
 * Claim one specific queued run now (a manual or panel run executed by the caller). Null when it is
 * gone or taken, or when its tenant already has a run going (per-tenant serialisation: the check,
 * and the unique index for a claimer racing us).
 */
export async function claimRunById(db: Queryable, runId: number, owner: string, leaseMs: number): Promise<RunRow | null> {
  try {
    const res = await db.query<RunRow>(
      `update runs set status = 'running', lease_owner = $2, lease_expires_at = now() + ($3::int * interval '1 millisecond'),
          heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, clock_timestamp())
       where id = (select r.id from runs r where r.id = $1 and r.status = 'queued'
                     and not exists (select 1 from runs o where o.tenant_id = r.tenant_id and o.status = 'running')
                   for update skip locked)
       returning *`,
      [runId, owner, leaseMs],
    );
    return res.rows[0] ?? null;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** How often a running push/upkeep beats; a run silent for STALE_AFTER_MS has lost its process. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 45_000;

/**
 * Crash recovery: put back in the queue, due now, the push and upkeep runs left 'running' by a dead
 * process — our own earlier incarnation (same instance id: it cannot be alive, we are it) or any
 * instance whose heartbeat stopped well before its 5-minute lease would lapse. The run continues
 * from the ledger and checkpoints. A dead targeted run keeps its row (the tenant may already have a
 * new queued one, and there is only one of those per tenant): its lease is lapsed instead, so the
 * next claim takes it over. Either way the tenant's one running slot is freed at once.
 * Returns the reclaimed run ids.
 */
export async function reclaimStaleRuns(db: Queryable, instanceId: string, staleAfterMs = STALE_AFTER_MS): Promise<number[]> {
  const dead = `status = 'running' and (lease_owner = $1 or heartbeat_at < now() - ($2::int * interval '1 millisecond'))`;
  const res = await db.query<{ id: number }>(
    `update runs set status = 'queued', run_after = now(), lease_owner = null, lease_expires_at = null
     where kind in ('push', 'upkeep') and ${dead}
     returning id`,
    [instanceId, staleAfterMs],
  );
  const targeted = await db.query<{ id: number }>(
    `update runs set lease_expires_at = now() - interval '1 millisecond', lease_owner = 'reclaimed'
     where kind = 'targeted' and ${dead}
     returning id`,
    [instanceId, staleAfterMs],
  );
  return [...res.rows, ...targeted.rows].map((r) => r.id);
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
