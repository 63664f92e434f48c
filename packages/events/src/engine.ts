import type { RunOutcome, RunRow } from '@mycoi/sync';
import type { Target } from './plan';

/** What one targeted run did. */
export interface TargetResult {
  /** null when the work was done; else the stop reason stored on each event (e.g. 'compliance_push_off') */
  stopped: string | null;
  /** Procore write calls the run made (latency is recorded only for runs that wrote) */
  procoreWrites: number;
  /** Procore calls of any kind */
  procoreCalls: number;
  /** the sync engine's own result (metrics: rows, calls), when the run went through it */
  run?: RunOutcome;
}

/** The run could not happen now (rate budget low): the events stay pending and a later run retries them. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly reason: string,
    readonly retryInMs: number,
    readonly run?: RunOutcome,
  ) {
    super(`retry later: ${reason}`);
  }
}

/** The targeted run failed (the engine recorded it as failed): the events are retried with backoff. */
export class TargetedRunFailedError extends Error {
  override readonly name = 'TargetedRunFailedError';
  constructor(
    message: string,
    readonly run: RunOutcome,
  ) {
    super(message);
  }
}

/**
 * The sync engine as the events handler sees it: the targets planned from one tenant's events
 * (at most one push and one Procore-change target, planBatch) executed as THE claimed targeted run
 * `run` — same engine, ledger, run row and rate budget as the cycle (sync-engine.ts maps it onto
 * @mycoi/sync). The run is finished by the engine; keeping this small lets the handler be tested
 * on its own.
 */
export interface TargetedEngine {
  execute(run: Pick<RunRow, 'id' | 'tenant_id'>, owner: string, targets: Target[]): Promise<TargetResult>;
}
