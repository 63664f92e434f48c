import type pg from 'pg';
import { HEARTBEAT_MS, claimRun, finishRun, heartbeat, type RunKind, type RunOutcome, type RunRow } from '@mycoi/sync';
import { Permits } from './permits';

/**
 * Executes one claimed run and records its end in `runs` (finishRun, refused when the lease was
 * taken over). Push and upkeep go to the sync engine; a targeted run with webhook events goes to
 * the events handler the API registers (it plans and settles the events).
 */
export type RunHandler = (run: RunRow, owner: string) => Promise<RunOutcome>;

export interface WorkerOptions {
  pool: pg.Pool;
  instanceId: string;
  leaseMs: number;
  /** how many runs this instance works on at once (SYNC_CONCURRENCY); one tenant never holds two.
   *  A run waiting on its tenant's upstream rate limit lends its place (permits.ts), so up to
   *  IN_FLIGHT_PER_PERMIT × this many runs may be started. */
  concurrency: number;
  /** which kinds this worker claims; null = all */
  kinds: readonly RunKind[] | null;
  handle: RunHandler;
  /** Called once per executed run (metrics). */
  onFinished?: (run: RunRow, outcome: RunOutcome, seconds: number) => void;
  onError?: (run: RunRow, err: unknown) => void;
}

export interface Executed {
  run: RunRow;
  outcome: RunOutcome;
}

/**
 * Execute one claimed run while a timer keeps its lease alive. If the heartbeat finds the run was
 * taken over (our lease lapsed, e.g. the process stalled), the final write is refused by finishRun.
 * A handler that throws (database gone, a bug) still ends its run as failed, so the tenant's one
 * running slot is not held until the lease lapses.
 */
export async function executeClaimed(opts: WorkerOptions, run: RunRow, permits?: Permits): Promise<RunOutcome> {
  const beat = setInterval(
    () => {
      void heartbeat(opts.pool, run.id, opts.instanceId, opts.leaseMs).catch(() => undefined);
    },
    Math.max(50, Math.min(HEARTBEAT_MS, Math.floor(opts.leaseMs / 3))),
  ); // frequent: a silent run is reclaimed after STALE_AFTER_MS
  beat.unref?.();
  const started = process.hrtime.bigint();
  let outcome: RunOutcome;
  try {
    const work = () => opts.handle(run, opts.instanceId);
    outcome = await (permits ? permits.lendWhileWaiting(work) : work());
  } catch (err) {
    opts.onError?.(run, err);
    const message = err instanceof Error ? err.message : String(err);
    outcome = { status: 'failed', ctx: null, stopReason: message.slice(0, 200), error: err };
    const empty = { read: 0, unchanged: 0, created: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 };
    await finishRun(opts.pool, run.id, opts.instanceId, {
      status: 'failed',
      counts: empty,
      calls: 0,
      writeCalls: 0,
      errors: [{ code: 'run_failed', message: message.slice(0, 500) }],
      stopReason: 'run_failed',
    }).catch(() => undefined);
  } finally {
    clearInterval(beat);
  }
  opts.onFinished?.(run, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  return outcome;
}

/**
 * Runs started per permit at most: a run that waits on its tenant's rate window lends its permit,
 * and the started-but-waiting runs are bounded too (memory, leases to renew). 4: at Procore's spike
 * limit a first push waits most of each 10-s window, so 4 runs per permit keep the permit busy.
 */
export const IN_FLIGHT_PER_PERMIT = 4;

/** How many runs an instance of this concurrency may have started at once. */
export function inFlightLimit(concurrency: number): number {
  return Math.max(1, concurrency) * IN_FLIGHT_PER_PERMIT;
}

/**
 * Claim and execute due runs until none is due, `concurrency` working at once (runs waiting on an
 * upstream lend their permit); returns what ran. A slot that finds nothing claimable ends, but
 * every finished run refills the pool: it may have unblocked its tenant's next run (the push after
 * the upkeep), which a free slot then takes. So the call returns only when every due run has run
 * (tests, bench, runCycle).
 */
export async function drainDue(opts: WorkerOptions, shouldStop: () => boolean = () => false): Promise<Executed[]> {
  const done: Executed[] = [];
  const permits = new Permits(Math.max(1, opts.concurrency));
  let active = 0;
  let failure: unknown = null;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  async function slot(): Promise<void> {
    try {
      while (!shouldStop() && failure === null) {
        await permits.acquire();
        let run: RunRow | null;
        try {
          run = await claimRun(opts.pool, opts.instanceId, opts.leaseMs, opts.kinds);
          if (run) done.push({ run, outcome: await executeClaimed(opts, run, permits) });
        } finally {
          permits.release();
        }
        if (!run) return;
        fill();
      }
    } catch (err) {
      failure ??= err;
    }
  }
  function fill(): void {
    while (active < inFlightLimit(opts.concurrency) && !shouldStop() && failure === null) {
      active++;
      void slot().finally(() => {
        if (--active === 0) finish();
      });
    }
  }
  fill();
  if (active === 0) finish();
  await finished;
  if (failure !== null) throw failure;
  return done;
}
