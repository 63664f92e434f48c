import type pg from 'pg';
import { executeRun, type EngineOptions, type RunTarget } from '@mycoi/sync';
import { RetryLaterError, TargetedRunFailedError, type TargetedEngine } from './engine';

/**
 * The events handler's TargetedEngine over @mycoi/sync: the planned targets become ONE target of
 * the claimed targeted run (commitments re-read, myCOI owners re-pushed), executed by
 * `executeRun`, which records the run. The target carries many owners, so one coalesced burst
 * costs ⌈rows ÷ 1000⌉ sync calls per scope.
 */
export function syncTargetedEngine(engine: EngineOptions): TargetedEngine {
  const pool: pg.Pool = engine.pool;
  return {
    async execute(run, owner, targets) {
      const target: RunTarget = {};
      const vendorIds = new Set<string>();
      const assignmentIds = new Set<string>();
      for (const t of targets) {
        if (t.kind === 'push') {
          for (const v of t.vendorIds) vendorIds.add(v);
          for (const a of t.assignmentIds) assignmentIds.add(a);
          continue;
        }
        target.commitments = [...(target.commitments ?? []), ...t.commitments];
        // a changed Procore vendor that is linked: re-push the compliance it carries (refreshes its rows)
        if (t.vendorIds.length) {
          const { rows } = await pool.query<{ mycoi_id: string }>(
            "select mycoi_id from links where tenant_id = $1 and kind = 'vendor' and procore_id = any($2::text[])",
            [run.tenant_id, t.vendorIds],
          );
          for (const r of rows) vendorIds.add(r.mycoi_id);
        }
      }
      target.vendorIds = [...vendorIds].sort();
      target.assignmentIds = [...assignmentIds].sort();
      // the run's history shows what it worked on, next to the event ids it was queued with
      await pool.query("update runs set target = coalesce(target, '{}'::jsonb) || $2::jsonb where id = $1", [
        run.id,
        JSON.stringify(target),
      ]);
      const outcome = await executeRun(
        engine,
        { id: run.id, tenant_id: run.tenant_id, kind: 'targeted', target },
        owner,
        async () => undefined,
      );
      const calls = outcome.ctx?.calls() ?? 0;
      const writes = outcome.ctx?.writeCalls() ?? 0;
      if (outcome.status === 'stopped' && outcome.stopReason === 'rate_budget_low') {
        const resetAt = outcome.ctx?.clients.procore.rateBudget()?.resetAt ?? Date.now() + 60_000;
        throw new RetryLaterError('rate_budget_low', Math.max(1000, resetAt - Date.now()), outcome);
      }
      if (outcome.status === 'failed') throw new TargetedRunFailedError(outcome.stopReason ?? 'targeted run failed', outcome);
      return {
        stopped: outcome.status === 'stopped' ? (outcome.stopReason ?? 'stopped') : null,
        procoreWrites: writes,
        procoreCalls: calls,
        run: outcome,
      };
    },
  };
}
