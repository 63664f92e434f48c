import type { CommitmentRef } from './plan';

/** What one targeted run did. */
export interface TargetResult {
  /** short machine word stored on each event: 'pushed', 'upkept', … */
  outcome: string;
  /** Procore write calls the run made (latency is recorded only for runs that wrote) */
  procoreWrites: number;
  /** Procore calls of any kind */
  procoreCalls: number;
}

/** The run could not happen now (rate budget low, tenant busy): the events stay pending. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    readonly reason: string,
    readonly retryInMs: number,
  ) {
    super(`retry later: ${reason}`);
  }
}

/**
 * The sync engine as the event worker sees it. Each method is ONE targeted run over the same
 * ledger, run table and rate budget as the two-hour cycle (sync-engine.ts maps it onto
 * @mycoi/sync); keeping it this small lets the worker be tested and benchmarked on its own.
 */
export interface TargetedEngine {
  /** Compliance push for these myCOI vendors and assignments only, rows batched per scope. */
  pushCompliance(tenantId: string, owners: { vendorIds: string[]; assignmentIds: string[] }): Promise<TargetResult>;
  /** Procore changed: re-read these commitments, ensure vendors of approved ones in myCOI, refresh links of changed vendors. */
  procoreChanges(
    tenantId: string,
    changes: { commitments: CommitmentRef[]; vendorIds: string[]; projectIds: string[] },
  ): Promise<TargetResult>;
}
