// The figures of bench:scale, read from the `runs` table (started_at, finished_at, run_after,
// tenant_id, kind, slot, calls): what the job system did, not what the bench thinks it asked for.
import type { Database } from '@mycoi/db';

type Pool = Database['pool'];

export interface PhaseStats {
  runs: number;
  finished: number;
  failed: number;
  stopped: number;
  /** still queued or running when the phase was closed (0 when the queue emptied) */
  unfinished: number;
  /** first run_after of the phase → last finished_at */
  spanMs: number;
  runsPerMin: number;
  /**
   * The bulk's pace: 90 % of the finished runs ÷ the time until the 90th percentile finished. With
   * spread 0 the phase's end is the largest tenant's upkeep → push chain at its own rate limit,
   * which no number of workers shortens; this leaves that tail out.
   */
  runsPerMin90: number;
  /** started_at − run_after; a run not started yet counts as waiting until now */
  maxStartDelayMs: number;
  p95StartDelayMs: number;
  calls: number;
}

/** One phase: the runs with id > afterId (everything queued since the phase began). */
export async function phaseStats(pool: Pool, afterId: number): Promise<PhaseStats> {
  const r = await pool.query<{
    runs: number;
    finished: number;
    failed: number;
    stopped: number;
    unfinished: number;
    span_ms: number | null;
    max_delay_ms: number | null;
    p95_delay_ms: number | null;
    t90_ms: number | null;
    calls: number;
  }>(
    `select count(*)::int as runs,
            count(*) filter (where finished_at is not null)::int as finished,
            count(*) filter (where status = 'failed')::int as failed,
            count(*) filter (where status = 'stopped')::int as stopped,
            count(*) filter (where status in ('queued', 'running'))::int as unfinished,
            (extract(epoch from max(finished_at) - min(run_after)) * 1000)::float8 as span_ms,
            (extract(epoch from max(coalesce(started_at, now()) - run_after)) * 1000)::float8 as max_delay_ms,
            (percentile_cont(0.95) within group (order by extract(epoch from coalesce(started_at, now()) - run_after)) * 1000)::float8 as p95_delay_ms,
            ((percentile_cont(0.9) within group (order by extract(epoch from finished_at))
              - extract(epoch from min(run_after))) * 1000)::float8 as t90_ms,
            coalesce(sum(calls), 0)::int as calls
       from runs where id > $1`,
    [afterId],
  );
  const x = r.rows[0]!;
  const spanMs = Math.round(x.span_ms ?? 0);
  return {
    runs: x.runs,
    finished: x.finished,
    failed: x.failed,
    stopped: x.stopped,
    unfinished: x.unfinished,
    spanMs,
    runsPerMin: spanMs > 0 ? Math.round((x.finished / (spanMs / 60_000)) * 10) / 10 : 0,
    runsPerMin90: x.t90_ms ? Math.round(((0.9 * x.finished) / (x.t90_ms / 60_000)) * 10) / 10 : 0,
    maxStartDelayMs: Math.round(x.max_delay_ms ?? 0),
    p95StartDelayMs: Math.round(x.p95_delay_ms ?? 0),
    calls: x.calls,
  };
}

/** One overlapping pair, for the report: which runs, of what kind and trigger, from when to when. */
export interface Overlap {
  tenant: string;
  a: string;
  b: string;
}

/**
 * Over the whole table: pairs of runs of one tenant whose [started_at, finished_at] overlap (a run
 * still running counts as open-ended), and (tenant, kind, slot) groups with more than one run;
 * with the first few overlapping pairs spelled out, so a failure says where to look.
 */
export async function integrity(pool: Pool): Promise<{ sameTenantOverlaps: number; duplicateSlotRuns: number; overlaps: Overlap[] }> {
  const o = await pool.query<Overlap & { n: number }>(
    `with pairs as (
       select a.tenant_id, a.id as a_id, b.id as b_id,
              format('#%s %s/%s %s–%s', a.id, a.kind, a.trigger, a.started_at::time(3), coalesce(a.finished_at::time(3)::text, '…')) as a,
              format('#%s %s/%s %s–%s', b.id, b.kind, b.trigger, b.started_at::time(3), coalesce(b.finished_at::time(3)::text, '…')) as b
         from runs a join runs b on a.tenant_id = b.tenant_id and a.id < b.id
        where a.started_at is not null and b.started_at is not null
          and a.started_at < coalesce(b.finished_at, 'infinity') and b.started_at < coalesce(a.finished_at, 'infinity'))
     select tenant_id::text as tenant, a, b, (select count(*) from pairs)::int as n from pairs order by a_id, b_id limit 5`,
  );
  const d = await pool.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from runs where slot is not null group by tenant_id, kind, slot having count(*) > 1) g`,
  );
  return {
    sameTenantOverlaps: o.rows[0]?.n ?? 0,
    duplicateSlotRuns: d.rows[0]!.n,
    overlaps: o.rows.map(({ tenant, a, b }) => ({ tenant, a, b })),
  };
}

export async function lastRunId(pool: Pool): Promise<number> {
  const r = await pool.query<{ id: number }>('select coalesce(max(id), 0)::int as id from runs');
  return r.rows[0]!.id;
}

/** Runs not yet done: running, or queued and due within `horizonMs` (a backed-off run later is not waited for). */
export async function pendingRuns(pool: Pool, horizonMs: number): Promise<{ running: number; due: number; later: number }> {
  const r = await pool.query<{ running: number; due: number; later: number }>(
    `select count(*) filter (where status = 'running')::int as running,
            count(*) filter (where status = 'queued' and run_after <= now() + ($1::int * interval '1 millisecond'))::int as due,
            count(*) filter (where status = 'queued' and run_after > now() + ($1::int * interval '1 millisecond'))::int as later
       from runs`,
    [horizonMs],
  );
  return r.rows[0]!;
}
