import type pg from 'pg';
import type { SyncHistory, SyncHistoryQuery, SyncState, SyncSummary, TenantView } from '@mycoi/contracts';
import { listProblems, type RunRow } from '@mycoi/sync';
import { syncBlock, type SyncControl } from './control';
import { toSyncRun } from './runs-view';

type Queryable = Pick<pg.Pool, 'query'>;

/** A queued run this close to due counts as in progress: the consoles start polling for it. */
const DUE_SOON_MS = 10_000;

const STATE_TEXT: Record<SyncState, string> = {
  inactive: 'Not syncing: the integration is not active.',
  never_run: 'Active; the first run has not happened yet.',
  queued: 'A run is queued and starts in a few seconds.',
  running: 'A run is in progress.',
  ok: 'Syncing normally: the last run succeeded.',
  failing: 'The last run failed; it is retried automatically. See the problems below.',
  backing_off: 'Recent runs failed; the next try waits a while (see when below).',
};

interface StateInput {
  status: TenantView['status'];
  active: Pick<RunRow, 'status' | 'run_after'>[];
  lastFinished: Pick<RunRow, 'status'> | undefined;
  backoffUntil: Date | null;
}

export function stateOf(s: StateInput, now = Date.now()): SyncState {
  if (s.status !== 'active') return 'inactive';
  if (s.active.some((r) => r.status === 'running')) return 'running';
  if (s.active.some((r) => new Date(r.run_after).getTime() <= now + DUE_SOON_MS)) return 'queued';
  if (s.backoffUntil && s.backoffUntil.getTime() > now) return 'backing_off';
  if (!s.lastFinished) return 'never_run';
  return s.lastFinished.status === 'failed' ? 'failing' : 'ok';
}

/** The full history of one tenant, one page of runs. */
export async function syncHistory(
  db: Queryable,
  t: TenantView & { phaseSeconds?: number },
  control: SyncControl | undefined,
  q: SyncHistoryQuery,
): Promise<SyncHistory> {
  const page = await db.query<RunRow>(
    'select * from runs where tenant_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3',
    [t.id, q.before ?? null, q.limit + 1],
  );
  const more = page.rows.length > q.limit;
  const runs = page.rows.slice(0, q.limit);
  const active = await db.query<RunRow>(
    "select * from runs where tenant_id = $1 and status in ('queued', 'running') and kind in ('push', 'upkeep') order by run_after, id",
    [t.id],
  );
  // "last run" is the last scheduled/manual push or upkeep: targeted event runs are many and small
  const last = await db.query<RunRow>(
    "select * from runs where tenant_id = $1 and finished_at is not null and kind in ('push', 'upkeep') order by finished_at desc, id desc limit 1",
    [t.id],
  );
  const st = await db.query<{ backoff_until: Date | null; consecutive_failures: number; last_success_at: Date | null }>(
    'select backoff_until, consecutive_failures, last_success_at from sync_tenant_state where tenant_id = $1',
    [t.id],
  );
  const state = st.rows[0];
  const backoffUntil = state?.backoff_until ?? null;
  const now = Date.now();
  const syncState = stateOf({ status: t.status, active: active.rows, lastFinished: last.rows[0], backoffUntil }, now);
  const block = await syncBlock(db, t, control);
  const alreadyQueued = active.rows.length > 0;

  let next: Date | null = null;
  if (t.status === 'active' && control?.enabled()) {
    const queued = active.rows.find((r) => r.status === 'queued');
    next = queued ? new Date(queued.run_after) : control.nextScheduledAt({ id: t.id, phaseSeconds: t.phaseSeconds ?? 0 });
    if (next && backoffUntil && backoffUntil > next) next = backoffUntil;
  }

  // queued runs wait for a worker: with syncing turned off on this service none will come
  const stalled = (syncState === 'queued' || syncState === 'running') && !control?.enabled();
  return {
    state: syncState,
    stateText: stalled ? 'A run is queued, but syncing is turned off on this service, so it will not start.' : STATE_TEXT[syncState],
    inProgress: !stalled && (syncState === 'running' || syncState === 'queued'),
    lastRun: last.rows[0] ? toSyncRun(last.rows[0]) : null,
    lastSuccessAt: state?.last_success_at ? state.last_success_at.toISOString() : null,
    nextRunAt: next ? next.toISOString() : null,
    consecutiveFailures: state?.consecutive_failures ?? 0,
    backoffUntil: backoffUntil && backoffUntil.getTime() > now ? backoffUntil.toISOString() : null,
    syncNow: block
      ? { allowed: false, reason: block.reason, message: block.message }
      : alreadyQueued
        ? { allowed: false, reason: null, message: 'A run is already queued or in progress.' }
        : { allowed: true, reason: null, message: null },
    problems: await listProblems(db, t.id),
    runs: runs.map(toSyncRun),
    nextBefore: more ? Number(runs[runs.length - 1]!.id) : null,
  };
}

/** The short summary in every TenantView: one query per concern for the whole list. */
export async function syncSummaries(
  db: Queryable,
  tenants: { id: string; status: TenantView['status']; sync_requested_at: Date | null }[],
): Promise<Map<string, SyncSummary>> {
  const ids = tenants.map((t) => t.id);
  const last = await db.query<RunRow>(
    `select distinct on (tenant_id) * from runs
      where tenant_id = any($1::uuid[]) and finished_at is not null and kind in ('push', 'upkeep') order by tenant_id, finished_at desc, id desc`,
    [ids],
  );
  const active = await db.query<RunRow>(
    "select tenant_id, status, run_after from runs where tenant_id = any($1::uuid[]) and status in ('queued', 'running') and kind in ('push', 'upkeep')",
    [ids],
  );
  const backoff = await db.query<{ tenant_id: string; backoff_until: Date | null }>(
    'select tenant_id, backoff_until from sync_tenant_state where tenant_id = any($1::uuid[])',
    [ids],
  );
  const problems = await db.query<{ tenant_id: string; n: number }>(
    'select tenant_id, count(*)::int as n from sync_problems where tenant_id = any($1::uuid[]) group by tenant_id',
    [ids],
  );
  const out = new Map<string, SyncSummary>();
  for (const t of tenants) {
    const run = last.rows.find((r) => r.tenant_id === t.id);
    const failed = run && run.status !== 'succeeded';
    const first = run && Array.isArray(run.errors) ? run.errors[0] : undefined;
    out.set(t.id, {
      state: stateOf({
        status: t.status,
        active: active.rows.filter((r) => r.tenant_id === t.id),
        lastFinished: run,
        backoffUntil: backoff.rows.find((b) => b.tenant_id === t.id)?.backoff_until ?? null,
      }),
      lastRunAt: run?.finished_at ? new Date(run.finished_at).toISOString() : null,
      lastError: failed ? (first?.message ?? run.stop_reason) : null,
      syncRequestedAt: t.sync_requested_at ? t.sync_requested_at.toISOString() : null,
      problemCount: problems.rows.find((p) => p.tenant_id === t.id)?.n ?? 0,
    });
  }
  return out;
}
