import type pg from 'pg';
import { HEARTBEAT_MS, claimRun, executeRun, heartbeat, type EngineOptions, type RunOutcome, type RunRow } from '@mycoi/sync';

export interface WorkerOptions {
  pool: pg.Pool;
  engine: EngineOptions;
  instanceId: string;
  leaseMs: number;
  /** Called once per executed run (metrics). */
  onFinished?: (run: RunRow, outcome: RunOutcome, seconds: number) => void;
}

/**
 * Execute one claimed run while a timer keeps its lease alive. If the heartbeat finds the run was
 * taken over (our lease lapsed, e.g. the process stalled), the final write is refused by finishRun.
 */
export async function executeClaimed(opts: WorkerOptions, run: RunRow): Promise<RunOutcome> {
  const beat = setInterval(
    () => {
      void heartbeat(opts.pool, run.id, opts.instanceId, opts.leaseMs).catch(() => undefined);
    },
    Math.max(50, Math.min(HEARTBEAT_MS, Math.floor(opts.leaseMs / 3))),
  ); // frequent: a silent run is reclaimed after STALE_AFTER_MS
  beat.unref?.();
  const started = process.hrtime.bigint();
  try {
    const outcome = await executeRun(opts.engine, run, opts.instanceId, async () => undefined);
    opts.onFinished?.(run, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    return outcome;
  } finally {
    clearInterval(beat);
  }
}

/** Claim and execute due runs until none is due; returns what ran. */
export async function drainDue(
  opts: WorkerOptions,
  shouldStop: () => boolean = () => false,
): Promise<{ run: RunRow; outcome: RunOutcome }[]> {
  const done: { run: RunRow; outcome: RunOutcome }[] = [];
  while (!shouldStop()) {
    const run = await claimRun(opts.pool, opts.instanceId, opts.leaseMs);
    if (!run) break;
    done.push({ run, outcome: await executeClaimed(opts, run) });
  }
  return done;
}
