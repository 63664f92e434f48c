import type pg from 'pg';
import { claimRunById, enqueueRun, executeRun, heartbeat, type EngineOptions, type RunOutcome } from '@mycoi/sync';
import { RetryLaterError, type TargetedEngine, type TargetResult } from './engine';

export interface SyncEngineOptions {
  engine: EngineOptions;
  /** who holds the run's lease (the events worker's id) */
  owner: string;
  leaseMs?: number;
  /** Called once per executed run (sync metrics: sync_runs_total, duration, rows). */
  onFinished?: (run: { kind: 'targeted' }, outcome: RunOutcome, seconds: number) => void;
}

// Queued far enough ahead that the sync worker loop (which claims due runs) never races us for
// it; we claim it by id at once. Should we crash in between, the loop runs it an hour later.
const PARK_MS = 3600_000;

/**
 * The events worker's TargetedEngine over @mycoi/sync: each call is one `targeted` run in the
 * runs table (same engine, ledger, rate budget and run history as the cycle). The run's target
 * carries many owners, so one coalesced burst costs ⌈rows ÷ 1000⌉ sync calls per scope.
 */
export function syncTargetedEngine(o: SyncEngineOptions): TargetedEngine {
  const pool: pg.Pool = o.engine.pool;
  const leaseMs = o.leaseMs ?? 5 * 60_000;

  async function run(tenantId: string, target: object, what: string): Promise<TargetResult> {
    const id = await enqueueRun(pool, { tenantId, kind: 'targeted', trigger: 'event', target, runAfter: new Date(Date.now() + PARK_MS) });
    if (id === null) throw new RetryLaterError('run_not_queued', 1000);
    const claimed = await claimRunById(pool, id, o.owner, leaseMs);
    if (!claimed) return { outcome: 'handed_to_sync_worker', procoreWrites: 0, procoreCalls: 0 };
    const beat = setInterval(() => void heartbeat(pool, id, o.owner, leaseMs).catch(() => undefined), Math.floor(leaseMs / 3));
    beat.unref?.();
    let outcome: RunOutcome;
    const started = process.hrtime.bigint();
    try {
      outcome = await executeRun(o.engine, claimed, o.owner, async () => undefined);
    } finally {
      clearInterval(beat);
    }
    o.onFinished?.({ kind: 'targeted' }, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    const calls = outcome.ctx?.calls() ?? 0;
    const writes = outcome.ctx?.writeCalls() ?? 0;
    if (outcome.status === 'stopped' && outcome.stopReason === 'rate_budget_low') {
      const resetAt = outcome.ctx?.clients.procore.rateBudget()?.resetAt ?? Date.now() + 60_000;
      throw new RetryLaterError('rate_budget_low', Math.max(1000, resetAt - Date.now()));
    }
    if (outcome.status === 'failed') throw new Error(outcome.stopReason ?? 'targeted run failed');
    if (outcome.status === 'stopped') return { outcome: outcome.stopReason ?? 'stopped', procoreWrites: writes, procoreCalls: calls };
    return { outcome: what, procoreWrites: writes, procoreCalls: calls };
  }

  return {
    pushCompliance: (tenantId, owners) => run(tenantId, { vendorIds: owners.vendorIds, assignmentIds: owners.assignmentIds }, 'pushed'),
    async procoreChanges(tenantId, changes) {
      // a changed Procore vendor that is linked: re-push the compliance it carries (refreshes its rows)
      const linked = changes.vendorIds.length
        ? (
            await pool.query<{ mycoi_id: string }>(
              "select mycoi_id from links where tenant_id = $1 and kind = 'vendor' and procore_id = any($2::text[])",
              [tenantId, changes.vendorIds],
            )
          ).rows.map((r) => r.mycoi_id)
        : [];
      return run(tenantId, { commitments: changes.commitments, vendorIds: linked }, 'upkept');
    },
  };
}
