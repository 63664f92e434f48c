import type { CommitmentType } from './plan';

/** What one targeted run did. */
export interface TargetResult {
  /** short machine word stored on each event: 'pushed', 'vendor_ensured', 'not_approved', … */
  outcome: string;
  /** Procore write calls the run made (latency is recorded only for runs that wrote) */
  procoreWrites: number;
  /** Procore calls of any kind (the burst benchmark counts these) */
  procoreCalls?: number;
}

/** The run could not happen now (tenant busy with its cycle, rate budget low): retry later. */
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
 * The sync engine as the event worker sees it. Every method is a targeted run over the same
 * ledger, exclusivity and rate budget as the two-hour cycle (the adapter in sync-engine.ts maps it
 * onto @mycoi/sync); keeping it this small lets the worker be tested and benchmarked on its own.
 */
export interface TargetedEngine {
  /** Compliance push for these myCOI vendors and assignments only, rows batched per scope. */
  pushCompliance(tenantId: string, owners: { vendorIds: string[]; assignmentIds: string[] }): Promise<TargetResult>;
  /** Upkeep for one commitment: approved → its vendor ensured (created/linked) in myCOI. */
  upkeepCommitment(tenantId: string, c: { projectId: string; commitmentId: string; type: CommitmentType; deleted: boolean }): Promise<TargetResult>;
  /** A Procore vendor changed: refresh its link (and re-push the compliance it carries). */
  refreshVendor(tenantId: string, procoreVendorId: string, deleted: boolean): Promise<TargetResult>;
  /** A Procore project changed: refresh its link. */
  refreshProject(tenantId: string, procoreProjectId: string, deleted: boolean): Promise<TargetResult>;
}
